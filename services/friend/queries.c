/*  queries.c: every SQL statement of the friend service, prepared on connect.
 *
 *  How concurrency stays correct (the database enforces it; nothing here checks first
 *  and writes second):
 *  - One pending request per unordered pair is the unique index
 *    friend_requests_one_pending. FRIEND_Q_REQUEST_INSERT inserts with ON CONFLICT DO
 *    NOTHING on it: a concurrent insert for the same pair waits for the other
 *    transaction, then either inserts (the other rolled back or its request was
 *    answered) or finds the pending request that exists; the handler then accepts it
 *    if it comes from the receiver.
 *  - A friendship is only ever created by flipping the pair's pending request to
 *    accepted in the same statement (FRIEND_Q_REQUEST_ANSWER), and every new pending
 *    request is followed, in a later statement of the same transaction, by the
 *    friendship check of FRIEND_Q_REQUEST_CREATED. Under READ COMMITTED that later
 *    statement sees every friendship committed before the insert got past the unique
 *    index, and none can be created after it (that would need the pair's pending
 *    request, which is ours and not yet committed). So "pending request" and
 *    "friends" never hold at once.
 *  - Answering and cancelling are conditional writes (WHERE status = 'pending'): when an
 *    accept races a cancel, the row lock serializes them and the loser's condition no
 *    longer holds, so exactly one of them happens.
 *  - Notifications are inserted by the same statement as the change that causes them.
 *
 *  Paginated statements return the total, whether the caller still exists and the page
 *  in one round trip, as page.h describes.
 */
#include "friend_request_record.h"
#include "friend_service.h"

/* The caller ($1) still has an account (the 401 check folded into a read). */
#define CALLER_EXISTS "EXISTS (SELECT 1 FROM users WHERE id = $1)"

/* Pending requests of one direction ($1 the caller in `column`), newest first. */
#define REQUEST_PAGE(column)                                                          \
    "SELECT t.n, " CALLER_EXISTS ", p.*"                                              \
    " FROM (SELECT count(*) AS n FROM friend_requests"                                \
    "  WHERE " column " = $1 AND status = 'pending') t"                               \
    " LEFT JOIN LATERAL (SELECT " FRIEND_REQUEST_COLUMNS("fr")                        \
    "  FROM friend_requests fr" FRIEND_REQUEST_USERS("fr")                            \
    "  WHERE fr." column " = $1 AND fr.status = 'pending'"                            \
    "  ORDER BY fr.id DESC LIMIT $2 OFFSET $3) p ON true"

