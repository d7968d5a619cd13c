/*  testdata.c: JSON in, msgpack trees and error maps out, for unit tests. See
 *  testdata.h. */
#include "testdata.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "proto_json.h"

void testdata_begin(testdata_t *self, msgpack_packer *pk)
{
    msgpack_sbuffer_init(&self->buf);
    msgpack_packer_init(pk, &self->buf, msgpack_sbuffer_write);
    msgpack_unpacked_init(&self->unpacked);
}

const msgpack_object *testdata_finish(testdata_t *self)
{
    size_t off = 0;
    cr_assert_eq(msgpack_unpack_next(&self->unpacked, self->buf.data, self->buf.size, &off),
                 MSGPACK_UNPACK_SUCCESS);
    return &self->unpacked.data;
}

const msgpack_object *testdata_pack_json(testdata_t *self, const char *json)
{
    json_error_t error;
    json_t *value = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
    cr_assert_not_null(value, "bad JSON in test: %s", error.text);
    msgpack_packer pk;
    testdata_begin(self, &pk);
    cr_assert_eq(proto_json_pack(&pk, value), 0);
    json_decref(value);
    return testdata_finish(self);
}

const msgpack_object *testdata_pack_uint64_max(testdata_t *self, const char *key)
{
    msgpack_packer pk;
    testdata_begin(self, &pk);
    msgpack_pack_map(&pk, 1);
    proto_pack_str(&pk, key);
    msgpack_pack_uint64(&pk, UINT64_MAX);
    return testdata_finish(self);
}

void testdata_reply(testdata_t *self, int status, const char *body_json, proto_msg_t *msg)
{
    msgpack_packer pk;
    testdata_begin(self, &pk);
    proto_reply_begin(&pk, 9, status);
    if (body_json) {
        json_error_t error;
        json_t *value = json_loads(body_json, JSON_DECODE_ANY, &error);
        cr_assert_not_null(value, "bad JSON in test: %s", error.text);
        cr_assert_eq(proto_json_pack(&pk, value), 0);
        json_decref(value);
    } else {
        msgpack_pack_nil(&pk);
    }
    cr_assert_eq(proto_reply_decode(self->buf.data, self->buf.size, msg), 0);
}

void testdata_free(testdata_t *self)
{
    msgpack_unpacked_destroy(&self->unpacked);
    msgpack_sbuffer_destroy(&self->buf);
}

char *testdata_buffer_json(const msgpack_sbuffer *buf)
{
    msgpack_unpacked un;
    msgpack_unpacked_init(&un);
    size_t off = 0;
    cr_assert_eq(msgpack_unpack_next(&un, buf->data, buf->size, &off), MSGPACK_UNPACK_SUCCESS);
    cr_assert_eq(off, buf->size, "more than one object packed");
    json_t *json = proto_json_from_msgpack(&un.data);
    cr_assert_not_null(json);
    char *text = json_dumps(json, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(json);
    msgpack_unpacked_destroy(&un);
    return text;
}


char *testdata_errors_json(const field_errors_t *errors)
{
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    field_errors_pack(errors, &pk);
    char *text = testdata_buffer_json(&buf);
    msgpack_sbuffer_destroy(&buf);
    return text;
}

char *testdata_normalized(const char *json)
{
    json_error_t error;
    json_t *value = json_loads(json, 0, &error);
    cr_assert_not_null(value, "bad expected JSON: %s", error.text);
    char *text = json_dumps(value, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(value);
    return text;
}

/*  Expects (cr_expect) the JSON text `have` (freed here) to be expected_json once
 *  normalized. Returns true when expected_json is the empty map. */
static bool expect_json(char *have, const char *expected_json, const char *context)
{
    char *want = testdata_normalized(expected_json);
    cr_expect_str_eq(have, want, "%s", context);
    bool empty = strcmp(want, "{}") == 0;
    free(have);
    free(want);
    return empty;
}

void testdata_expect_packed(const msgpack_sbuffer *buf, const char *expected_json,
                            const char *context)
{
    expect_json(testdata_buffer_json(buf), expected_json, context);
}

bool testdata_expect_errors(const field_errors_t *errors, const char *expected_json,
                            const char *context)
{
    return expect_json(testdata_errors_json(errors), expected_json, context);
}
