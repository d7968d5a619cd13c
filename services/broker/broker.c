/*  broker.c: the bus broker. See broker.h and bus.h. */
#include "broker.h"

#include <czmq.h>
#include <errno.h>
#include <string.h>

#include "bus.h"
#include "log.h"
#include "proto.h"

/* Most distinct service names remembered: names come from clients, so they are bounded. */
#define BROKER_MAX_SERVICES 64
/* How often queue deadlines are checked. */
#define BROKER_TICK_MS 100

typedef struct service service_t;

typedef struct {
    char *key;                  /* hex of the identity: the workers table key */
    zframe_t *identity;         /* ROUTER identity of the worker's socket */
    service_t *service;         /* what it serves */
    int64_t expiry;             /* forgotten when silent past this (zclock_mono) */
    void *ready_handle;         /* its place in service->ready, NULL while busy */
} worker_t;

typedef struct {
    zframe_t *client;           /* identity of the client that asked */
    zframe_t *envelope;         /* the request envelope, untouched */
    int64_t deadline;           /* answered 503 if still queued then */
} request_t;

struct service {
    char *name;                 /* service name */
    zlistx_t *ready;            /* worker_t* idle, the longest idle first */
    zlistx_t *queue;            /* request_t* waiting for a worker, oldest first */
    size_t workers;             /* live workers of this service, busy or not */
};

struct broker {
    broker_config_t config;     /* endpoint and queue limits */
    zsock_t *router;            /* the one socket clients and workers connect to */
    zhashx_t *services;         /* name -> service_t */
    zhashx_t *workers;          /* identity hex -> worker_t */
    int64_t heartbeat_at;       /* next heartbeat round (zclock_mono) */
};

/* ---- object lifetimes ---- */

static void request_destroy(request_t **self_p)
{
    if (!*self_p)
        return;
    zframe_destroy(&(*self_p)->client);
    zframe_destroy(&(*self_p)->envelope);
    free(*self_p);
    *self_p = NULL;
}

/* zlistx destructor adapter for queued requests. */
static void request_destructor(void **item)
{
    request_destroy((request_t **) item);
}

static void service_destroy(service_t **self_p)
{
    if (!*self_p)
        return;
    zlistx_destroy(&(*self_p)->ready);
    zlistx_destroy(&(*self_p)->queue);
    free((*self_p)->name);
    free(*self_p);
    *self_p = NULL;
}

/* zhashx destructor adapter for services. */
static void service_destructor(void **item)
{
    service_destroy((service_t **) item);
}

static void worker_free(worker_t **self_p)
{
    if (!*self_p)
        return;
    zframe_destroy(&(*self_p)->identity);
    free((*self_p)->key);
    free(*self_p);
    *self_p = NULL;
}

/* zhashx destructor adapter for workers. */
static void worker_destructor(void **item)
{
    worker_free((worker_t **) item);
}

/* ---- sending ---- */

/*  Sends one multipart message of `count` parts. Returns 0, or -1 when the first part
 *  (the peer identity) is refused: with ROUTER_MANDATORY that means the peer's
 *  connection is gone. Once the first part is accepted the rest always is. */
static int send_parts(broker_t *self, int count, const void *const *data, const size_t *size)
{
    void *handle = zsock_resolve(self->router);
    for (int i = 0; i < count; i++) {
        int flags = i + 1 < count ? ZMQ_SNDMORE : 0;
        if (i == 0)
            flags |= ZMQ_DONTWAIT;
        if (zmq_send(handle, data[i], size[i], flags) < 0 && i == 0)
            return -1;
    }
    return 0;
}

/* Sends [identity, BUS_WORKER, command, client?, envelope?] to a worker. Returns 0, or
 * -1 when the worker's connection is gone. */
static int send_to_worker(broker_t *self, worker_t *worker, const char *command,
                          zframe_t *client, zframe_t *envelope)
{
    const void *data[5] = { zframe_data(worker->identity), BUS_WORKER, command };
    size_t size[5] = { zframe_size(worker->identity), strlen(BUS_WORKER), strlen(command) };
    int count = 3;
    if (client) {
        data[count] = zframe_data(client);
        size[count++] = zframe_size(client);
    }
    if (envelope) {
        data[count] = zframe_data(envelope);
        size[count++] = zframe_size(envelope);
    }
    return send_parts(self, count, data, size);
}

