/*  notification_record.h: the Notification object, packed from a database row.
 *
 *  The one place that knows what a Notification looks like on the wire, for the REST
 *  routes, replay and the published events alike:
 *      {"id", "sender": <User or null>, "type", "text", "is_read", "created_at", "data"}
 *  Queries select NOTIFICATION_COLUMNS (notification aliased n, its sender s joined with
 *  NOTIFICATION_SENDER) and pack them with notification_record_pack.
 */
#ifndef NOTIFICATION_RECORD_H_INCLUDED
#define NOTIFICATION_RECORD_H_INCLUDED

#include <libpq-fe.h>
#include <msgpack.h>

#include "user_record.h"

/* SQL: the columns of a Notification `n` and its sender `s` (string literals). */
#define NOTIFICATION_COLUMNS(n, s)                                                   \
    n ".id, " n ".type, " n ".text, " n ".is_read, " SQL_TIMESTAMP(n ".created_at")  \
    ", " n ".data::text, " USER_RECORD_COLUMNS(s)
/* SQL: the join that finds the sender (none when it was a system notification or the
 * sender's account is gone). */
#define NOTIFICATION_SENDER(n, s) " LEFT JOIN users " s " ON " s ".id = " n ".sender_id"

/* How many columns NOTIFICATION_COLUMNS selects. */
#define NOTIFICATION_NCOLS (6 + USER_RECORD_NCOLS)

/*  Packs the Notification whose columns start at `col` of `row` (a page_row_fn).
 *  Returns 0, or -1 when the row holds none there (NULL id, missing columns, data
 *  that is not a JSON object: nothing is packed then) or its data nests deeper than
 *  the bus carries (then the packer holds a partial object: the answer must be
 *  discarded, as page_pack's PROTO_INTERNAL does). */
int notification_record_pack(msgpack_packer *pk, const PGresult *res, int row, int col);

#endif
