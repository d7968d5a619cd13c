/*  Unit tests of the bus envelope: round trips, validation of hostile bytes, the
 *  status mapping and the JSON <-> msgpack mapping. */
#include <criterion/criterion.h>
#include <string.h>

#include "proto.h"
#include "proto_json.h"

/* Packs a request with a JSON body into buf (caller destroys). */
static void pack_request(msgpack_sbuffer *buf, const char *body_json)
{
    msgpack_packer pk;
    msgpack_sbuffer_init(buf);
    msgpack_packer_init(&pk, buf, msgpack_sbuffer_write);
    proto_request_begin(&pk, 42, "auth", "login", 7);
    json_t *body = json_loads(body_json, JSON_DECODE_ANY, NULL);
    cr_assert_not_null(body);
    cr_assert_eq(proto_json_pack(&pk, body), 0);
    json_decref(body);
}

Test(proto, request_round_trip)
{
    msgpack_sbuffer buf;
    pack_request(&buf, "{\"username\": \"alice\", \"n\": -5, \"ok\": true}");
    proto_msg_t msg;
    cr_assert_eq(proto_request_decode(buf.data, buf.size, &msg), 0);
    cr_assert_eq(msg.id, 42);
    cr_assert_str_eq(msg.service, "auth");
    cr_assert_str_eq(msg.method, "login");
    cr_assert_eq(msg.user_id, 7);
    const char *s;
    size_t len;
    cr_assert_eq(proto_get_str(&msg.body, "username", &s, &len), PROTO_FIELD_OK);
    cr_assert_eq(len, 5);
    cr_assert_eq(memcmp(s, "alice", 5), 0);
    int64_t n;
    cr_assert_eq(proto_get_int(&msg.body, "n", &n), PROTO_FIELD_OK);
    cr_assert_eq(n, -5);
    bool ok;
    cr_assert_eq(proto_get_bool(&msg.body, "ok", &ok), PROTO_FIELD_OK);
    cr_assert(ok);
    cr_assert_eq(proto_get_str(&msg.body, "missing", &s, &len), PROTO_FIELD_MISSING);
    cr_assert_eq(proto_get_int(&msg.body, "username", &n), PROTO_FIELD_WRONG_TYPE);
    proto_msg_release(&msg);
    proto_msg_release(&msg);   /* twice is safe */
    msgpack_sbuffer_destroy(&buf);
}

Test(proto, reply_round_trip_and_status)
{
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    proto_reply_begin(&pk, 9, PROTO_INVALID);
    proto_pack_field_error(&pk, "email", "Enter a valid email address.");
    proto_msg_t msg;
    cr_assert_eq(proto_reply_decode(buf.data, buf.size, &msg), 0);
    cr_assert_eq(msg.id, 9);
    cr_assert_eq(msg.status, PROTO_INVALID);
    json_t *json = proto_json_from_msgpack(&msg.body);
    char *text = json_dumps(json, JSON_COMPACT);
    cr_assert_str_eq(text, "{\"email\":[\"Enter a valid email address.\"]}");
    free(text);
    json_decref(json);
    proto_msg_release(&msg);
    /* A request is not a reply and the other way round. */
    cr_assert_neq(proto_request_decode(buf.data, buf.size, &msg), 0);
    proto_msg_release(&msg);
    msgpack_sbuffer_destroy(&buf);
}

Test(proto, status_mapping)
{
    cr_assert_eq(proto_status_http(PROTO_OK), 200);
    cr_assert_eq(proto_status_http(PROTO_CREATED), 201);
    cr_assert_eq(proto_status_http(PROTO_NO_CONTENT), 204);
    cr_assert_eq(proto_status_http(PROTO_RESET_CONTENT), 205);
    cr_assert_eq(proto_status_http(PROTO_INVALID), 400);
    cr_assert_eq(proto_status_http(PROTO_UNAUTHORIZED), 401);
    cr_assert_eq(proto_status_http(PROTO_FORBIDDEN), 403);
    cr_assert_eq(proto_status_http(PROTO_NOT_FOUND), 404);
    cr_assert_eq(proto_status_http(PROTO_UNAVAILABLE), 503);
    cr_assert_eq(proto_status_http(PROTO_INTERNAL), 500);
    cr_assert_eq(proto_status_http(12345), 500);
    cr_assert_str_eq(proto_status_detail(PROTO_NOT_FOUND), "Not found.");
    cr_assert_str_eq(proto_status_detail(PROTO_FORBIDDEN),
                     "You do not have permission to perform this action.");
    cr_assert_str_eq(proto_status_detail(PROTO_UNAVAILABLE), "Service temporarily unavailable.");
    cr_assert_null(proto_status_detail(PROTO_OK));
    cr_assert_not(proto_status_valid(-1));
    cr_assert_not(proto_status_valid(99));
}