/* Sends [client, BUS_CLIENT, service, envelope] to a client; a gone client is ignored. */
static void send_to_client(broker_t *self, zframe_t *client, const char *service,
                           const void *envelope, size_t size)
{
    const void *data[4] = { zframe_data(client), BUS_CLIENT, service, envelope };
    size_t sizes[4] = { zframe_size(client), strlen(BUS_CLIENT), strlen(service), size };
    if (send_parts(self, 4, data, sizes) != 0)
        log_debug("a client left before its reply");
}

/* Answers a request with PROTO_UNAVAILABLE on behalf of the missing worker. */
static void reply_unavailable(broker_t *self, const char *service, zframe_t *client,
                              zframe_t *envelope)
{
    proto_msg_t request;
    if (proto_request_decode(zframe_data(envelope), zframe_size(envelope), &request) != 0) {
        proto_msg_release(&request);
        return;                 /* no correlation id to answer to */
    }
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    proto_reply_begin(&pk, request.id, PROTO_UNAVAILABLE);
    msgpack_pack_nil(&pk);
    send_to_client(self, client, service, buf.data, buf.size);
    msgpack_sbuffer_destroy(&buf);
    proto_msg_release(&request);
}

/* ---- workers ---- */

/* Forgets a worker; tells it to reconnect first when `disconnect` is set. */
static void worker_delete(broker_t *self, worker_t *worker, int disconnect)
{
    if (disconnect)
        send_to_worker(self, worker, BUS_DISCONNECT, NULL, NULL);
    if (worker->service) {
        if (worker->ready_handle)
            zlistx_delete(worker->service->ready, worker->ready_handle);
        worker->service->workers--;
    }
    zhashx_delete(self->workers, worker->key);   /* frees it */
}

/* Hands queued requests to ready workers while both exist. */
static void service_dispatch(broker_t *self, service_t *service)
{
    while (zlistx_size(service->ready) > 0 && zlistx_size(service->queue) > 0) {
        worker_t *worker = zlistx_first(service->ready);
        zlistx_delete(service->ready, worker->ready_handle);
        worker->ready_handle = NULL;
        request_t *request = zlistx_first(service->queue);
        if (send_to_worker(self, worker, BUS_REQUEST, request->client, request->envelope) != 0) {
            log_info("worker of %s is gone: forgotten", service->name);
            worker_delete(self, worker, 0);
            continue;           /* the request stays queued for the next worker */
        }
        zlistx_delete(service->queue, zlistx_cursor(service->queue));
    }
}

/* Puts a worker back at the end of its service's ready list and dispatches. */
static void worker_ready(broker_t *self, worker_t *worker)
{
    worker->ready_handle = zlistx_add_end(worker->service->ready, worker);
    service_dispatch(self, worker->service);
}

/* Finds or creates a service by name; NULL when the table is full. */
static service_t *service_require(broker_t *self, const char *name)
{
    service_t *service = zhashx_lookup(self->services, name);
    if (service || zhashx_size(self->services) >= BROKER_MAX_SERVICES)
        return service;
    service = calloc(1, sizeof *service);
    if (!service)
        return NULL;
    service->name = strdup(name);
    service->ready = zlistx_new();
    service->queue = zlistx_new();
    if (!service->name || !service->ready || !service->queue) {
        service_destroy(&service);
        return NULL;
    }
    zlistx_set_destructor(service->queue, request_destructor);
    zhashx_insert(self->services, name, service);
    return service;
}

/* Copies a frame into a NUL-terminated name; -1 if empty, too long or binary. */
static int frame_name(zframe_t *frame, char *buf, size_t bufsize)
{
    size_t size = frame ? zframe_size(frame) : 0;
    if (size == 0 || size >= bufsize || memchr(zframe_data(frame), 0, size))
        return -1;
    memcpy(buf, zframe_data(frame), size);
    buf[size] = 0;
    return 0;
}

