/*  bus_broker.c: the bus broker actor. See bus_broker.h and bus.h.
 *
 *  The engine is a list of small actions, each named for what it does; the message
 *  handlers below only pick the action for what arrived:
 *
 *    from a worker      READY       register worker with its credit (a second READY: forget
 *                                   it, DISCONNECT; a role that may not serve the name:
 *                                   refuse worker)
 *                       REPLY       pass reply to client, then give the worker its credit
 *                                   back (ready again)
 *                       HEARTBEAT   nothing more than proving it alive
 *                       DISCONNECT  forget worker
 *                       (unknown peer) disconnect stranger, so it starts over with READY
 *    from a client      request     enqueue request (unknown service or queue full:
 *                                   answer unavailable), then dispatch requests
 *    a service's last worker gone and its queue empty: drop service (unless configured)
 *    every tick         expire queued requests (answer unavailable),
 *                       every heartbeat: send heartbeats, forget silent workers
 *    on the pipe        BIND, WORKERS, SERVICES, $TERM
 */
#include "bus.h"

#include <string.h>

#include "log.h"
#include "proto.h"

/* Most distinct service names: only accepted workers and the configuration add names. */
#define BROKER_MAX_SERVICES 64
/* Longest time between two checks of the queue deadlines. */
#define BROKER_TICK_MS 100
/* Most messages read from the router in one go, so the timers are never starved. */
#define BROKER_BURST 1000

typedef struct service service_t;

typedef struct {
    char *key;                  /* hex of the identity: the workers table key */
    zframe_t *identity;         /* ROUTER identity of the worker's socket */
    service_t *service;         /* what it serves */
    int64_t expiry;             /* forgotten when silent past this (zclock_mono) */
    int credit;                 /* requests it takes at once (READY's credit frame) */
    int in_flight;              /* requests sent to it and not answered yet */
    void *ready_handle;         /* its place in service->ready, NULL while its credit is spent */
} worker_t;

typedef struct {
    zframe_t *client;           /* identity of the client that asked */
    zframe_t *envelope;         /* the request envelope, untouched */
    int64_t deadline;           /* answered 503 if still queued then */
} request_t;

struct service {
    char *name;                 /* service name */
    zlistx_t *ready;            /* worker_t* with credit left, the next to be sent first */
    zlistx_t *queue;            /* request_t* waiting for a worker, oldest first */
    size_t workers;             /* live workers of this service, busy or not */
    bool configured;            /* listed in the configuration: kept with no worker */
};

typedef struct {
    bus_broker_config_t config; /* queue limits and heartbeat timing, defaults filled in */
    zsock_t *pipe;              /* the actor's pipe: commands from its owner */
    zsock_t *router;            /* the one socket clients and workers connect to */
    zactor_t *auth;             /* the ZAP handler (czmq zauth) with CURVE; NULL without */
    bool curve;                 /* true: every message carries its sender's role */
    zpoller_t *poller;          /* waits on pipe and router */
    zhashx_t *services;         /* name -> service_t */
    zhashx_t *workers;          /* identity hex -> worker_t */
    int64_t heartbeat_at;       /* next heartbeat round (zclock_mono) */
    int64_t tick_at;            /* next check of queue deadlines (zclock_mono) */
    int terminated;             /* 1 once $TERM arrived */
} broker_t;

/* ---- object lifetimes ---- */

/* Frees a queued request; sets *self_p to NULL; safe on NULL. */
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

/* Frees a service and its queue; sets *self_p to NULL; safe on NULL. */
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

/* Frees a worker record; sets *self_p to NULL; safe on NULL. */
static void worker_destroy(worker_t **self_p)
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
    worker_destroy((worker_t **) item);
}

/* ---- sending ---- */

/* Sends [identity, BUS_WORKER, command, client?, envelope?] to a worker. Returns 0, or
 * -1 when the worker's connection is gone (ROUTER_MANDATORY). */
static int send_to_worker(broker_t *self, zframe_t *identity, const char *command,
                          zframe_t *client, zframe_t *envelope)
{
    const void *data[5] = { zframe_data(identity), BUS_WORKER, command };
    size_t size[5] = { zframe_size(identity), strlen(BUS_WORKER), strlen(command) };
    int count = 3;
    if (client) {
        data[count] = zframe_data(client);
        size[count++] = zframe_size(client);
    }
    if (envelope) {
        data[count] = zframe_data(envelope);
        size[count++] = zframe_size(envelope);
    }
    return bus_send(self->router, count, data, size);
}

