/*  bus_worker.c: one worker of one service on the bus. See bus_worker.h. */
#include "bus.h"

#include <errno.h>
#include <string.h>

#include "log.h"

struct bus_worker {
    char *endpoint;             /* the broker's endpoint */
    char *service;              /* the service announced with READY */
    const bus_keys_t *keys;     /* CURVE keys of every socket it opens; NULL: plain */
    int heartbeat_ms;           /* interval of our heartbeats (and the broker's) */
    int liveness;               /* silent intervals before the broker counts as gone */
    char credit[12];            /* READY's credit frame, decimal */
    zsock_t *sock;              /* DEALER to the broker; a new one on every reconnect */
    int64_t heartbeat_at;       /* when our next HEARTBEAT is due (zclock_mono) */
    int64_t expiry;             /* the broker is gone when silent past this */
    zframe_t *client;           /* identity of the client whose request is being served */
    zframe_t *request;          /* that request's envelope */
    int leaving;                /* 1 once bus_worker_leave sent DISCONNECT */
    int64_t leave_until;        /* while leaving: end of the drain (zclock_mono) */
    size_t reconnects;          /* connections made again since bus_worker_new */
};

/* Sends [BUS_WORKER, command]. Returns 0, or -1 when the socket refused it or there
 * is none (a reconnect failed). */
static int send_command(bus_worker_t *self, const char *command)
{
    if (!self->sock)
        return -1;
    const void *data[2] = { BUS_WORKER, command };
    size_t size[2] = { strlen(BUS_WORKER), strlen(command) };
    return bus_send(self->sock, 2, data, size);
}

/* Opens a new socket to the broker and announces READY. Returns 0, or -1 (logged). */
static int connect_to_broker(bus_worker_t *self)
{
    zsock_destroy(&self->sock);
    self->sock = bus_socket_new(ZMQ_DEALER, self->keys);
    if (!self->sock || zsock_connect(self->sock, "%s", self->endpoint) != 0) {
        log_error("cannot connect a worker of %s to %s", self->service, self->endpoint);
        zsock_destroy(&self->sock);
        return -1;
    }
    const void *data[4] = { BUS_WORKER, BUS_READY, self->service, self->credit };
    size_t size[4] = { strlen(BUS_WORKER), strlen(BUS_READY), strlen(self->service),
                       strlen(self->credit) };
    bus_send(self->sock, 4, data, size);
    int64_t now = zclock_mono();
    self->heartbeat_at = now + self->heartbeat_ms;
    self->expiry = now + (int64_t) self->heartbeat_ms * self->liveness;
    return 0;
}

/* Forgets the request being served, if any. */
static void drop_request(bus_worker_t *self)
{
    zframe_destroy(&self->client);
    zframe_destroy(&self->request);
}

bus_worker_t *bus_worker_new(const char *endpoint, const char *service,
                             const bus_keys_t *keys, const bus_worker_options_t *options)
{
    bus_worker_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->endpoint = strdup(endpoint);
    self->service = strdup(service);
    self->keys = keys;
    self->heartbeat_ms = options && options->heartbeat_ms > 0 ? options->heartbeat_ms
                                                              : BUS_HEARTBEAT_MS;
    self->liveness = options && options->liveness > 0 ? options->liveness
                                                      : BUS_HEARTBEAT_LIVENESS;
    int credit = options && options->credit > 0 ? options->credit : 1;
    if (credit > BUS_CREDIT_MAX)
        credit = BUS_CREDIT_MAX;
    snprintf(self->credit, sizeof self->credit, "%d", credit);
    if (!self->endpoint || !self->service || connect_to_broker(self) != 0)
        goto fail;
    return self;
fail:
    bus_worker_destroy(&self);
    return NULL;
}

void bus_worker_destroy(bus_worker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    bus_worker_t *self = *self_p;
    if (self->sock && !self->leaving)
        send_command(self, BUS_DISCONNECT);
    drop_request(self);
    zsock_destroy(&self->sock);
    free(self->endpoint);
    free(self->service);
    free(self);
    *self_p = NULL;
}

/*  Reads one message from the broker. Returns 1 when it is a request (kept in self),
 *  0 otherwise: heartbeats only prove the broker alive, DISCONNECT makes us connect
 *  again (unless leaving), anything else is dropped. Returns -1 when a reconnect
 *  failed. */
