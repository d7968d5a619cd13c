/*  friend_request_record.c: packs a FriendRequest from a row. See
 *  friend_request_record.h. */
#include "friend_request_record.h"

#include "db_value.h"
#include "proto.h"

int friend_request_pack(msgpack_packer *pk, const PGresult *res, int row, int col)
{
    long long id;
    if (col + FRIEND_REQUEST_NCOLS > PQnfields(res) || db_value_int(res, row, col, &id) != 0
        || PQgetisnull(res, row, col + 4) || PQgetisnull(res, row, col + 4 + USER_RECORD_NCOLS))
        return -1;
    msgpack_pack_map(pk, 6);
    proto_pack_kv_int(pk, "id", id);
    proto_pack_str(pk, "sender");
    user_record_pack(pk, res, row, col + 4, false);
    proto_pack_str(pk, "receiver");
    user_record_pack(pk, res, row, col + 4 + USER_RECORD_NCOLS, false);
    proto_pack_kv_str(pk, "status", PQgetvalue(res, row, col + 1));
    proto_pack_kv_str(pk, "created_at", PQgetvalue(res, row, col + 2));
    proto_pack_kv_str(pk, "updated_at", PQgetvalue(res, row, col + 3));
    return 0;
}
