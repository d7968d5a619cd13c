/*  testbus.c: a scripted bus client for integration tests. See testbus.h. */
#include "testbus.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <czmq.h>

#include "bus.h"
#include "config.h"
#include "proto_json.h"

#define TESTBUS_TIMEOUT_MS 10000

static atomic_ullong next_id = 1;   /* correlation ids, unique in this process */
static pthread_once_t czmq_once = PTHREAD_ONCE_INIT;
static bus_keys_t *client_keys;     /* the "client" role's keys (BUS_KEYS...), for every client */

/* czmq's global set-up is not thread-safe: run it once before any socket is made;
 * the keys too, read once from the environment (kept until the process exits). */
static void czmq_init(void)
{
    zsys_init();
    bus_keys_config_t config;
    if (bus_keys_config_load(&config, BUS_ROLE_CLIENT) == 0)
        client_keys = bus_keys_new(&config, false);
}

const bus_keys_t *testbus_keys(void)
{
    pthread_once(&czmq_once, czmq_init);
    return client_keys;
}

/* A new client of the broker named by BUS_ENDPOINT, safe from any thread. */
static bus_client_t *new_client(void)
{
    pthread_once(&czmq_once, czmq_init);
    if (!client_keys)
        return NULL;
    return bus_client_new(config_str("BUS_ENDPOINT", BUS_DEFAULT_ENDPOINT), client_keys);
}

/* Decodes a reply envelope; status -1 when it is not one. */
static testbus_reply_t decode_reply(const void *data, size_t size)
{
    testbus_reply_t result = { -1, NULL };
    proto_msg_t msg;
    if (proto_reply_decode(data, size, &msg) == 0) {
        result.status = msg.status;
        result.body = proto_json_from_msgpack(&msg.body);
    }
    proto_msg_release(&msg);
    return result;
}

/* Sends a complete envelope and decodes the reply into a testbus_reply_t. */
static testbus_reply_t exchange(const char *service, const void *data, size_t size,
                                uint64_t id, int timeout_ms)
{
    testbus_reply_t result = { -1, NULL };
    bus_client_t *client = new_client();
    if (!client)
        return result;
    void *reply = NULL;
    long n = bus_call(client, service, data, size, id, timeout_ms, &reply);
    if (n > 0)
        result = decode_reply(reply, (size_t) n);
    free(reply);
    bus_client_destroy(&client);
    return result;
}

/* Packs an envelope whose body is a jansson value (stolen) or raw msgpack bytes. */
static testbus_reply_t call(const char *service, const char *method, uint64_t uid,
                            const char *client, json_t *body, const void *raw,
                            size_t raw_size)
{
    testbus_reply_t result = { -1, NULL };
    uint64_t id = atomic_fetch_add(&next_id, 1);
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    proto_request_begin_from(&pk, id, service, method, uid, client);
    if (raw)
        msgpack_sbuffer_write(&buf, raw, raw_size);
    else if (body)
        proto_json_pack(&pk, body);
    else
        msgpack_pack_nil(&pk);
    json_decref(body);
    result = exchange(service, buf.data, buf.size, id, TESTBUS_TIMEOUT_MS);
    msgpack_sbuffer_destroy(&buf);
    return result;
}

testbus_reply_t testbus_call(const char *service, const char *method, uint64_t uid,
                             const char *body_json)
{
    return testbus_call_from(service, method, uid, NULL, body_json);
}

testbus_reply_t testbus_call_from(const char *service, const char *method, uint64_t uid,
                                  const char *client, const char *body_json)
{
    json_t *body = NULL;
    if (body_json) {
        json_error_t error;
        body = json_loads(body_json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
        if (!body) {
            fprintf(stderr, "testbus: bad JSON in test: %s\n", error.text);
            return (testbus_reply_t) { -1, NULL };
        }
    }
    return call(service, method, uid, client, body, NULL, 0);
}

testbus_reply_t testbus_call_json(const char *service, const char *method, uint64_t uid,
                                  json_t *body)
{
    return call(service, method, uid, NULL, body, NULL, 0);
}

testbus_reply_t testbus_call_raw_body(const char *service, const char *method, uint64_t uid,
                                      const void *body, size_t size)
{
    return call(service, method, uid, NULL, NULL, body, size);
}

testbus_reply_t testbus_send_raw(const char *service, const void *data, size_t size,
                                 int timeout_ms)
{
    testbus_reply_t result = { -1, NULL };
    bus_client_t *client = new_client();
    if (!client)
        return result;
    const void *reply = NULL;
    long n = 0;
    int64_t deadline = zclock_mono() + timeout_ms;
    while (bus_client_send(client, service, data, size) != 0 && zclock_mono() < deadline)
        zclock_sleep(5);
    while (n == 0 && zclock_mono() < deadline)
        n = bus_client_recv(client, (int) (deadline - zclock_mono()), &reply);
    if (n > 0)
        result = decode_reply(reply, (size_t) n);
    bus_client_destroy(&client);
    return result;
}

void testbus_reply_free(testbus_reply_t *reply)
{
    json_decref(reply->body);
    reply->body = NULL;
}

const char *testbus_str(const testbus_reply_t *reply, const char *key)
{
    return json_string_value(json_object_get(reply->body, key));
}

long long testbus_int(const testbus_reply_t *reply, const char *key)
{
    json_t *value = json_object_get(reply->body, key);
    return json_is_integer(value) ? (long long) json_integer_value(value) : -1;
}

const char *testbus_unique(const char *prefix)
{
    static _Thread_local char buf[128];
    static atomic_uint counter = 0;
    snprintf(buf, sizeof buf, "%s%d_%u_%ld", prefix, (int) getpid(),
             atomic_fetch_add(&counter, 1), (long) (zclock_time() % 100000000));
    return buf;
}