/* Tells a peer we do not know as a worker to start over with READY. */
static void disconnect_stranger(broker_t *self, zframe_t *identity)
{
    worker_t stranger = { NULL, identity, NULL, 0, NULL };
    send_to_worker(self, &stranger, BUS_DISCONNECT, NULL, NULL);
}

/* Handles [BUS_WORKER, command, ...] from the worker behind `identity`. */
static void on_worker_message(broker_t *self, zframe_t *identity, zmsg_t *msg)
{
    char *key = zframe_strhex(identity);
    worker_t *worker = zhashx_lookup(self->workers, key);
    zframe_t *command = zmsg_pop(msg);
    int64_t expiry = zclock_mono() + BUS_HEARTBEAT_MS * BUS_HEARTBEAT_LIVENESS;

    if (worker)
        worker->expiry = expiry;
    if (command && zframe_streq(command, BUS_READY) && zmsg_size(msg) == 1) {
        char name[PROTO_NAME_MAX];
        service_t *service = NULL;
        if (!worker && frame_name(zmsg_first(msg), name, sizeof name) == 0)
            service = service_require(self, name);
        if (worker || !service) {
            /* A second READY or an unusable name: make the worker start over. */
            if (worker)
                worker_delete(self, worker, 1);
            else
                disconnect_stranger(self, identity);
        } else {
            worker = calloc(1, sizeof *worker);
            if (worker) {
                worker->key = strdup(key);
                worker->identity = zframe_dup(identity);
                worker->service = service;
                worker->expiry = expiry;
                service->workers++;
                zhashx_insert(self->workers, worker->key, worker);
                log_info("worker of %s ready (%zu live)", service->name, service->workers);
                worker_ready(self, worker);
            }
        }
    } else if (command && zframe_streq(command, BUS_REPLY) && zmsg_size(msg) == 2) {
        zframe_t *client = zmsg_pop(msg);
        zframe_t *envelope = zmsg_pop(msg);
        /* The reply goes to its client even from a worker we had given up on. */
        send_to_client(self, client, worker ? worker->service->name : "",
                       zframe_data(envelope), zframe_size(envelope));
        if (worker && !worker->ready_handle)
            worker_ready(self, worker);
        else if (!worker)
            disconnect_stranger(self, identity);
        zframe_destroy(&client);
        zframe_destroy(&envelope);
    } else if (command && zframe_streq(command, BUS_HEARTBEAT)) {
        if (!worker)
            disconnect_stranger(self, identity);
    } else if (command && zframe_streq(command, BUS_DISCONNECT)) {
        if (worker) {
            log_info("worker of %s left", worker->service->name);
            worker_delete(self, worker, 0);
        }
    } else {
        log_warn("malformed worker message dropped");
    }
    zframe_destroy(&command);
    free(key);
}

/* Handles [BUS_CLIENT, service, envelope] from the client behind `identity`. */
static void on_client_message(broker_t *self, zframe_t *identity, zmsg_t *msg)
{
    char name[PROTO_NAME_MAX];
    if (zmsg_size(msg) != 2 || frame_name(zmsg_first(msg), name, sizeof name) != 0) {
        log_warn("malformed client message dropped");
        return;
    }
    zframe_t *envelope = zmsg_last(msg);
    service_t *service = service_require(self, name);
    if (!service || zlistx_size(service->queue) >= (size_t) self->config.queue_max) {
        reply_unavailable(self, name, identity, envelope);
        return;
    }
    request_t *request = calloc(1, sizeof *request);
    if (!request) {
        reply_unavailable(self, name, identity, envelope);
        return;
    }
    request->client = zframe_dup(identity);
    request->envelope = zframe_dup(envelope);
    request->deadline = zclock_mono() + self->config.queue_timeout_ms;
    zlistx_add_end(service->queue, request);
    service_dispatch(self, service);
}

/* Reads one message from the router and routes it by its protocol frame. */
static void on_message(broker_t *self)
{
    zmsg_t *msg = zmsg_recv(self->router);
    if (!msg)
        return;
    zframe_t *identity = zmsg_pop(msg);
    zframe_t *tag = zmsg_pop(msg);
    if (identity && tag && zframe_streq(tag, BUS_WORKER))
        on_worker_message(self, identity, msg);
    else if (identity && tag && zframe_streq(tag, BUS_CLIENT))
        on_client_message(self, identity, msg);
    else
        log_warn("message with an unknown protocol dropped");
    zframe_destroy(&identity);
    zframe_destroy(&tag);
    zmsg_destroy(&msg);
}

