/*  testbroker.c: an in-process broker and scripted bus peers. See testbroker.h. */
#include "testbroker.h"

#include <stdlib.h>
#include <string.h>

#include "proto.h"

static char keys_dir[64];          /* this process's folder of test keys, "" until made */
static zhashx_t *keys_by_role;     /* role -> bus_keys_t*, for the process's lifetime */

/* Removes the folder of test keys (atexit). The keys stay: a socket may still use them. */
static void remove_keys_dir(void)
{
    zdir_t *dir = keys_dir[0] ? zdir_new(keys_dir, NULL) : NULL;
    if (dir)
        zdir_remove(dir, true);
    zdir_destroy(&dir);
}

/* zhashx destructor adapter for keys. */
static void keys_destructor(void **item)
{
    bus_keys_destroy((bus_keys_t **) item);
}

const bus_keys_t *testbroker_keys(const char *role)
{
    if (!keys_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(keys_dir, sizeof keys_dir, "%s/bus-keys-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        keys_by_role = zhashx_new();
        if (strlen(keys_dir) + 1 >= sizeof keys_dir || !keys_by_role || !mkdtemp(keys_dir)) {
            keys_dir[0] = 0;
            return NULL;
        }
        zhashx_set_destructor(keys_by_role, keys_destructor);
        atexit(remove_keys_dir);
        setenv("BUS_KEYS", keys_dir, 1);
        if (bus_keys_create(keys_dir, BUS_ROLE_BROKER) != 0
            || bus_keys_create(keys_dir, BUS_ROLE_CLIENT) != 0)
            return NULL;
    }
    bus_keys_t *keys = zhashx_lookup(keys_by_role, role);
    if (keys)
        return keys;
    bus_keys_config_t config;
    if (bus_keys_create(keys_dir, role) != 0 || bus_keys_config_load(&config, role) != 0)
        return NULL;
    keys = bus_keys_new(&config, strcmp(role, BUS_ROLE_BROKER) == 0);
    if (keys)
        zhashx_insert(keys_by_role, role, keys);
    return keys;
}

zactor_t *testbroker_start(const bus_broker_config_t *config, const char *endpoint,
                           char **bound)
{
    bus_broker_config_t with_keys = *config;
    if (!with_keys.keys)
        with_keys.keys = testbroker_keys(BUS_ROLE_BROKER);
    if (!with_keys.keys)
        return NULL;
    zactor_t *broker = zactor_new(bus_broker_actor, &with_keys);
    char *where = broker ? bus_broker_bind(broker, endpoint ? endpoint : "tcp://127.0.0.1:*")
                         : NULL;
    if (!where) {
        zactor_destroy(&broker);
        return NULL;
    }
    setenv("BUS_ENDPOINT", where, 1);
    if (bound)
        *bound = where;
    else
        zstr_free(&where);
    return broker;
}

bool testbroker_wait_workers(zactor_t *broker, const char *service, long count,
                             int timeout_ms)
{
    int64_t deadline = zclock_mono() + timeout_ms;
    for (;;) {
        if (bus_broker_workers(broker, service) == count)
            return true;
        if (zclock_mono() >= deadline)
            return false;
        zclock_sleep(10);
    }
}

void testbroker_request(msgpack_sbuffer *buf, uint64_t id, const char *service)
{
    msgpack_packer pk;
    msgpack_sbuffer_init(buf);
    msgpack_packer_init(&pk, buf, msgpack_sbuffer_write);
    proto_request_begin(&pk, id, service, "ping", 0);
    msgpack_pack_nil(&pk);
}

int testbroker_reply_status(const void *data, size_t size, uint64_t *id)
{
    proto_msg_t msg;
    int status = -1;
    if (proto_reply_decode(data, size, &msg) == 0) {
        status = msg.status;
        *id = msg.id;
    }
    proto_msg_release(&msg);
    return status;
}

zmsg_t *testbroker_expect(zsock_t *sock, int skip, const char *command, int timeout_ms)
{
    int64_t deadline = zclock_mono() + timeout_ms;
    while (zclock_mono() < deadline) {
        zmq_pollitem_t item = { zsock_resolve(sock), 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&item, 1, (long) (deadline - zclock_mono())) <= 0)
            continue;
        zmsg_t *msg = zmsg_recv(sock);
        zframe_t *tag = zmsg_first(msg);
        for (int i = 0; tag && i < skip; i++)
            tag = zmsg_next(msg);
        zframe_t *found = tag ? zmsg_next(msg) : NULL;
        if (found && zframe_streq(tag, BUS_WORKER) && zframe_streq(found, command))
            return msg;
        zmsg_destroy(&msg);
    }
    return NULL;
}

/* What the echo worker actor is given. */
typedef struct {
    const char *endpoint;                 /* the broker */
    const char *service;                  /* what it serves */
    const bus_keys_t *keys;               /* its CURVE keys */
    const bus_worker_options_t *options;  /* heartbeat timing, may be NULL */
    bool started;                         /* set before the handshake when it started */
} echo_args_t;

/* The echo worker: answers PROTO_OK with each request's id until $TERM. */
static void echo_actor(zsock_t *pipe, void *arg)
{
    echo_args_t *args = arg;
    bus_worker_t *worker = bus_worker_new(args->endpoint, args->service, args->keys,
                                          args->options);
    args->started = worker != NULL;
    zsock_signal(pipe, 0);
    const void *request;
    size_t size;
    /* Anything but a request ($TERM on the pipe, a failed socket) ends it. */
    while (worker && bus_worker_recv(worker, pipe, -1, &request, &size) == BUS_WORKER_REQUEST) {
        proto_msg_t msg;
        uint64_t id = proto_request_decode(request, size, &msg) == 0 ? msg.id : 0;
        proto_msg_release(&msg);
        msgpack_sbuffer buf;
        bus_reply_pack(&buf, id, PROTO_OK);
        bus_worker_reply(worker, buf.data, buf.size);
        msgpack_sbuffer_destroy(&buf);
    }
    bus_worker_destroy(&worker);
}

zactor_t *testbroker_echo_worker(const char *endpoint, const char *service,
                                 const bus_keys_t *keys, const bus_worker_options_t *options)
{
    echo_args_t args = { endpoint, service, keys ? keys : testbroker_keys(service), options,
                         false };
    if (!args.keys)
        return NULL;
    zactor_t *actor = zactor_new(echo_actor, &args);
    if (actor && !args.started)
        zactor_destroy(&actor);
    return actor;
}
