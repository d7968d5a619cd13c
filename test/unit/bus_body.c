/*  Unit tests of bus_body.c: the body of a bus request built from an HTTP request. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "bus_body.h"
#include "proto.h"
#include "query.h"
#include "routes.h"

Test(bus_body, packs_path_query_data_and_page)
{
    route_match_t m;
    const char *path = "/api/friends/request/12/", *raw = "x=1&x=2&y=";
    cr_assert_eq(routes_match(HTTP_PUT, path, strlen(path), &m), ROUTE_FOUND);
    query_t *q = query_new();
    cr_assert_eq(query_parse(q, raw, strlen(raw)), QUERY_OK);
    json_t *data = json_pack("{s:s, s:i}", "status", "accepted", "n", 3);
    page_request_t page = { 2, 50 };
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    cr_assert_eq(bus_body_pack(&pk, &m, q, data, &page), 0);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    cr_assert_eq(msgpack_unpack_next(&u, sb.data, sb.size, NULL), MSGPACK_UNPACK_SUCCESS);
    const msgpack_object *body = &u.data;
    cr_assert_eq(body->via.map.size, 5);
    int64_t v;
    cr_assert_eq(proto_get_int(proto_map_get(body, "path"), "id", &v), PROTO_FIELD_OK);
    cr_assert_eq(v, 12);
    const char *s;
    size_t len;
    const msgpack_object *query = proto_map_get(body, "query");
    cr_assert_eq(query->via.map.size, 2);
    cr_assert_eq(proto_get_str(query, "x", &s, &len), PROTO_FIELD_OK);
    cr_assert_eq(len, 1);
    cr_assert_eq(s[0], '2');
    cr_assert_eq(proto_get_str(query, "y", &s, &len), PROTO_FIELD_OK);
    cr_assert_eq(len, 0);
    cr_assert_eq(proto_get_str(proto_map_get(body, "data"), "status", &s, &len), PROTO_FIELD_OK);
    cr_assert_eq(proto_get_int(body, "page", &v), PROTO_FIELD_OK);
    cr_assert_eq(v, 2);
    cr_assert_eq(proto_get_int(body, "page_size", &v), PROTO_FIELD_OK);
    cr_assert_eq(v, 50);
    msgpack_unpacked_destroy(&u);
    msgpack_sbuffer_destroy(&sb);
    json_decref(data);
    query_destroy(&q);
}

Test(bus_body, minimal_body_has_only_query)
{
    route_match_t m;
    const char *path = "/api/users/me/";
    cr_assert_eq(routes_match(HTTP_GET, path, strlen(path), &m), ROUTE_FOUND);
    query_t *q = query_new();
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    cr_assert_eq(bus_body_pack(&pk, &m, q, NULL, NULL), 0);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    cr_assert_eq(msgpack_unpack_next(&u, sb.data, sb.size, NULL), MSGPACK_UNPACK_SUCCESS);
    cr_assert_eq(u.data.via.map.size, 1);
    cr_assert_eq(proto_map_get(&u.data, "query")->via.map.size, 0);
    msgpack_unpacked_destroy(&u);
    msgpack_sbuffer_destroy(&sb);
    query_destroy(&q);
}
