/*  user_record.c: packs the public User object from a row. See user_record.h. */
#include "user_record.h"

#include <string.h>

#include "db_value.h"
#include "proto.h"

/* Packs key: the text of a column (NOT NULL columns; NULL packs as ""). */
static void pack_column(msgpack_packer *pk, const char *key, const PGresult *res, int row,
                        int col)
{
    proto_pack_kv_strn(pk, key, PQgetvalue(res, row, col),
                       (size_t) PQgetlength(res, row, col));
}

int user_record_pack(msgpack_packer *pk, const PGresult *res, int row, int col,
                     bool with_email)
{
    long long id;
    int needed = col + USER_RECORD_NCOLS + (with_email ? 1 : 0);
    if (needed > PQnfields(res) || db_value_int(res, row, col, &id) != 0)
        return -1;
    msgpack_pack_map(pk, with_email ? 8 : 7);
    proto_pack_kv_int(pk, "id", id);
    pack_column(pk, "username", res, row, col + 1);
    if (with_email)
        pack_column(pk, "email", res, row, col + USER_RECORD_NCOLS);
    pack_column(pk, "first_name", res, row, col + 2);
    pack_column(pk, "last_name", res, row, col + 3);
    pack_column(pk, "bio", res, row, col + 4);
    pack_column(pk, "date_joined", res, row, col + 5);
    proto_pack_kv_bool(pk, "is_online", strcmp(PQgetvalue(res, row, col + 6), "t") == 0);
    return 0;
}

int user_record_pack_listed(msgpack_packer *pk, const PGresult *res, int row, int col)
{
    return user_record_pack(pk, res, row, col, false);
}