Test(proto, every_truncation_is_rejected)
{
    msgpack_sbuffer buf;
    pack_request(&buf, "{\"a\": [1, 2, {\"b\": \"cccccccccccccccccccccccccccccccccccc\"}]}");
    for (size_t cut = 0; cut < buf.size; cut++) {
        proto_msg_t msg;
        cr_assert_neq(proto_request_decode(buf.data, cut, &msg), 0, "prefix of %zu bytes", cut);
        proto_msg_release(&msg);
    }
    /* Trailing garbage after a complete object is refused too. */
    msgpack_sbuffer_write(&buf, "\xc0", 1);
    cr_assert_neq(proto_validate(buf.data, buf.size), 0);
    msgpack_sbuffer_destroy(&buf);
}

Test(proto, element_count_bomb_is_rejected_before_unpacking)
{
    /* array32 claiming 4 billion elements: msgpack-c would try to allocate ~96 GB. */
    static const unsigned char bomb[] = { 0xdd, 0xff, 0xff, 0xff, 0xff };
    cr_assert_neq(proto_validate(bomb, sizeof bomb), 0);
    static const unsigned char map_bomb[] = { 0xdf, 0xff, 0xff, 0xff, 0xff, 0xc0 };
    cr_assert_neq(proto_validate(map_bomb, sizeof map_bomb), 0);
    static const unsigned char str_bomb[] = { 0xdb, 0xff, 0xff, 0xff, 0xff, 'a' };
    cr_assert_neq(proto_validate(str_bomb, sizeof str_bomb), 0);
    proto_msg_t msg;
    cr_assert_neq(proto_request_decode(bomb, sizeof bomb, &msg), 0);
    proto_msg_release(&msg);
}

Test(proto, deep_nesting_and_reserved_bytes_are_rejected)
{
    unsigned char deep[PROTO_MAX_DEPTH + 2];
    memset(deep, 0x91, sizeof deep);   /* fixarray of one, nested */
    deep[sizeof deep - 1] = 0xc0;
    cr_assert_neq(proto_validate(deep, sizeof deep), 0);
    static const unsigned char reserved[] = { 0xc1 };
    cr_assert_neq(proto_validate(reserved, 1), 0);
    cr_assert_neq(proto_validate(NULL, 0), 0);
}

Test(proto, garbage_never_crashes)
{
    unsigned int seed = 12345;
    unsigned char data[64];
    for (int round = 0; round < 20000; round++) {
        size_t size = 1 + (size_t) (rand_r(&seed) % sizeof data);
        for (size_t i = 0; i < size; i++)
            data[i] = (unsigned char) rand_r(&seed);
        proto_msg_t msg;
        proto_request_decode(data, size, &msg);
        proto_msg_release(&msg);
        proto_reply_decode(data, size, &msg);
        proto_msg_release(&msg);
    }
}

Test(proto, wrong_envelopes_are_rejected)
{
    const char *cases[] = {
        "[1, 2]",
        "{\"v\": 2, \"id\": 1, \"svc\": \"a\", \"method\": \"b\"}",
        "{\"v\": 1, \"id\": -1, \"svc\": \"a\", \"method\": \"b\"}",
        "{\"v\": 1, \"id\": 1, \"svc\": \"\", \"method\": \"b\"}",
        "{\"v\": 1, \"id\": 1, \"svc\": \"a\", \"method\": 5}",
        "{\"v\": 1, \"id\": 1, \"svc\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"method\": \"b\"}",
        "{\"v\": 1, \"id\": 1, \"svc\": \"a\", \"method\": \"b\", \"uid\": \"x\"}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        msgpack_sbuffer buf;
        msgpack_packer pk;
        msgpack_sbuffer_init(&buf);
        msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
        json_t *json = json_loads(cases[i], 0, NULL);
        cr_assert_not_null(json, "case %zu", i);
        proto_json_pack(&pk, json);
        json_decref(json);
        proto_msg_t msg;
        cr_assert_neq(proto_request_decode(buf.data, buf.size, &msg), 0, "case %zu", i);
        proto_msg_release(&msg);
        msgpack_sbuffer_destroy(&buf);
    }
}