const db_statement_t friend_statements[] = {
    /* $1 sender (caller), $2 receiver. One row: inserted. No row: the pair already has
     * a pending request. Foreign key violations name the missing user. */
    { FRIEND_Q_REQUEST_INSERT,
      "INSERT INTO friend_requests (sender_id, receiver_id) VALUES ($1, $2)"
      " ON CONFLICT (LEAST(sender_id, receiver_id), GREATEST(sender_id, receiver_id))"
      " WHERE status = 'pending' DO NOTHING RETURNING id" },

    /* $1 sender, $2 receiver, $3 the request FRIEND_Q_REQUEST_INSERT made, in the same
     * transaction: are they already friends (then the caller rolls back), else the
     * receiver's friend_request notification; and the request. */
    { FRIEND_Q_REQUEST_CREATED,
      "WITH friends AS (SELECT EXISTS (SELECT 1 FROM friendships"
      "   WHERE user_id = $1 AND friend_id = $2) AS yes),"
      " note AS (INSERT INTO notifications (user_id, sender_id, type, text, data)"
      "   SELECT fr.receiver_id, fr.sender_id, 'friend_request',"
      "    s.username || ' sent you a friend request.',"
      "    jsonb_build_object('friend_request_id', fr.id)"
      "   FROM friend_requests fr JOIN users s ON s.id = fr.sender_id"
      "   WHERE fr.id = $3 AND NOT (SELECT yes FROM friends))"
      " SELECT (SELECT yes FROM friends), " FRIEND_REQUEST_COLUMNS("fr")
      " FROM friend_requests fr" FRIEND_REQUEST_USERS("fr") " WHERE fr.id = $3" },

    /* $1, $2 the two users: the pair's pending request (id, sender), if any. */
    { FRIEND_Q_REQUEST_PENDING_PAIR,
      "SELECT id, sender_id FROM friend_requests"
      " WHERE LEAST(sender_id, receiver_id) = LEAST($1::bigint, $2::bigint)"
      " AND GREATEST(sender_id, receiver_id) = GREATEST($1::bigint, $2::bigint)"
      " AND status = 'pending'" },

    /* $1 request, $2 receiver (caller), $3 'accepted' or 'rejected'. Only while
     * pending. Accepting makes the two friends (both rows) and notifies the sender.
     * No row: not the caller's pending request (the handler finds out why). */
    { FRIEND_Q_REQUEST_ANSWER,
      "WITH fr AS (UPDATE friend_requests SET status = $3, updated_at = now()"
      "   WHERE id = $1 AND receiver_id = $2 AND status = 'pending'"
      "   RETURNING id, sender_id, receiver_id, status, created_at, updated_at),"
      " pair AS (INSERT INTO friendships (user_id, friend_id)"
      "   SELECT sender_id, receiver_id FROM fr WHERE status = 'accepted'"
      "   UNION ALL SELECT receiver_id, sender_id FROM fr WHERE status = 'accepted'"
      "   ON CONFLICT DO NOTHING),"
      " note AS (INSERT INTO notifications (user_id, sender_id, type, text, data)"
      "   SELECT fr.sender_id, fr.receiver_id, 'friend_accept',"
      "    r.username || ' accepted your friend request.',"
      "    jsonb_build_object('friend_request_id', fr.id)"
      "   FROM fr JOIN users r ON r.id = fr.receiver_id WHERE fr.status = 'accepted')"
      " SELECT " FRIEND_REQUEST_COLUMNS("fr") " FROM fr" FRIEND_REQUEST_USERS("fr") },

    /* $1 request, $2 sender (caller): withdraw it while pending. */
    { FRIEND_Q_REQUEST_CANCEL,
      "DELETE FROM friend_requests WHERE id = $1 AND sender_id = $2 AND status = 'pending'"
      " RETURNING id" },

    /* $1 caller, $2 request: why an answer or cancel found nothing. One row. */
    { FRIEND_Q_REQUEST_LOOKUP,
      "SELECT " CALLER_EXISTS ", fr.sender_id, fr.receiver_id, fr.status"
      " FROM (SELECT 1) one LEFT JOIN friend_requests fr ON fr.id = $2" },

    /* $1 caller: does the account still exist (error paths only). */
    { FRIEND_Q_CALLER, "SELECT " CALLER_EXISTS },

    /* $1 caller, $2 limit, $3 offset. */
    { FRIEND_Q_REQUESTS_INCOMING, REQUEST_PAGE("receiver_id") },
    { FRIEND_Q_REQUESTS_OUTGOING, REQUEST_PAGE("sender_id") },

    /* $1 caller, $2 limit, $3 offset: the caller's friends by username. */
    { FRIEND_Q_LIST,
      "SELECT t.n, " CALLER_EXISTS ", p.*"
      " FROM (SELECT count(*) AS n FROM friendships WHERE user_id = $1) t"
      " LEFT JOIN LATERAL (SELECT " USER_RECORD_COLUMNS("u")
      "  FROM friendships f JOIN users u ON u.id = f.friend_id WHERE f.user_id = $1"
      "  ORDER BY u.username, u.id LIMIT $2 OFFSET $3) p ON true" },

    /* $1 caller, $2 friend: ends the friendship. Both unfrienders delete the (low,
     * high) row first, so two at once cannot deadlock; its twin goes by cascade. */
    { FRIEND_Q_DELETE,
      "DELETE FROM friendships WHERE user_id = LEAST($1::bigint, $2::bigint)"
      " AND friend_id = GREATEST($1::bigint, $2::bigint) RETURNING friend_id" },

    { NULL, NULL },
};
