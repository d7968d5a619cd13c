/*  friend_request_record.h: the FriendRequest object, packed from a database row:
 *      {"id", "sender": User, "receiver": User, "status", "created_at", "updated_at"}
 *  (the Users without email). Queries select FRIEND_REQUEST_COLUMNS joined with
 *  FRIEND_REQUEST_USERS, and friend_request_pack reads them in that order.
 */
#ifndef FRIEND_REQUEST_RECORD_H_INCLUDED
#define FRIEND_REQUEST_RECORD_H_INCLUDED

#include <libpq-fe.h>
#include <msgpack.h>

#include "user_record.h"

/* SQL: the columns of a FriendRequest from relation `fr` (with id, status,
 * created_at, updated_at) and the users "s" (sender) and "r" (receiver). */
#define FRIEND_REQUEST_COLUMNS(fr)                                               \
    fr ".id, " fr ".status, " SQL_TIMESTAMP(fr ".created_at") ", "               \
    SQL_TIMESTAMP(fr ".updated_at") ", " USER_RECORD_COLUMNS("s") ", "           \
    USER_RECORD_COLUMNS("r")

/* SQL: the joins that bring in "s" and "r" for relation `fr`. */
#define FRIEND_REQUEST_USERS(fr)                                                 \
    " JOIN users s ON s.id = " fr ".sender_id JOIN users r ON r.id = " fr ".receiver_id"

/* How many columns FRIEND_REQUEST_COLUMNS selects. */
#define FRIEND_REQUEST_NCOLS (4 + 2 * USER_RECORD_NCOLS)

/*  Packs the FriendRequest whose columns start at `col` of `row`. Returns 0, or -1
 *  when the row holds none there (nothing is packed then). */
int friend_request_pack(msgpack_packer *pk, const PGresult *res, int row, int col);

#endif