/* Sends [client, BUS_CLIENT, service, envelope] to a client; a gone client is ignored. */
static void send_to_client(broker_t *self, zframe_t *client, const char *service,
                           const void *envelope, size_t size)
{
    const void *data[4] = { zframe_data(client), BUS_CLIENT, service, envelope };
    size_t sizes[4] = { zframe_size(client), strlen(BUS_CLIENT), strlen(service), size };
    if (bus_send(self->router, 4, data, sizes) != 0)
        log_debug("a client left before its reply");
}

/* ---- actions ---- */

/* Answers a request with PROTO_UNAVAILABLE on behalf of the missing worker. */
static void answer_unavailable(broker_t *self, const char *service, zframe_t *client,
                               zframe_t *envelope)
{
    proto_msg_t request;
    if (proto_request_decode(zframe_data(envelope), zframe_size(envelope), &request) != 0) {
        proto_msg_release(&request);
        return;                 /* no correlation id to answer to */
    }
    msgpack_sbuffer buf;
    bus_reply_pack(&buf, request.id, PROTO_UNAVAILABLE);
    send_to_client(self, client, service, buf.data, buf.size);
    msgpack_sbuffer_destroy(&buf);
    proto_msg_release(&request);
}

/* Tells a peer we do not know as a worker to start over with READY. */
static void disconnect_stranger(broker_t *self, zframe_t *identity)
{
    send_to_worker(self, identity, BUS_DISCONNECT, NULL, NULL);
}

/* Drops a service that has no worker and no queued request, unless configured. */
static void drop_service_if_idle(broker_t *self, service_t *service)
{
    if (service->configured || service->workers > 0 || zlistx_size(service->queue) > 0)
        return;
    log_info("service %s has no worker left: dropped", service->name);
    zhashx_delete(self->services, service->name);
}

/* Forgets a worker (and frees it); tells it to start over first when `disconnect`.
 * Its service is dropped when it was the last worker and nothing is queued. */
static void forget_worker(broker_t *self, worker_t *worker, int disconnect)
{
    if (disconnect)
        send_to_worker(self, worker->identity, BUS_DISCONNECT, NULL, NULL);
    service_t *service = worker->service;
    if (worker->ready_handle)
        zlistx_delete(service->ready, worker->ready_handle);
    service->workers--;
    zhashx_delete(self->workers, worker->key);
    drop_service_if_idle(self, service);
}

/*  Hands queued requests to workers with credit left while both exist, in turn: a
 *  worker that was sent one goes to the end of the list (or leaves it when its credit
 *  is spent), so the requests spread over the workers before any gets a second. A
 *  worker whose connection is gone is forgotten and the request stays queued. */
static void dispatch_requests(broker_t *self, service_t *service)
{
    while (zlistx_size(service->ready) > 0 && zlistx_size(service->queue) > 0) {
        worker_t *worker = zlistx_first(service->ready);
        request_t *request = zlistx_first(service->queue);
        if (send_to_worker(self, worker->identity, BUS_REQUEST, request->client,
                           request->envelope) != 0) {
            log_info("worker of %s is gone: forgotten", service->name);
            forget_worker(self, worker, 0);
            continue;
        }
        zlistx_delete(service->queue, zlistx_cursor(service->queue));
        if (++worker->in_flight < worker->credit) {
            zlistx_move_end(service->ready, worker->ready_handle);
        } else {
            zlistx_delete(service->ready, worker->ready_handle);
            worker->ready_handle = NULL;
        }
    }
}

/* Puts a worker at the end of its service's ready list and dispatches. */
static void mark_worker_ready(broker_t *self, worker_t *worker)
{
    worker->ready_handle = zlistx_add_end(worker->service->ready, worker);
    dispatch_requests(self, worker->service);
}

/* Finds or creates a service by name; NULL when the table is full. */
static service_t *require_service(broker_t *self, const char *name)
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

/* Records a new worker of `service` behind `identity`, taking `credit` requests at
 * once, and marks it ready. */
