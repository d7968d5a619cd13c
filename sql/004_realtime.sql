-- Real time: notification ids in commit order per recipient, the event outbox, and
-- presence (who has a WebSocket open on which gateway).
--
-- Ownership: the notification service owns notifications, event_outbox, presence and
-- gateway_leases: it lists, reads, marks and deletes notifications, replays them,
-- keeps presence and publishes the outbox. Other services (friend today, chat later)
-- only INSERT notification rows, inside their own transactions, so a notification
-- exists exactly when the change that causes it committed; the triggers below then
-- put its event in the outbox in that same transaction. Nobody else writes the
-- outbox directly except these triggers and the presence functions.
--
-- Advisory lock namespaces (the two-int form, so they never meet the bigint keys of
-- migrations and other users):
--   4001  per notification recipient: ids in commit order (notifications_assign_id)
--   4002  per user: presence transitions (presence_open/close/leave)
--   4003  key 0, a session lock: the one outbox publisher (the notification service)
-- A user id is folded into an int4 key with % 2^31: two users sharing a key only
-- wait for each other, nothing more.

-- ---------------------------------------------------------------------------------
-- Notification ids in commit order, per recipient. The identity default is drawn
-- before any lock, so two transactions could commit one recipient's notifications
-- in the opposite order of their ids, and a client that replays "after N" having
-- seen N+1 first would miss N. Here every insert waits for the recipient's lock,
-- held until the inserting transaction ends, and only then draws its id: a later id
-- for one recipient is always drawn after the earlier one committed (or rolled back).
-- The default's value is thrown away (ids have gaps; nothing relies on them being
-- dense). Insert notifications last in a transaction: the lock is held to its end.
CREATE FUNCTION notifications_assign_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(4001, (NEW.user_id % 2147483648)::int4);
    NEW.id := nextval(pg_get_serial_sequence('notifications', 'id'));
    RETURN NEW;
END
$$;
CREATE TRIGGER notifications_id_in_commit_order BEFORE INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION notifications_assign_id();