Test(proto_json, round_trip_preserves_values)
{
    const char *text = "{\"s\":\"h\\u00e9llo\",\"i\":-9007199254740993,\"r\":1.5,"
                       "\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[2,{}]],\"o\":{\"k\":\"v\"}}";
    json_t *in = json_loads(text, 0, NULL);
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    cr_assert_eq(proto_json_pack(&pk, in), 0);
    msgpack_unpacked up;
    msgpack_unpacked_init(&up);
    cr_assert_eq(msgpack_unpack_next(&up, buf.data, buf.size, NULL), MSGPACK_UNPACK_SUCCESS);
    json_t *out = proto_json_from_msgpack(&up.data);
    cr_assert(json_equal(in, out));
    json_decref(in);
    json_decref(out);
    msgpack_unpacked_destroy(&up);
    msgpack_sbuffer_destroy(&buf);
}

Test(proto_json, unrepresentable_msgpack_is_refused)
{
    /* bin8 of one byte, and a map with an integer key */
    static const unsigned char bin[] = { 0xc4, 0x01, 0x00 };
    static const unsigned char int_key[] = { 0x81, 0x01, 0x02 };
    static const unsigned char bad_utf8[] = { 0xa2, 0xff, 0xfe };
    const unsigned char *cases[] = { bin, int_key, bad_utf8 };
    size_t sizes[] = { sizeof bin, sizeof int_key, sizeof bad_utf8 };
    for (int i = 0; i < 3; i++) {
        msgpack_unpacked up;
        msgpack_unpacked_init(&up);
        cr_assert_eq(msgpack_unpack_next(&up, (const char *) cases[i], sizes[i], NULL),
                     MSGPACK_UNPACK_SUCCESS);
        cr_assert_null(proto_json_from_msgpack(&up.data), "case %d", i);
        msgpack_unpacked_destroy(&up);
    }
}

/* JSON nested n containers deep: [[[...[1]...]]]. */
static json_t *nested_json(int n)
{
    json_t *value = json_integer(1);
    for (int i = 0; i < n; i++) {
        json_t *outer = json_array();
        json_array_append_new(outer, value);
        value = outer;
    }
    return value;
}

Test(proto_json, packs_only_what_proto_validate_accepts)
{
    for (int n = PROTO_MAX_DEPTH - 2; n <= PROTO_MAX_DEPTH + 2; n++) {
        for (int enclosing = 0; enclosing <= 2; enclosing++) {
            json_t *value = nested_json(n);
            msgpack_sbuffer buf;
            msgpack_packer pk;
            msgpack_sbuffer_init(&buf);
            msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
            for (int i = 0; i < enclosing; i++)
                msgpack_pack_array(&pk, 1);
            int rc = proto_json_pack_nested(&pk, value, enclosing);
            cr_assert_eq(rc == 0, n + enclosing <= PROTO_MAX_DEPTH, "n=%d enclosing=%d", n,
                         enclosing);
            if (rc == 0)
                cr_assert_eq(proto_validate(buf.data, buf.size), 0, "n=%d", n);
            msgpack_sbuffer_destroy(&buf);
            json_decref(value);
        }
    }
}

Test(proto_json, empty_strings_map_back_to_json)
{
    static const unsigned char lone[] = { 0xa0 };                    /* "" */
    static const unsigned char keyed[] = { 0x81, 0xa0, 0xa0 };       /* {"": ""} */
    const unsigned char *cases[] = { lone, keyed };
    size_t sizes[] = { sizeof lone, sizeof keyed };
    for (int i = 0; i < 2; i++) {
        msgpack_unpacked up;
        msgpack_unpacked_init(&up);
        cr_assert_eq(msgpack_unpack_next(&up, (const char *) cases[i], sizes[i], NULL),
                     MSGPACK_UNPACK_SUCCESS);
        json_t *json = proto_json_from_msgpack(&up.data);
        cr_assert_not_null(json, "case %d", i);
        json_decref(json);
        msgpack_unpacked_destroy(&up);
    }
}
