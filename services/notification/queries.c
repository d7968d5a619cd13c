/*  queries.c: every SQL statement of the notification service, prepared on connect.
 *
 *  Why these are correct under concurrency:
 *  - Every read and write names the caller in its WHERE clause (user_id = $1), so
 *    another user's notification is simply not found: 404, never 403.
 *  - Mark read, read-all and delete are single statements; two at once on one row
 *    serialize on its row lock and both answer as if alone (read is idempotent, the
 *    second delete finds nothing: 404).
 *  - Replay reads committed rows above an id: a recipient's ids are drawn in commit
 *    order (sql/004_realtime.sql), so nothing with a smaller id can commit later.
 *  - Presence transitions are computed by the functions of sql/004 under the user's
 *    advisory lock; their events go to the outbox in the same transaction.
 *  - The outbox has one reader at a time (the session lock taken by
 *    NOTIFICATION_Q_OUTBOX_LOCK), which deletes exactly the rows it published: never
 *    "id <= the last one", since a smaller id may still be uncommitted.
 *
 *  Statements that may find no row return one row anyway, with whether the caller
 *  still exists first, so 401 and 404 are told apart in one round trip.
 */
#include "message_record.h"
#include "notification_record.h"
#include "notification_service.h"

/* The caller ($1) still has an account (the 401 check folded into a read). */
#define CALLER_EXISTS "EXISTS (SELECT 1 FROM users WHERE id = $1)"

/* A page of the caller's notifications matching `filter`, newest first ($1 caller,
 * $2 limit, $3 offset). */
#define LIST_PAGE(filter)                                                             \
    "SELECT t.n, " CALLER_EXISTS ", p.*"                                              \
    " FROM (SELECT count(*) AS n FROM notifications n WHERE n.user_id = $1" filter ") t" \
    " LEFT JOIN LATERAL (SELECT " NOTIFICATION_COLUMNS("n", "s")                      \
    "  FROM notifications n" NOTIFICATION_SENDER("n", "s")                            \
    "  WHERE n.user_id = $1" filter                                                   \
    "  ORDER BY n.id DESC LIMIT $2 OFFSET $3) p ON true"

const db_statement_t notification_statements[] = {
    /* Two statements rather than one with "($4 OR NOT is_read)": each gets a plan of
     * its own, and the unread one the partial index notifications_user_unread. */
    { NOTIFICATION_Q_LIST, LIST_PAGE("") },
    { NOTIFICATION_Q_LIST_UNREAD, LIST_PAGE(" AND NOT n.is_read") },

    /* $1 caller: exists, unread count. */
    { NOTIFICATION_Q_UNREAD_COUNT,
      "SELECT " CALLER_EXISTS ", (SELECT count(*) FROM notifications"
      " WHERE user_id = $1 AND NOT is_read)" },

    /* $1 caller, $2 notification: exists, then the Notification after the update (NULL
     * columns when it is not the caller's). Rows already read are not written again. */
    { NOTIFICATION_Q_READ,
      "WITH mark AS (UPDATE notifications SET is_read = true"
      "   WHERE id = $2 AND user_id = $1 AND NOT is_read RETURNING id, is_read)"
      " SELECT " CALLER_EXISTS ", " NOTIFICATION_COLUMNS("n", "s")
      " FROM (SELECT 1) one"
      " LEFT JOIN (SELECT x.id, x.sender_id, x.type, x.text,"
      "   COALESCE(mark.is_read, x.is_read) AS is_read, x.created_at, x.data"
      "   FROM notifications x LEFT JOIN mark ON mark.id = x.id"
      "   WHERE x.id = $2 AND x.user_id = $1) n ON true"
      NOTIFICATION_SENDER("n", "s") },

    /* $1 caller: exists, how many were marked. */
    { NOTIFICATION_Q_READ_ALL,
      "WITH mark AS (UPDATE notifications SET is_read = true"
      "   WHERE user_id = $1 AND NOT is_read RETURNING 1)"
      " SELECT " CALLER_EXISTS ", (SELECT count(*) FROM mark)" },

    /* $1 caller, $2 notification: exists, how many were deleted (0 or 1). */
    { NOTIFICATION_Q_DELETE,
      "WITH gone AS (DELETE FROM notifications WHERE id = $2 AND user_id = $1 RETURNING 1)"
      " SELECT " CALLER_EXISTS ", (SELECT count(*) FROM gone)" },

    /* $1 caller, $2 after, $3 limit + 1 (one more than the page, to say "more"):
     * exists, then the notifications above $2 in ascending id order. */
    { NOTIFICATION_Q_REPLAY,
      "SELECT " CALLER_EXISTS ", p.* FROM (SELECT 1) one"
      " LEFT JOIN LATERAL (SELECT " NOTIFICATION_COLUMNS("n", "s")
      "  FROM notifications n" NOTIFICATION_SENDER("n", "s")
      "  WHERE n.user_id = $1 AND n.id > $2 ORDER BY n.id LIMIT $3) p ON true" },

    /* $1 gateway, $2 user: false when the user does not exist. */
    { NOTIFICATION_Q_PRESENCE_OPEN, "SELECT presence_open($1, $2, $3)" },
    /* $1 gateway, $2 user. */
    { NOTIFICATION_Q_PRESENCE_CLOSE, "SELECT presence_leave($1, $2)" },
    /* $1 gateway, $2 ttl in ms, $3 draining. */
    { NOTIFICATION_Q_PRESENCE_LEASE, "SELECT presence_lease($1, $2, $3)" },

    { NULL, NULL },
};