static void register_worker(broker_t *self, zframe_t *identity, const char *key,
                            service_t *service, int credit)
{
    worker_t *worker = calloc(1, sizeof *worker);
    if (!worker)
        return;
    worker->key = strdup(key);
    worker->identity = zframe_dup(identity);
    if (!worker->key || !worker->identity) {
        worker_destroy(&worker);
        return;
    }
    worker->service = service;
    worker->credit = credit;
    worker->expiry = zclock_mono() + (int64_t) self->config.heartbeat_ms * self->config.liveness;
    service->workers++;
    zhashx_insert(self->workers, worker->key, worker);
    log_info("worker of %s ready, credit %d (%zu live)", service->name, credit,
             service->workers);
    mark_worker_ready(self, worker);
}

/* Queues a client's request for `service` (answering unavailable at once when no such
 * service exists or its queue is full) and dispatches. */
static void enqueue_request(broker_t *self, const char *name, zframe_t *client,
                            zframe_t *envelope)
{
    service_t *service = zhashx_lookup(self->services, name);
    request_t *request = NULL;
    if (service && zlistx_size(service->queue) < (size_t) self->config.queue_max)
        request = calloc(1, sizeof *request);
    if (!request) {
        answer_unavailable(self, name, client, envelope);
        return;
    }
    request->client = zframe_dup(client);
    request->envelope = zframe_dup(envelope);
    request->deadline = zclock_mono() + self->config.queue_timeout_ms;
    zlistx_add_end(service->queue, request);
    dispatch_requests(self, service);
}

/* Answers PROTO_UNAVAILABLE to every queued request past its deadline; drops the
 * services this leaves with neither workers nor requests. */
static void expire_queued_requests(broker_t *self, int64_t now)
{
    /* Collect first: deleting while iterating a zhashx is not allowed. */
    zlistx_t *idle = zlistx_new();
    for (service_t *service = zhashx_first(self->services); service;
         service = zhashx_next(self->services)) {
        request_t *request = zlistx_first(service->queue);
        if (!request || request->deadline > now)
            continue;
        while (request && request->deadline <= now) {
            answer_unavailable(self, service->name, request->client, request->envelope);
            zlistx_delete(service->queue, zlistx_cursor(service->queue));
            request = zlistx_first(service->queue);
        }
        if (idle && service->workers == 0)
            zlistx_add_end(idle, service);
    }
    for (service_t *service = idle ? zlistx_first(idle) : NULL; service;
         service = zlistx_next(idle))
        drop_service_if_idle(self, service);
    zlistx_destroy(&idle);
}

/* Heartbeats every worker and forgets those silent past their expiry or gone. */
static void send_heartbeats(broker_t *self, int64_t now)
{
    /* Collect first: deleting while iterating a zhashx is not allowed. */
    zlistx_t *expired = zlistx_new();
    if (!expired)
        return;
    for (worker_t *worker = zhashx_first(self->workers); worker;
         worker = zhashx_next(self->workers)) {
        if (worker->expiry <= now
            || send_to_worker(self, worker->identity, BUS_HEARTBEAT, NULL, NULL) != 0)
            zlistx_add_end(expired, worker);
    }
    for (worker_t *worker = zlistx_first(expired); worker; worker = zlistx_next(expired)) {
        log_warn("worker of %s missed its heartbeats: forgotten", worker->service->name);
        forget_worker(self, worker, 0);
    }
    zlistx_destroy(&expired);
}

/* ---- messages ---- */

/* Copies a frame into a NUL-terminated name; -1 if absent, empty, too long or binary. */
static int frame_name(zframe_t *frame, char *buf, size_t bufsize)
{
    size_t size = frame ? zframe_size(frame) : 0;
    if (size == 0 || size >= bufsize || memchr(zframe_data(frame), 0, size))
        return -1;
    memcpy(buf, zframe_data(frame), size);
    buf[size] = 0;
    return 0;
}

/*  True when a peer of `role` may serve `name`: with CURVE only a serving role of the
 *  same name (a gateway or client key never serves); without CURVE, anyone. */
static bool role_may_serve(broker_t *self, const char *role, const char *name)
{
    if (!self->curve)
        return true;
    return role && bus_keys_role_serves(role) && strcmp(role, name) == 0;
}

/* Refuses a READY: logs it and answers nothing (the peer's next heartbeat, as a
 * stranger's, is told to start over, so a refused worker retries slowly). */
static void refuse_worker(const char *role, const char *name)
{
    log_warn("READY for %s refused: the peer's key has role %s", name, role ? role : "(none)");
}

