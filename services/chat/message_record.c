/*  message_record.c: packs a Message from a row. See message_record.h. */
#include "message_record.h"

#include "db_value.h"
#include "proto.h"

int message_record_pack_full(msgpack_packer *pk, const PGresult *res, int row, int col,
                             bool client_id)
{
    long long id, sender, receiver;
    if (col + MESSAGE_NCOLS > PQnfields(res) || db_value_int(res, row, col, &id) != 0
        || db_value_int(res, row, col + 1, &sender) != 0
        || db_value_int(res, row, col + 2, &receiver) != 0)
        return -1;
    msgpack_pack_map(pk, client_id ? 7 : 6);
    proto_pack_kv_int(pk, "id", id);
    proto_pack_kv_int(pk, "sender", sender);
    proto_pack_kv_int(pk, "receiver", receiver);
    proto_pack_kv_strn(pk, "text", PQgetvalue(res, row, col + 3),
                       (size_t) PQgetlength(res, row, col + 3));
    proto_pack_kv_str(pk, "created_at", PQgetvalue(res, row, col + 4));
    proto_pack_kv_str_or_nil(pk, "read_at",
                             PQgetisnull(res, row, col + 5) ? NULL : PQgetvalue(res, row, col + 5));
    if (client_id)
        proto_pack_kv_str_or_nil(pk, "client_id",
                                 PQgetisnull(res, row, col + 6) ? NULL
                                                                : PQgetvalue(res, row, col + 6));
    return 0;
}

int message_record_pack(msgpack_packer *pk, const PGresult *res, int row, int col)
{
    return message_record_pack_full(pk, res, row, col, false);
}
