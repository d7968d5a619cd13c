/*  bus_client.c: a client of the broker (one DEALER socket). See bus_client.h. */
#include "bus.h"

#include <czmq.h>
#include <errno.h>
#include <string.h>

#include "proto.h"

struct bus_client {
    zsock_t *sock;          /* DEALER connected to the broker */
    void *handle;           /* the libzmq socket behind sock */
    zmq_msg_t envelope;     /* last envelope received; valid until the next recv */
};

bus_client_t *bus_client_new(const char *endpoint, const bus_keys_t *keys)
{
    bus_client_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    zmq_msg_init(&self->envelope);
    self->sock = bus_socket_new(ZMQ_DEALER, keys);
    if (!self->sock)
        goto fail;
    self->handle = zsock_resolve(self->sock);
    /* Queue nothing while the broker is unreachable: a send then fails at once and
     * the caller answers 503 instead of piling requests up. */
    int one = 1;
    zmq_setsockopt(self->handle, ZMQ_IMMEDIATE, &one, sizeof one);
    if (zsock_connect(self->sock, "%s", endpoint) != 0)
        goto fail;
    return self;
fail:
    bus_client_destroy(&self);
    return NULL;
}

void bus_client_destroy(bus_client_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    bus_client_t *self = *self_p;
    zmq_msg_close(&self->envelope);
    zsock_destroy(&self->sock);
    free(self);
    *self_p = NULL;
}

int bus_client_send(bus_client_t *self, const char *service, const void *envelope,
                    size_t size)
{
    const void *data[3] = { BUS_CLIENT, service, envelope };
    size_t sizes[3] = { strlen(BUS_CLIENT), strlen(service), size };
    return bus_send(self->sock, 3, data, sizes);
}

/* Receives one part into msg with flags; returns 0, or -1 (EAGAIN or error). */
static int recv_part(void *handle, zmq_msg_t *msg, int flags)
{
    return zmq_msg_recv(msg, handle, flags) < 0 ? -1 : 0;
}

long bus_client_recv(bus_client_t *self, int timeout_ms, const void **data)
{
    if (timeout_ms != 0) {
        zmq_pollitem_t item = { self->handle, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&item, 1, timeout_ms) <= 0)
            return 0;
    }
    zmq_msg_t tag, service;
    zmq_msg_init(&tag);
    zmq_msg_init(&service);
    long result = -1;
    if (recv_part(self->handle, &tag, ZMQ_DONTWAIT) != 0) {
        result = 0;
        goto done;
    }
    if (zmq_msg_size(&tag) != strlen(BUS_CLIENT)
        || memcmp(zmq_msg_data(&tag), BUS_CLIENT, strlen(BUS_CLIENT)) != 0
        || !bus_has_more(self->handle) || recv_part(self->handle, &service, 0) != 0
        || !bus_has_more(self->handle) || recv_part(self->handle, &self->envelope, 0) != 0
        || bus_has_more(self->handle))
        goto done;
    *data = zmq_msg_data(&self->envelope);
    result = (long) zmq_msg_size(&self->envelope);
done:
    bus_drain_parts(self->handle);
    zmq_msg_close(&tag);
    zmq_msg_close(&service);
    return result;
}

int bus_client_fd(bus_client_t *self)
{
    int fd = -1;
    size_t len = sizeof fd;
    zmq_getsockopt(self->handle, ZMQ_FD, &fd, &len);
    return fd;
}

int bus_client_readable(bus_client_t *self)
{
    int events = 0;
    size_t len = sizeof events;
    zmq_getsockopt(self->handle, ZMQ_EVENTS, &events, &len);
    return (events & ZMQ_POLLIN) != 0;
}

long bus_call(bus_client_t *self, const char *service, const void *request, size_t size,
              uint64_t id, int timeout_ms, void **reply)
{
    int64_t deadline = zclock_mono() + timeout_ms;
    /* The socket refuses sends until its connection is up: retry until the deadline. */
    while (bus_client_send(self, service, request, size) != 0) {
        if (zclock_mono() >= deadline)
            return -1;
        zclock_sleep(5);
    }
    for (;;) {
        int64_t left = deadline - zclock_mono();
        if (left <= 0)
            return -1;
        const void *data = NULL;
        long n = bus_client_recv(self, (int) left, &data);
        if (n <= 0)
            continue;
        proto_msg_t msg;
        int ok = proto_reply_decode(data, (size_t) n, &msg) == 0 && msg.id == id;
        proto_msg_release(&msg);
        if (!ok)
            continue;               /* a late reply to an earlier call */
        *reply = malloc((size_t) n);
        if (!*reply)
            return -1;
        memcpy(*reply, data, (size_t) n);
        return n;
    }
}