const db_statement_t notification_outbox_statements[] = {
    /* The publisher's session lock (namespace 4003, sql/004): true when taken. It is
     * held until this connection ends, which is how a dead publisher hands over. */
    { NOTIFICATION_Q_OUTBOX_LOCK, "SELECT pg_try_advisory_lock(4003, 0)" },
    /* Wake-ups: the outbox's statement trigger notifies while the publisher is
     * asleep (sql/007). */
    { NOTIFICATION_Q_OUTBOX_LISTEN, "LISTEN event_outbox" },
    /* $1 'true' or 'false': whether writers must wake the publisher (sql/007). */
    { NOTIFICATION_Q_OUTBOX_ASLEEP, "UPDATE event_outbox_publisher SET asleep = $1::boolean" },
    /* Run alone (autocommit): true when no writer that may have read asleep = false
     * is still uncommitted (sql/007); the lock ends with the statement. */
    { NOTIFICATION_Q_OUTBOX_QUIET, "SELECT pg_try_advisory_xact_lock(4004, 0)" },
    /* $1 batch size: the oldest rows, each with its recipients as "1,2,3" and, for a
     * notification, the Notification as the REST routes show it, for a chat.message
     * the Message (sql/005; NULL columns when it was deleted since: nothing to
     * deliver). */
    { NOTIFICATION_Q_OUTBOX_BATCH,
      "SELECT o.id, o.kind, array_to_string(o.recipients, ','), o.subject, o.status, "
      NOTIFICATION_COLUMNS("n", "s") ", " MESSAGE_COLUMNS("m")
      " FROM (SELECT * FROM event_outbox ORDER BY id LIMIT $1) o"
      " LEFT JOIN notifications n ON o.kind = 'notification' AND n.id = o.subject"
      NOTIFICATION_SENDER("n", "s")
      " LEFT JOIN messages m ON o.kind = 'chat.message' AND m.id = o.subject"
      " ORDER BY o.id" },
    /* $1 the published ids as a bigint[] literal ("{4,5,9}"). */
    /* The publisher's transactions commit without waiting for the WAL flush: losing
     * the last deletes in a crash only publishes those rows again (gateways drop what
     * they have sent), and the next batch need not wait for a disk flush. */
    { NOTIFICATION_Q_OUTBOX_ASYNC, "SELECT set_config('synchronous_commit', 'off', true)" },
    { NOTIFICATION_Q_OUTBOX_DELETE, "DELETE FROM event_outbox WHERE id = ANY ($1::bigint[])" },
    { NULL, NULL },
};

const db_statement_t notification_sweeper_statements[] = {
    /* $1 batch: presence rows of expired gateways removed (sql/004 presence_sweep). */
    { NOTIFICATION_Q_SWEEP, "SELECT presence_sweep($1)" },
    { NULL, NULL },
};
