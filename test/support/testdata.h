/*  testdata.h: request data, field errors and packed replies as JSON text, for unit
 *  tests of the code that reads requests and packs answers (charfield.h,
 *  serializer_data.h, auth's validators, the records and pages services pack).
 *
 *  A test writes the data a client would send as JSON, gets the msgpack tree a
 *  service receives, and compares the errors it collected as compact JSON with
 *  sorted keys, so expected values read as DRF's answers do.
 */
#ifndef TESTDATA_H_INCLUDED
#define TESTDATA_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>

#include "field_errors.h"
#include "proto.h"

/* A msgpack tree made from JSON text; keeps its storage. */
typedef struct {
    msgpack_sbuffer buf;        /* packed bytes */
    msgpack_unpacked unpacked;  /* the tree */
} testdata_t;

/*  Packs JSON text (any value; "\u0000" allowed) as the gateway would and unpacks
 *  it; the object lives in *self until testdata_free. Fails the test on bad JSON. */
const msgpack_object *testdata_pack_json(testdata_t *self, const char *json);
/*  For values JSON cannot carry (text that is not UTF-8, integers past int64): starts
 *  an empty buffer in *self and sets up *pk to write one value into it by hand. */
void testdata_begin(testdata_t *self, msgpack_packer *pk);
/* Unpacks the value written since testdata_begin; it lives until testdata_free. */
const msgpack_object *testdata_finish(testdata_t *self);
/* The map {key: UINT64_MAX}, which JSON text cannot carry through jansson (it stops at
 * int64); it lives in *self until testdata_free. */
const msgpack_object *testdata_pack_uint64_max(testdata_t *self, const char *key);
/*  A bus reply with `status` whose body is the JSON text body_json (NULL: nil), packed
 *  as a service sends it and decoded into *msg as the gateway decodes it. The bytes
 *  live in *self until testdata_free (after proto_msg_release(msg)). Fails the test
 *  on bad JSON or a reply that does not decode. */
void testdata_reply(testdata_t *self, int status, const char *body_json, proto_msg_t *msg);
/* Frees what testdata_pack_json, testdata_begin or testdata_reply kept. */
void testdata_free(testdata_t *self);
/* The one msgpack object packed into buf as JSON text (sorted keys, compact); the
 * caller frees it. Fails the test when buf holds no whole object. */
char *testdata_buffer_json(const msgpack_sbuffer *buf);
/* Expects (cr_expect) the object packed into buf to be expected_json (compared as
 * testdata_buffer_json writes it); context names the case in a failure message. */
void testdata_expect_packed(const msgpack_sbuffer *buf, const char *expected_json,
                            const char *context);
/* The collected errors as JSON text (sorted keys, compact); the caller frees it. */
char *testdata_errors_json(const field_errors_t *errors);
/* Expected JSON text written the same way as testdata_errors_json; the caller frees. */
char *testdata_normalized(const char *json);
/*  Expects (cr_expect) the collected errors to be expected_json; context names the
 *  case in a failure message. Returns true when expected_json is the empty map. */
bool testdata_expect_errors(const field_errors_t *errors, const char *expected_json,
                            const char *context);

#endif