-- ---------------------------------------------------------------------------------
-- The event outbox: what the notification service publishes to the gateways, written
-- in the same transaction as its cause, so a committed change always gets its event
-- and a rolled-back one never does. The publisher reads rows in id order, publishes
-- each, deletes them and commits; a crash in between publishes them again
-- (at-least-once; gateways drop notification ids they have sent). One recipient's
-- rows are written under that recipient's (or presence subject's) lock, so their ids
-- follow commit order too.
--   kind 'notification': recipients {user_id}, subject the notification id (the body is
--                        read when published; a notification deleted by then is skipped)
--   kind 'presence':     recipients the subject's friends, subject the user, status
--   kind 'user_gone':    recipients {the deleted user}, subject the same
CREATE TABLE event_outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       varchar(16) NOT NULL
        CONSTRAINT event_outbox_kind_valid CHECK (kind IN ('notification', 'presence', 'user_gone')),
    recipients bigint[] NOT NULL
        CONSTRAINT event_outbox_recipients CHECK (cardinality(recipients) BETWEEN 1 AND 100000),
    subject    bigint NOT NULL,
    status     varchar(8)
        CONSTRAINT event_outbox_status_valid CHECK (
            (kind = 'presence') = (status IS NOT NULL) AND (status IS NULL OR status IN ('online', 'offline'))),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION notifications_to_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_outbox (kind, recipients, subject)
    VALUES ('notification', ARRAY[NEW.user_id], NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER notifications_event AFTER INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION notifications_to_outbox();

-- Wakes the publisher (LISTEN event_outbox) when the writing transaction commits;
-- PostgreSQL folds a transaction's identical notifications into one. The publisher
-- also polls every second, so a lost wake-up only delays.
CREATE FUNCTION event_outbox_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('event_outbox', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER event_outbox_wake AFTER INSERT ON event_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION event_outbox_wake();

-- ---------------------------------------------------------------------------------
-- Presence. A gateway holds a lease it renews every ttl/3 (presence.lease); it has one
-- presence row per user with a socket open on it (presence.open on its first local
-- socket of the user, presence.close on its last). A user is online while any row
-- exists (USER_RECORD_COLUMNS reads presence_user). A gateway that dies stops renewing:
-- the notification service's sweeper removes its rows once the lease expires. A
-- draining gateway keeps its rows until then, so a user who reconnects elsewhere in
-- time never flaps offline and online.
CREATE TABLE gateway_leases (
    gateway    varchar(64) PRIMARY KEY
        CONSTRAINT gateway_leases_name CHECK (gateway ~ '^[A-Za-z0-9_.-]{1,64}$'),
    expires_at timestamptz NOT NULL,
    draining   boolean NOT NULL DEFAULT false
);
CREATE INDEX gateway_leases_expiry ON gateway_leases (expires_at);

-- Only the presence functions below add or remove rows, each under the user's lock
-- (4002), so "this was the first row" and "that was the last" are exact. The
-- cascades (a deleted user, a lease deleted with rows left) are safety nets.
CREATE TABLE presence (
    gateway   varchar(64) NOT NULL REFERENCES gateway_leases (gateway) ON DELETE CASCADE,
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    opened_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (gateway, user_id)
);
-- is_online is EXISTS (... WHERE user_id = ...): one index probe per User packed.
CREATE INDEX presence_user ON presence (user_id);

-- Writes a presence event for user p_user to their friends (none when they have none).
CREATE FUNCTION presence_announce(p_user bigint, p_status text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO event_outbox (kind, recipients, subject, status)
    SELECT 'presence', array_agg(f.friend_id ORDER BY f.friend_id), p_user, p_status
    FROM friendships f WHERE f.user_id = p_user
    HAVING count(*) > 0;
$$;

-- presence.open: gateway p_gateway opened its first socket of p_user. False when the
-- user does not exist. The first row of the user (0 -> 1) tells the friends "online".
-- A gateway that opens before its first lease was recorded (its first renewal may
-- still be on its way) gets one of its own lease time, p_ttl_ms: a gateway that dies
-- at once still takes its users offline within that time.
CREATE FUNCTION presence_open(p_gateway text, p_user bigint, p_ttl_ms int) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    added int;
BEGIN
    PERFORM pg_advisory_xact_lock(4002, (p_user % 2147483648)::int4);
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = p_user) THEN
        RETURN false;
    END IF;
    INSERT INTO gateway_leases (gateway, expires_at)
        VALUES (p_gateway, now() + p_ttl_ms * interval '1 millisecond')
        ON CONFLICT (gateway) DO NOTHING;
    INSERT INTO presence (gateway, user_id) VALUES (p_gateway, p_user) ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    IF added = 1 AND NOT EXISTS (SELECT 1 FROM presence
                                 WHERE user_id = p_user AND gateway <> p_gateway) THEN
        PERFORM presence_announce(p_user, 'online');
    END IF;
    RETURN true;
END
$$;

-- Removes gateway p_gateway's row of p_user; the last row (1 -> 0) tells the friends
-- "offline". Used by presence.close and the sweeper.
CREATE FUNCTION presence_leave(p_gateway text, p_user bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    removed int;
BEGIN
    PERFORM pg_advisory_xact_lock(4002, (p_user % 2147483648)::int4);
    DELETE FROM presence WHERE gateway = p_gateway AND user_id = p_user;
    GET DIAGNOSTICS removed = ROW_COUNT;
    IF removed = 1 AND NOT EXISTS (SELECT 1 FROM presence WHERE user_id = p_user) THEN
        PERFORM presence_announce(p_user, 'offline');
    END IF;
END
$$;

-- presence.lease: gateway p_gateway is alive for p_ttl_ms more milliseconds.
CREATE FUNCTION presence_lease(p_gateway text, p_ttl_ms int, p_draining boolean) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO gateway_leases (gateway, expires_at, draining)
    VALUES (p_gateway, now() + p_ttl_ms * interval '1 millisecond', p_draining)
    ON CONFLICT (gateway) DO UPDATE SET expires_at = EXCLUDED.expires_at, draining = EXCLUDED.draining;
$$;

-- The sweeper: removes at most p_batch presence rows of expired gateways (users in
-- ascending order, so two sweepers at once cannot deadlock; a bounded batch so one
-- transaction never holds thousands of locks), then the expired leases left without
-- rows. Returns the rows removed: the caller runs it again while it is p_batch.
CREATE FUNCTION presence_sweep(p_batch int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n int := 0;
BEGIN
    FOR r IN SELECT p.gateway, p.user_id FROM presence p
             JOIN gateway_leases l ON l.gateway = p.gateway
             WHERE l.expires_at < now()
             ORDER BY p.user_id, p.gateway LIMIT p_batch LOOP
        PERFORM presence_leave(r.gateway, r.user_id);
        n := n + 1;
    END LOOP;
    DELETE FROM gateway_leases l WHERE l.expires_at < now()
        AND NOT EXISTS (SELECT 1 FROM presence p WHERE p.gateway = l.gateway);
    RETURN n;
END
$$;

-- ---------------------------------------------------------------------------------
-- A deleted user: gateways close every socket of theirs (user_gone), and friends who
-- saw them online see them go offline. BEFORE DELETE, because the cascades remove the
-- friendships and presence rows these need.
CREATE FUNCTION users_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(4002, (OLD.id % 2147483648)::int4);
    IF EXISTS (SELECT 1 FROM presence WHERE user_id = OLD.id) THEN
        PERFORM presence_announce(OLD.id, 'offline');
    END IF;
    INSERT INTO event_outbox (kind, recipients, subject) VALUES ('user_gone', ARRAY[OLD.id], OLD.id);
    RETURN OLD;
END
$$;
CREATE TRIGGER users_gone BEFORE DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION users_gone();