/* READY's optional credit frame, decimal 1..BUS_CREDIT_MAX. Returns the credit, or 0
 * when the frame is not such a number. */
static int frame_credit(zframe_t *frame)
{
    size_t size = zframe_size(frame);
    const char *text = (const char *) zframe_data(frame);
    int credit = 0;
    for (size_t i = 0; i < size; i++) {
        if (text[i] < '0' || text[i] > '9' || credit > BUS_CREDIT_MAX)
            return 0;
        credit = credit * 10 + (text[i] - '0');
    }
    return credit >= 1 && credit <= BUS_CREDIT_MAX ? credit : 0;
}

/* READY service [credit]: registers the worker; a second READY or an unusable name or
 * credit makes the peer start over; a role that may not serve the name is refused. */
static void on_worker_ready(broker_t *self, zframe_t *identity, const char *key,
                            const char *role, worker_t *worker, zmsg_t *msg)
{
    char name[PROTO_NAME_MAX];
    size_t parts = zmsg_size(msg);
    int credit = parts == 2 ? frame_credit(zmsg_last(msg)) : 1;
    bool named = (parts == 1 || parts == 2) && credit > 0
                 && frame_name(zmsg_first(msg), name, sizeof name) == 0;
    service_t *service = NULL;
    if (worker) {
        forget_worker(self, worker, 1);
        return;
    }
    if (named && !role_may_serve(self, role, name)) {
        refuse_worker(role, name);
        return;
    }
    if (named)
        service = require_service(self, name);
    if (!service)
        disconnect_stranger(self, identity);
    else
        register_worker(self, identity, key, service, credit);
}

/* REPLY client envelope: passes the reply on (even from a worker we had given up on:
 * its client still waits, but only when its role may serve at all) and gives the
 * worker one request of credit back. */
static void on_worker_reply(broker_t *self, zframe_t *identity, const char *role,
                            worker_t *worker, zmsg_t *msg)
{
    if (zmsg_size(msg) != 2) {
        log_warn("malformed worker reply dropped");
        return;
    }
    if (!worker && self->curve && !(role && bus_keys_role_serves(role))) {
        log_warn("REPLY from a peer with role %s dropped", role ? role : "(none)");
        return;
    }
    send_to_client(self, zmsg_first(msg), worker ? worker->service->name : "",
                   zframe_data(zmsg_last(msg)), zframe_size(zmsg_last(msg)));
    if (!worker) {
        disconnect_stranger(self, identity);
        return;
    }
    if (worker->in_flight > 0)
        worker->in_flight--;
    if (!worker->ready_handle)
        mark_worker_ready(self, worker);
}

/* HEARTBEAT: a known worker is alive (its expiry is already renewed); a stranger is
 * told to start over. */
static void on_worker_heartbeat(broker_t *self, zframe_t *identity, worker_t *worker)
{
    if (!worker)
        disconnect_stranger(self, identity);
}

/* DISCONNECT: the worker is leaving; a stranger leaving needs nothing. */
static void on_worker_disconnect(broker_t *self, worker_t *worker)
{
    if (!worker)
        return;
    log_info("worker of %s left", worker->service->name);
    forget_worker(self, worker, 0);
}

/* Handles [BUS_WORKER, command, ...] from the peer behind `identity`, whose key names
 * `role` (NULL without CURVE). */
static void on_worker_message(broker_t *self, zframe_t *identity, const char *role,
                              zmsg_t *msg)
{
    char *key = zframe_strhex(identity);
    worker_t *worker = key ? zhashx_lookup(self->workers, key) : NULL;
    zframe_t *command = zmsg_pop(msg);
    if (worker)
        worker->expiry = zclock_mono()
                         + (int64_t) self->config.heartbeat_ms * self->config.liveness;
    if (key && command && zframe_streq(command, BUS_READY))
        on_worker_ready(self, identity, key, role, worker, msg);
    else if (command && zframe_streq(command, BUS_REPLY))
        on_worker_reply(self, identity, role, worker, msg);
    else if (command && zframe_streq(command, BUS_HEARTBEAT))
        on_worker_heartbeat(self, identity, worker);
    else if (command && zframe_streq(command, BUS_DISCONNECT))
        on_worker_disconnect(self, worker);
    else
        log_warn("malformed worker message dropped");
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
    enqueue_request(self, name, identity, zmsg_last(msg));
}

