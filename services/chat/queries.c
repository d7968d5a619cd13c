/*  queries.c: every SQL statement of the chat service, prepared on connect.
 *
 *  How concurrency stays correct (the database enforces it):
 *  - A send is one statement, CHAT_Q_SEND, calling sql/006's chat_send: one message
 *    per sender and client_id (the unique index messages_client_id, a concurrent
 *    send of the same key waits and then reads the stored one), the friendship
 *    checked by the INSERT itself, the outbox row and notification in the same
 *    transaction, and ids drawn under the conversation's locks (commit order).
 *
 *  Statements that may find no row return one row anyway, with whether the caller and
 *  the other user exist first, so 401, 404 and the answer come in one round trip.
 */
#include "chat_service.h"
#include "message_record.h"

/* The caller ($1) and the other user ($2) still have accounts. */
#define CALLER_EXISTS "EXISTS (SELECT 1 FROM users WHERE id = $1)"
#define OTHER_EXISTS "EXISTS (SELECT 1 FROM users WHERE id = $2)"

/* The conversation of $1 and $2, as messages_conversation indexes it. */
#define CONVERSATION(m)                                                            \
    "LEAST(" m ".sender_id, " m ".receiver_id) = LEAST($1::bigint, $2::bigint)"    \
    " AND GREATEST(" m ".sender_id, " m ".receiver_id) = GREATEST($1::bigint, $2::bigint)"

const db_statement_t chat_statements[] = {
    /* $1 caller, $2 other: caller exists, other exists, they are friends. One row. */
    { CHAT_Q_PEER,
      "SELECT " CALLER_EXISTS ", " OTHER_EXISTS ","
      " EXISTS (SELECT 1 FROM friendships WHERE user_id = $1 AND friend_id = $2)" },

    /* $1 sender, $2 receiver, $3 text (trimmed, valid), $4 client_id or NULL: the
     * whole send, in its own transaction (sql/006 chat_send). One row: the outcome,
     * then the Message (NULL columns unless created or replayed). */
    { CHAT_Q_SEND, "SELECT s.outcome, " MESSAGE_COLUMNS("s") " FROM chat_send($1, $2, $3, $4) s" },

    /* $1 caller, $2 other, $3 before (NULL: from the newest), $4 rows to read (the
     * limit plus one, to know has_more). Caller exists, other exists, then the
     * messages newest first (NULL columns when there are none). The keyset bound is
     * an id, whichever conversation it came from. */
    { CHAT_Q_HISTORY,
      "SELECT " CALLER_EXISTS ", " OTHER_EXISTS ", p.*"
      " FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT " MESSAGE_COLUMNS("m")
      "  FROM messages m WHERE " CONVERSATION("m")
      "  AND m.id < COALESCE($3::bigint, 9223372036854775807)"
      "  ORDER BY m.id DESC LIMIT $4) p ON true" },

    /* $1 caller (receiver), $2 other (sender): marks their unread messages read.
     * Caller exists, other exists, how many were marked. One row. */
    { CHAT_Q_READ,
      "WITH marked AS (UPDATE messages SET read_at = now()"
      "   WHERE receiver_id = $1 AND sender_id = $2 AND read_at IS NULL RETURNING 1)"
      " SELECT " CALLER_EXISTS ", " OTHER_EXISTS ", (SELECT count(*) FROM marked)" },

    /* $1 caller, $2 limit, $3 offset: the caller's conversations (page.h), the one
     * with the newest message first: the other user, the last message, how many of
     * theirs the caller has not read. Former friends stay: messages outlive a
     * friendship. The cost follows the number of conversations, not of messages:
     * the people written to and heard from are found by skipping through
     * messages_sender and messages_receiver one distinct user at a time (a loose index
     * scan), each conversation's last message is one probe of messages_conversation,
     * and unread counts read only unread rows (messages_unread). */
    { CHAT_Q_CONVERSATIONS,
      "WITH RECURSIVE sent(other) AS ("
      "   (SELECT receiver_id FROM messages WHERE sender_id = $1 ORDER BY receiver_id LIMIT 1)"
      "   UNION ALL SELECT (SELECT receiver_id FROM messages WHERE sender_id = $1"
      "    AND receiver_id > s.other ORDER BY receiver_id LIMIT 1)"
      "   FROM sent s WHERE s.other IS NOT NULL),"
      " heard(other) AS ("
      "   (SELECT sender_id FROM messages WHERE receiver_id = $1 ORDER BY sender_id LIMIT 1)"
      "   UNION ALL SELECT (SELECT sender_id FROM messages WHERE receiver_id = $1"
      "    AND sender_id > h.other ORDER BY sender_id LIMIT 1)"
      "   FROM heard h WHERE h.other IS NOT NULL),"
      " c AS (SELECT o.other, (SELECT l.id FROM messages l"
      "   WHERE LEAST(l.sender_id, l.receiver_id) = LEAST($1::bigint, o.other)"
      "   AND GREATEST(l.sender_id, l.receiver_id) = GREATEST($1::bigint, o.other)"
      "   ORDER BY l.id DESC LIMIT 1) AS last"
      "  FROM (SELECT other FROM sent WHERE other IS NOT NULL"
      "   UNION SELECT other FROM heard WHERE other IS NOT NULL) o)"
      " SELECT t.n, " CALLER_EXISTS ", p.*"
      " FROM (SELECT count(*) AS n FROM c) t"
      " LEFT JOIN LATERAL (SELECT " USER_RECORD_COLUMNS("u") ", " MESSAGE_COLUMNS("m") ","
      "  (SELECT count(*) FROM messages r WHERE r.receiver_id = $1"
      "   AND r.sender_id = c.other AND r.read_at IS NULL)"
      "  FROM c JOIN users u ON u.id = c.other JOIN messages m ON m.id = c.last"
      "  ORDER BY c.last DESC LIMIT $2 OFFSET $3) p ON true" },

    { NULL, NULL },
};
