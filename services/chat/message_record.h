/*  message_record.h: the Message object, packed from a database row:
 *      {"id", "sender": <id>, "receiver": <id>, "text", "created_at", "read_at"}
 *  Queries select MESSAGE_COLUMNS and message_record_pack reads them in that order.
 *  The chat service packs it for the REST routes; the notification service's outbox
 *  publisher packs it (with the sender's client_id) as the body of chat.message events.
 */
#ifndef MESSAGE_RECORD_H_INCLUDED
#define MESSAGE_RECORD_H_INCLUDED

#include <libpq-fe.h>
#include <msgpack.h>
#include <stdbool.h>

#include "user_record.h"

/* SQL: the columns of a Message from the messages table aliased `m`. read_at is NULL
 * while unread (to_char of NULL is NULL). */
#define MESSAGE_COLUMNS(m)                                                        \
    m ".id, " m ".sender_id, " m ".receiver_id, " m ".text, "                     \
    SQL_TIMESTAMP(m ".created_at") ", " SQL_TIMESTAMP(m ".read_at") ", " m ".client_id"

/* How many columns MESSAGE_COLUMNS selects. */
#define MESSAGE_NCOLS 7

/*  Packs the Message whose MESSAGE_COLUMNS start at `col` of `row`; with client_id,
 *  also "client_id" (the sender's idempotency key, or nil), as events carry it.
 *  Returns 0, or -1 when the row holds no message there (nothing is packed then). */
int message_record_pack_full(msgpack_packer *pk, const PGresult *res, int row, int col,
                             bool client_id);
/* message_record_pack_full without the client_id, as the REST routes show it. */
int message_record_pack(msgpack_packer *pk, const PGresult *res, int row, int col);

#endif
