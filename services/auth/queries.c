/*  queries.c: every SQL statement of the auth service, in one place.
 *
 *  Uniqueness of usernames and emails (case-insensitive) is enforced by the unique
 *  indexes users_username_ci and users_email_ci; AUTH_Q_TAKEN is only a pre-check so
 *  that both fields can be reported at once. Refresh tokens are revoked with a
 *  conditional UPDATE, so two requests presenting the same token cannot both succeed.
 */
#include "auth_service.h"
#include "throttle.h"

const db_statement_t auth_statements[] = {
    /* $1 username or NULL, $2 email or NULL -> username taken?, email taken? */
    { AUTH_Q_TAKEN,
      "SELECT EXISTS (SELECT 1 FROM users WHERE lower(username) = lower($1::text)),"
      "       EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($2::text))" },

    /* $1 username, $2 email, $3 password hash, $4 first_name, $5 last_name */
    { AUTH_Q_CREATE_USER,
      "INSERT INTO users (username, email, password, first_name, last_name)"
      " VALUES ($1, $2, $3, $4, $5)"
      " RETURNING id, username, email, first_name, last_name" },

    /* $1 username, exactly (the lower() term lets the unique index find it) */
    { AUTH_Q_LOGIN_USER,
      "SELECT id, password, is_active FROM users"
      " WHERE lower(username) = lower($1::text) AND username = $1::text" },

    /* $1 jti, $2 user id, $3 expiry (seconds since the epoch). Also drops the user's
     * spent rows (expired or revoked): a token is usable only while its row exists
     * unrevoked, so deleting them changes no answer and keeps the table bounded. */
    { AUTH_Q_STORE_REFRESH,
      "WITH spent AS ("
      "  DELETE FROM refresh_tokens"
      "   WHERE user_id = $2::bigint AND (expires_at <= now() OR revoked_at IS NOT NULL))"
      " INSERT INTO refresh_tokens (jti, user_id, expires_at)"
      " VALUES ($1, $2::bigint, to_timestamp($3::double precision))" },

    /* $1 old jti, $2 user id, $3 new jti, $4 new expiry -> one row when rotated:
     * the old token must be outstanding, unexpired and its user active. */
    { AUTH_Q_ROTATE_REFRESH,
      "WITH revoked AS ("
      "  UPDATE refresh_tokens SET revoked_at = now()"
      "   WHERE jti = $1 AND user_id = $2::bigint AND revoked_at IS NULL"
      "     AND expires_at > now()"
      "     AND EXISTS (SELECT 1 FROM users WHERE id = $2::bigint AND is_active)"
      "  RETURNING user_id)"
      " INSERT INTO refresh_tokens (jti, user_id, expires_at)"
      " SELECT $3, user_id, to_timestamp($4::double precision) FROM revoked"
      " RETURNING user_id" },

    /* $1 jti, $2 caller's user id -> is_active (NULL: no such user), revoked? */
    { AUTH_Q_REVOKE_REFRESH,
      "WITH account AS (SELECT is_active FROM users WHERE id = $2::bigint),"
      " revoked AS ("
      "  UPDATE refresh_tokens SET revoked_at = now()"
      "   WHERE jti = $1 AND user_id = $2::bigint AND revoked_at IS NULL"
      "     AND expires_at > now() AND EXISTS (SELECT 1 FROM account WHERE is_active)"
      "  RETURNING jti)"
      " SELECT (SELECT is_active FROM account), EXISTS (SELECT 1 FROM revoked)" },

    /* $1 scope, $2 key, $3 limit, $4 window (seconds) -> the seconds until one more
     * event fits: until the $3-th newest event of the window leaves it, as DRF's
     * SimpleRateThrottle waits; NULL when fewer than $3 are in the window. */
    { AUTH_Q_THROTTLE_WAIT,
      "SELECT (SELECT ceil(extract(epoch FROM at + $4::double precision * interval '1 second'"
      "                                   - clock_timestamp()))::bigint"
      "  FROM throttle_events"
      "  WHERE scope = $1 AND key = lower($2)"
      "    AND at > clock_timestamp() - $4::double precision * interval '1 second'"
      "  ORDER BY at DESC OFFSET $3::bigint - 1 LIMIT 1)" },

    /* $1 scope, $2 key, $3 scope and $4 key of a second event (NULL: none), $5 the
     * longest window: records the events and deletes a few that no window holds. */
    { AUTH_Q_THROTTLE_RECORD,
      "WITH expired AS ("
      "  DELETE FROM throttle_events WHERE ctid = ANY (ARRAY("
      "    SELECT ctid FROM throttle_events"
      "    WHERE at < clock_timestamp() - $5::double precision * interval '1 second'"
      "    LIMIT 16)))"
      " INSERT INTO throttle_events (scope, key)"
      " SELECT s, lower(k) FROM (VALUES ($1::text, $2::text), ($3::text, $4::text)) v (s, k)"
      " WHERE k IS NOT NULL" },

    { NULL, NULL },
};
