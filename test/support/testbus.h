/*  testbus.h: a scripted bus client for integration tests.
 *
 *  Talks to the broker named by BUS_ENDPOINT (default tcp://127.0.0.1:5555) with real
 *  ZeroMQ sockets and msgpack envelopes, exactly as the gateway does, so a service can
 *  be tested with no gateway in between. Bodies are written and read as JSON text to
 *  keep tests readable.
 */
#ifndef TESTBUS_H_INCLUDED
#define TESTBUS_H_INCLUDED

#include "bus_keys.h"
#include <jansson.h>
#include <stdint.h>

#include "proto.h"

typedef struct {
    int status;          /* proto_status_t of the reply, or -1 when none came */
    json_t *body;        /* reply body as JSON (json null when nil); owned */
} testbus_reply_t;

/*  Calls service.method as user uid (0 = anonymous) with the body given as JSON text
 *  (NULL for nil), waits up to 10 s. Returns the reply; status -1 on timeout. The
 *  returned body must be freed with testbus_reply_free. Thread-safe (one socket per
 *  call), so tests may call it from many threads at once. */
testbus_reply_t testbus_call(const char *service, const char *method, uint64_t uid,
                             const char *body_json);
/* Like testbus_call, for a request made on behalf of a client at address `client`
 * (what the gateway sends; NULL for none, as internal tools send). */
testbus_reply_t testbus_call_from(const char *service, const char *method, uint64_t uid,
                                  const char *client, const char *body_json);
/* Like testbus_call with the body as a jansson value, which it steals (decrefs) whatever
 * happens; strings may hold NUL characters. NULL sends nil. */
testbus_reply_t testbus_call_json(const char *service, const char *method, uint64_t uid,
                                  json_t *body);
/* Like testbus_call, with a body already packed as raw msgpack bytes, sent as the
 * whole envelope body (for malformed-input tests). */
testbus_reply_t testbus_call_raw_body(const char *service, const char *method, uint64_t uid,
                                      const void *body, size_t size);
/* Sends `data` as the envelope itself (no encoding at all) and waits for a reply. */
testbus_reply_t testbus_send_raw(const char *service, const void *data, size_t size,
                                 int timeout_ms);
void testbus_reply_free(testbus_reply_t *reply);
/* The "client" role's bus keys every testbus client uses (BUS_KEYS...), or NULL when
 * they cannot be read. */
const bus_keys_t *testbus_keys(void);

/* Short helpers for assertions: body field as string / integer (NULL / -1 if absent). */
const char *testbus_str(const testbus_reply_t *reply, const char *key);
long long testbus_int(const testbus_reply_t *reply, const char *key);
/* A fresh unique suffix (pid + counter), for usernames that never collide across runs. */
const char *testbus_unique(const char *prefix);

#endif
