-- Throttling (owned by the auth service): one row per event that counts against a
-- limit, shared by every auth process behind every gateway, so a limit holds however
-- many there are. Scopes: 'login' (a failed login, key: client address, a unit
-- separator, the lowercased username), 'login_address' (a failed login, key: client
-- address), 'register_address' (a registration attempt, key: client address; only
-- recorded when registrations are throttled). Each new row also deletes a few rows
-- older than every window, so the table holds only recent events.
CREATE TABLE throttle_events (
    scope text NOT NULL,
    key   text NOT NULL,
    at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX throttle_events_key ON throttle_events (scope, key, at);
CREATE INDEX throttle_events_at ON throttle_events (at);
