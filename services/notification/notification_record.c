/*  notification_record.c: packs the Notification object from a row. See
 *  notification_record.h. */
#include "notification_record.h"

#include <jansson.h>
#include <string.h>

#include "db_value.h"
#include "proto.h"
#include "proto_json.h"

/* Containers around a Notification's data at most: envelope, body, results, the
 * Notification itself (and an event's frame has fewer). */
#define NOTIFICATION_DATA_ENCLOSING 4

int notification_record_pack(msgpack_packer *pk, const PGresult *res, int row, int col)
{
    long long id;
    if (col + NOTIFICATION_NCOLS > PQnfields(res) || db_value_int(res, row, col, &id) != 0)
        return -1;
    /* data is jsonb written by our own services, but it is parsed before anything is
     * packed, so a value that cannot be packed leaves the packer untouched. */
    json_t *data = json_loadb(PQgetvalue(res, row, col + 5),
                              (size_t) PQgetlength(res, row, col + 5), 0, NULL);
    if (!json_is_object(data)) {
        json_decref(data);
        return -1;
    }
    msgpack_pack_map(pk, 7);
    proto_pack_kv_int(pk, "id", id);
    proto_pack_str(pk, "sender");
    if (PQgetisnull(res, row, col + 6) || user_record_pack(pk, res, row, col + 6, false) != 0)
        msgpack_pack_nil(pk);
    proto_pack_kv_strn(pk, "type", PQgetvalue(res, row, col + 1),
                       (size_t) PQgetlength(res, row, col + 1));
    proto_pack_kv_strn(pk, "text", PQgetvalue(res, row, col + 2),
                       (size_t) PQgetlength(res, row, col + 2));
    proto_pack_kv_bool(pk, "is_read", db_value_true(res, row, col + 3));
    proto_pack_kv_strn(pk, "created_at", PQgetvalue(res, row, col + 4),
                       (size_t) PQgetlength(res, row, col + 4));
    proto_pack_str(pk, "data");
    int rc = proto_json_pack_nested(pk, data, NOTIFICATION_DATA_ENCLOSING);
    json_decref(data);
    /* Too deep for the bus: the caller's answer is discarded (500), never sent. */
    return rc;
}