/* Reads one message from the router and hands it on by its protocol frame. */
static void on_router_message(broker_t *self)
{
    zmsg_t *msg = zmsg_recv(self->router);
    if (!msg)
        return;
    zframe_t *identity = zmsg_pop(msg);
    zframe_t *tag = zmsg_pop(msg);
    /* The ZAP handler gave the connection its certificate's metadata: every frame
     * read from it carries "role" (the identity frame is the router's own). */
    const char *role = self->curve && tag ? zframe_meta(tag, "role") : NULL;
    if (identity && tag && zframe_streq(tag, BUS_WORKER))
        on_worker_message(self, identity, role, msg);
    else if (identity && tag && zframe_streq(tag, BUS_CLIENT))
        on_client_message(self, identity, msg);
    else
        log_warn("message with an unknown protocol dropped");
    zframe_destroy(&identity);
    zframe_destroy(&tag);
    zmsg_destroy(&msg);
}

/* Reads what the router has, at most BROKER_BURST messages. */
static void on_router_readable(broker_t *self)
{
    for (int i = 0; i < BROKER_BURST && (zsock_events(self->router) & ZMQ_POLLIN); i++)
        on_router_message(self);
}

/* BIND endpoint: binds the router; answers the endpoint bound or "". */
static void on_bind_command(broker_t *self, const char *endpoint)
{
    char *bound = NULL;
    if (endpoint && zsock_bind(self->router, "%s", endpoint) >= 0)
        bound = zsock_last_endpoint(self->router);
    else
        log_error("cannot bind %s: %s", endpoint ? endpoint : "(nothing)",
                  zmq_strerror(zmq_errno()));
    zstr_send(self->pipe, bound ? bound : "");
    zstr_free(&bound);
}

/* WORKERS service: answers the number of live workers of service. */
static void on_workers_command(broker_t *self, const char *name)
{
    service_t *service = name ? zhashx_lookup(self->services, name) : NULL;
    zstr_sendf(self->pipe, "%zu", service ? service->workers : 0);
}

/* SERVICES: answers the number of services in the table. */
static void on_services_command(broker_t *self)
{
    zstr_sendf(self->pipe, "%zu", zhashx_size(self->services));
}

/* Reads one command from the pipe and carries it out. */
static void on_pipe_command(broker_t *self)
{
    zmsg_t *msg = zmsg_recv(self->pipe);
    char *command = msg ? zmsg_popstr(msg) : NULL;
    char *argument = msg ? zmsg_popstr(msg) : NULL;
    if (!command || streq(command, "$TERM"))
        self->terminated = 1;
    else if (streq(command, "BIND"))
        on_bind_command(self, argument);
    else if (streq(command, "WORKERS"))
        on_workers_command(self, argument);
    else if (streq(command, "SERVICES"))
        on_services_command(self);
    else
        log_warn("unknown broker command %s", command);
    zstr_free(&command);
    zstr_free(&argument);
    zmsg_destroy(&msg);
}

/* Runs the timers that are due. */
static void on_tick(broker_t *self)
{
    int64_t now = zclock_mono();
    if (now >= self->tick_at) {
        expire_queued_requests(self, now);
        self->tick_at = now + BROKER_TICK_MS;
    }
    if (now >= self->heartbeat_at) {
        send_heartbeats(self, now);
        self->heartbeat_at = now + self->config.heartbeat_ms;
    }
}

/* ---- the actor ---- */

/* Frees the broker and everything it holds; sets *self_p to NULL; safe on NULL. */
static void broker_destroy(broker_t **self_p)
{
    if (!*self_p)
        return;
    broker_t *self = *self_p;
    /* Workers first: they point into services. */
    zhashx_destroy(&self->workers);
    zhashx_destroy(&self->services);
    zpoller_destroy(&self->poller);
    zsock_destroy(&self->router);
    zactor_destroy(&self->auth);
    free(self);
    *self_p = NULL;
}

/*  Starts czmq's zauth admitting the CURVE keys of the certificates in `store` (it
 *  re-reads the folder when it changes) and handing on their metadata. Returns 0, or
 *  -1 (logged): when another ZAP handler already runs in this process, say. */