/* Answers 503 for requests past their deadline; heartbeats and purges workers. */
static void on_tick(broker_t *self)
{
    int64_t now = zclock_mono();
    for (service_t *service = zhashx_first(self->services); service;
         service = zhashx_next(self->services)) {
        request_t *request = zlistx_first(service->queue);
        while (request && request->deadline <= now) {
            reply_unavailable(self, service->name, request->client, request->envelope);
            zlistx_delete(service->queue, zlistx_cursor(service->queue));
            request = zlistx_first(service->queue);
        }
    }
    if (now < self->heartbeat_at)
        return;
    self->heartbeat_at = now + BUS_HEARTBEAT_MS;
    /* Collect first: deleting while iterating a zhashx is not allowed. */
    zlistx_t *expired = zlistx_new();
    for (worker_t *worker = zhashx_first(self->workers); worker;
         worker = zhashx_next(self->workers)) {
        if (worker->expiry <= now || send_to_worker(self, worker, BUS_HEARTBEAT, NULL, NULL) != 0)
            zlistx_add_end(expired, worker);
    }
    for (worker_t *worker = zlistx_first(expired); worker; worker = zlistx_next(expired)) {
        log_warn("worker of %s missed its heartbeats: forgotten", worker->service->name);
        worker_delete(self, worker, 0);
    }
    zlistx_destroy(&expired);
}

broker_t *broker_new(const broker_config_t *config)
{
    broker_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->config = *config;
    self->services = zhashx_new();
    self->workers = zhashx_new();
    self->router = zsock_new(ZMQ_ROUTER);
    if (!self->services || !self->workers || !self->router)
        goto fail;
    zhashx_set_destructor(self->services, service_destructor);
    zhashx_set_destructor(self->workers, worker_destructor);
    void *handle = zsock_resolve(self->router);
    int one = 1, zero = 0, hwm = 100000;
    int64_t maxsize = PROTO_MAX_MESSAGE;
    /* Sending to a peer that is gone fails instead of dropping silently. */
    zmq_setsockopt(handle, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    zmq_setsockopt(handle, ZMQ_MAXMSGSIZE, &maxsize, sizeof maxsize);
    zmq_setsockopt(handle, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(handle, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(handle, ZMQ_LINGER, &zero, sizeof zero);
    if (zsock_bind(self->router, "%s", config->endpoint) < 0) {
        log_error("cannot bind %s: %s", config->endpoint, zmq_strerror(zmq_errno()));
        goto fail;
    }
    self->heartbeat_at = zclock_mono() + BUS_HEARTBEAT_MS;
    return self;
fail:
    broker_destroy(&self);
    return NULL;
}

void broker_destroy(broker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    broker_t *self = *self_p;
    /* Workers first: they point into services. */
    zhashx_destroy(&self->workers);
    zhashx_destroy(&self->services);
    zsock_destroy(&self->router);
    free(self);
    *self_p = NULL;
}

void broker_run(broker_t *self, volatile sig_atomic_t *stop)
{
    zmq_pollitem_t item = { zsock_resolve(self->router), 0, ZMQ_POLLIN, 0 };
    int64_t next_tick = zclock_mono() + BROKER_TICK_MS;
    while (!*stop) {
        long wait = (long) (next_tick - zclock_mono());
        int rc = zmq_poll(&item, 1, wait > 0 ? wait : 0);
        if (rc < 0 && errno != EINTR)
            break;
        /* Drain in bursts so one busy client cannot starve the timers. */
        for (int i = 0; rc > 0 && i < 1000; i++) {
            int events = 0;
            size_t len = sizeof events;
            zmq_getsockopt(item.socket, ZMQ_EVENTS, &events, &len);
            if (!(events & ZMQ_POLLIN))
                break;
            on_message(self);
        }
        if (zclock_mono() >= next_tick) {
            on_tick(self);
            next_tick = zclock_mono() + BROKER_TICK_MS;
        }
    }
}