static int on_broker_message(bus_worker_t *self)
{
    zmsg_t *msg = zmsg_recv(self->sock);
    if (!msg)
        return 0;
    self->expiry = zclock_mono() + (int64_t) self->heartbeat_ms * self->liveness;
    int result = 0;
    zframe_t *tag = zmsg_pop(msg);
    zframe_t *command = zmsg_pop(msg);
    if (!tag || !command || !zframe_streq(tag, BUS_WORKER)) {
        log_warn("dropped a malformed message from the broker");
    } else if (zframe_streq(command, BUS_REQUEST)) {
        if (zmsg_size(msg) == 2) {
            self->client = zmsg_pop(msg);
            self->request = zmsg_pop(msg);
            result = 1;
        } else {
            log_warn("dropped a malformed request from the broker");
        }
    } else if (zframe_streq(command, BUS_DISCONNECT)) {
        if (!self->leaving) {
            log_info("the broker asked a worker of %s to reconnect", self->service);
            self->reconnects++;
            result = connect_to_broker(self);
        }
    } else if (!zframe_streq(command, BUS_HEARTBEAT)) {
        log_warn("dropped an unknown command from the broker");
    }
    zframe_destroy(&tag);
    zframe_destroy(&command);
    zmsg_destroy(&msg);
    return result;
}

/* Sends a HEARTBEAT when one is due. */
static void heartbeat(bus_worker_t *self, int64_t now)
{
    if (now < self->heartbeat_at)
        return;
    send_command(self, BUS_HEARTBEAT);
    self->heartbeat_at = now + self->heartbeat_ms;
}

/*  Connects again when the broker has been silent past its expiry (judged only after
 *  what it sent has been read). Returns 0, or -1 when the reconnect failed. */
static int reconnect_if_silent(bus_worker_t *self, int64_t now)
{
    if (now < self->expiry)
        return 0;
    log_warn("broker silent or restarted: a worker of %s reconnects", self->service);
    self->reconnects++;
    return connect_to_broker(self);
}

bus_worker_event_t bus_worker_recv(bus_worker_t *self, zsock_t *watch, int timeout_ms,
                                   const void **request, size_t *size)
{
    drop_request(self);
    if (!self->sock)
        return BUS_WORKER_FAILED;      /* a reconnect failed earlier */
    int64_t deadline = timeout_ms < 0 ? INT64_MAX : zclock_mono() + timeout_ms;
    if (self->leaving && self->leave_until < deadline)
        deadline = self->leave_until;
    for (;;) {
        int64_t now = zclock_mono();
        int64_t wake = deadline;
        if (!self->leaving) {
            heartbeat(self, now);
            wake = self->heartbeat_at < wake ? self->heartbeat_at : wake;
            wake = self->expiry < wake ? self->expiry : wake;
        }
        zmq_pollitem_t items[2] = {
            { zsock_resolve(self->sock), 0, ZMQ_POLLIN, 0 },
            { watch ? zsock_resolve(watch) : NULL, 0, ZMQ_POLLIN, 0 } };
        int rc = zmq_poll(items, watch ? 2 : 1, (long) (wake > now ? wake - now : 0));
        if (rc < 0 && errno != EINTR) {
            log_error("a worker of %s cannot poll: %s", self->service, zmq_strerror(errno));
            return BUS_WORKER_FAILED;
        }
        if (rc > 0 && watch && (items[1].revents & ZMQ_POLLIN))
            return BUS_WORKER_INTERRUPTED;
        if (rc > 0 && (items[0].revents & ZMQ_POLLIN)) {
            int got = on_broker_message(self);
            if (got < 0)
                return BUS_WORKER_FAILED;
            if (got > 0) {
                *request = zframe_data(self->request);
                *size = zframe_size(self->request);
                return BUS_WORKER_REQUEST;
            }
        }
        /* Silence is judged only here, after the poll has read what was pending. */
        now = zclock_mono();
        if (!self->leaving && reconnect_if_silent(self, now) != 0)
            return BUS_WORKER_FAILED;
        if (now >= deadline)
            return self->leaving ? BUS_WORKER_CLOSED : BUS_WORKER_TIMEOUT;
    }
}

int bus_worker_reply(bus_worker_t *self, const void *reply, size_t size)
{
    if (!self->client || !self->sock)
        return -1;
    const void *data[4] = { BUS_WORKER, BUS_REPLY, zframe_data(self->client), reply };
    size_t sizes[4] = { strlen(BUS_WORKER), strlen(BUS_REPLY), zframe_size(self->client),
                        size };
    int rc = bus_send(self->sock, 4, data, sizes);
    drop_request(self);
    if (rc != 0)
        log_warn("a worker of %s could not send its reply", self->service);
    return rc;
}

void bus_worker_leave(bus_worker_t *self, int drain_ms)
{
    if (self->leaving)
        return;
    send_command(self, BUS_DISCONNECT);
    self->leaving = 1;
    self->leave_until = zclock_mono() + drain_ms;
}

size_t bus_worker_reconnects(bus_worker_t *self)
{
    return self->reconnects;
}