static int start_auth(broker_t *self, const char *store)
{
    if (!store) {
        log_error("the broker's keys have no folder of admitted certificates");
        return -1;
    }
    self->auth = zactor_new(zauth, NULL);
    if (!self->auth || zstr_sendx(self->auth, "CURVE", store, NULL) != 0
        || zsock_wait(self->auth) != 0) {
        log_error("cannot start the ZAP handler of the bus");
        return -1;
    }
    return 0;
}

/* Creates the configured services ("auth,user"), kept with no worker. Returns 0, or -1
 * (logged) on a name that is not a service name. */
static int configure_services(broker_t *self, const char *list)
{
    const char *at = list;
    while (at && *at) {
        size_t n = strcspn(at, ",");
        char name[PROTO_NAME_MAX];
        if (n > 0) {
            if (n >= sizeof name) {
                log_error("service name too long in %s", list);
                return -1;
            }
            memcpy(name, at, n);
            name[n] = 0;
            service_t *service = require_service(self, name);
            if (!service)
                return -1;
            service->configured = true;
        }
        at += n + (at[n] == ',');
    }
    return 0;
}

/* Makes the broker's state and its (unbound) router. Returns NULL on failure. */
static broker_t *broker_new(zsock_t *pipe, const bus_broker_config_t *config)
{
    broker_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->config = *config;
    if (self->config.heartbeat_ms <= 0)
        self->config.heartbeat_ms = BUS_HEARTBEAT_MS;
    if (self->config.liveness <= 0)
        self->config.liveness = BUS_HEARTBEAT_LIVENESS;
    self->pipe = pipe;
    self->services = zhashx_new();
    self->workers = zhashx_new();
    if (!self->services || !self->workers)
        goto fail;
    zhashx_set_destructor(self->services, service_destructor);
    zhashx_set_destructor(self->workers, worker_destructor);
    self->curve = bus_keys_curve(config->keys);
    /* The ZAP handler must run before the router binds: without one, libzmq lets
     * every CURVE client in. */
    if (self->curve && start_auth(self, bus_keys_store(config->keys)) != 0)
        goto fail;
    self->router = bus_socket_new(ZMQ_ROUTER, config->keys);
    if (!self->router || configure_services(self, config->services) != 0)
        goto fail;
    /* Sending to a peer that is gone fails instead of dropping silently. */
    zsock_set_router_mandatory(self->router, 1);
    self->poller = zpoller_new(pipe, self->router, NULL);
    if (!self->poller)
        goto fail;
    zpoller_set_nonstop(self->poller, true);   /* only $TERM stops the broker */
    int64_t now = zclock_mono();
    self->heartbeat_at = now + self->config.heartbeat_ms;
    self->tick_at = now + BROKER_TICK_MS;
    return self;
fail:
    broker_destroy(&self);
    return NULL;
}

void bus_broker_actor(zsock_t *pipe, void *config)
{
    broker_t *self = broker_new(pipe, config);
    zsock_signal(pipe, self ? 0 : 1);
    if (!self) {
        log_error("the broker could not start");
        return;
    }
    while (!self->terminated) {
        int64_t next = self->tick_at < self->heartbeat_at ? self->tick_at : self->heartbeat_at;
        int64_t wait = next - zclock_mono();
        void *which = zpoller_wait(self->poller, wait > 0 ? (int) wait : 0);
        if (which == pipe)
            on_pipe_command(self);
        else if (which == self->router)
            on_router_readable(self);
        on_tick(self);
    }
    broker_destroy(&self);
}

char *bus_broker_bind(zactor_t *broker, const char *endpoint)
{
    if (zstr_sendx(broker, "BIND", endpoint, NULL) != 0)
        return NULL;
    char *bound = zstr_recv(broker);
    if (bound && !strstr(bound, "://"))
        zstr_free(&bound);          /* "": the actor could not bind (it logged why) */
    return bound;
}

long bus_broker_services(zactor_t *broker)
{
    if (zstr_send(broker, "SERVICES") != 0)
        return -1;
    char *count = zstr_recv(broker);
    long result = count ? strtol(count, NULL, 10) : -1;
    zstr_free(&count);
    return result;
}

long bus_broker_workers(zactor_t *broker, const char *service)
{
    if (zstr_sendx(broker, "WORKERS", service, NULL) != 0)
        return -1;
    char *count = zstr_recv(broker);
    long result = count ? strtol(count, NULL, 10) : -1;
    zstr_free(&count);
    return result;
}
