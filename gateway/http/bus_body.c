/*  bus_body.c: packing a bus request body. See bus_body.h. */
#include "bus_body.h"

#include "proto.h"
#include "proto_json.h"

int bus_body_pack(msgpack_packer *pk, const route_match_t *match, const query_t *query,
                  const json_t *data, const page_request_t *page)
{
    uint32_t entries = 1 + (match->param_count > 0) + (data != NULL) + (page ? 2 : 0);
    msgpack_pack_map(pk, entries);
    if (match->param_count > 0) {
        proto_pack_str(pk, "path");
        msgpack_pack_map(pk, (uint32_t) match->param_count);
        for (size_t i = 0; i < match->param_count; i++) {
            proto_pack_strn(pk, match->params[i].name, match->params[i].name_len);
            msgpack_pack_int64(pk, match->params[i].value);
        }
    }
    proto_pack_str(pk, "query");
    msgpack_pack_map(pk, (uint32_t) query_distinct(query));
    for (size_t i = 0; i < query->count; i++)
        if (query_is_last(query, i))
            proto_pack_kv_str(pk, query->pairs[i].name, query->pairs[i].value);
    if (data) {
        proto_pack_str(pk, "data");
        /* Inside the envelope map and the body map. */
        if (proto_json_pack_nested(pk, data, 2) != 0)
            return -1;
    }
    if (page) {
        proto_pack_kv_int(pk, "page", page->page);
        proto_pack_kv_int(pk, "page_size", page->size);
    }
    return 0;
}
