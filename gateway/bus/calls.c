/*  calls.c: bus calls with their own completions and deadlines. See calls.h. */
#include "calls.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "zwatch.h"

struct calls {
    struct lws_context *context;      /* the loop (deadline timer) */
    bus_client_t *bus;                /* DEALER connected to the broker (not owned) */
    zwatch_t *watch;                  /* the bus socket in the loop */
    pending_t *pending;               /* calls in flight */
    lws_sorted_usec_list_t timer;     /* fires at the earliest deadline */
    int64_t armed_us;                 /* when the timer fires, 0 when it is not armed */
    uint64_t next_id;                 /* correlation id of the next call */
    uint64_t begun_id;                /* id of the envelope being packed */
    char service[PROTO_NAME_MAX];     /* its service */
    msgpack_sbuffer envelope;         /* the envelope being packed */
    msgpack_packer packer;            /* packs into envelope */
};

static void on_deadline(lws_sorted_usec_list_t *sul);

/* Arms the timer for the earliest deadline unless it already fires before. */
static void arm(calls_t *self)
{
    int64_t next;
    if (!pending_next_deadline(self->pending, &next))
        return;
    if (self->armed_us && self->armed_us <= next)
        return;
    int64_t now = lws_now_usecs();
    self->armed_us = next;
    lws_sul_schedule(self->context, 0, &self->timer, on_deadline,
                     next > now ? next - now : 0);
}

/* Timer: ends the calls whose deadline has passed, then waits for the next one.
 * Cancelled calls leave the timer armed; it then finds nothing and re-arms. */
static void on_deadline(lws_sorted_usec_list_t *sul)
{
    calls_t *self = lws_container_of(sul, calls_t, timer);
    self->armed_us = 0;
    pending_expire(self->pending, lws_now_usecs());
    arm(self);
}

/* Watcher: takes one reply off the bus and settles its call. */
static bool receive(void *arg)
{
    calls_t *self = arg;
    const void *data = NULL;
    long size = bus_client_recv(self->bus, 0, &data);
    if (size == 0)
        return false;
    if (size < 0)
        return true;                  /* malformed message: dropped by the client */
    proto_msg_t reply;
    if (proto_reply_decode(data, (size_t) size, &reply) == 0)
        pending_settle(self->pending, &reply); /* false: late or cancelled, dropped */
    else
        log_warn("dropped a malformed reply from the bus");
    proto_msg_release(&reply);
    return true;
}

calls_t *calls_new(struct lws_context *context, struct lws_vhost *vhost, bus_client_t *bus)
{
    calls_t *self = calloc(1, sizeof *self);
    if (!self)
        goto fail;
    self->context = context;
    self->bus = bus;
    self->next_id = 1;
    msgpack_sbuffer_init(&self->envelope);
    self->pending = pending_new();
    if (!self->pending)
        goto fail;
    self->watch = zwatch_new(context, vhost, bus_client_fd(bus), receive, self);
    if (!self->watch)
        goto fail;
    return self;
fail:
    log_error("cannot make bus calls from the event loop");
    calls_destroy(&self);
    return NULL;
}

void calls_destroy(calls_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    calls_t *self = *self_p;
    zwatch_destroy(&self->watch);
    lws_sul_cancel(&self->timer);
    pending_destroy(&self->pending);
    msgpack_sbuffer_destroy(&self->envelope);
    free(self);
    *self_p = NULL;
}

msgpack_packer *calls_begin(calls_t *self, const char *service, const char *method,
                            uint64_t user_id, uint64_t *id)
{
    return calls_begin_from(self, service, method, user_id, NULL, id);
}

msgpack_packer *calls_begin_from(calls_t *self, const char *service, const char *method,
                                 uint64_t user_id, const char *client, uint64_t *id)
{
    self->begun_id = self->next_id++;
    snprintf(self->service, sizeof self->service, "%s", service);
    msgpack_sbuffer_clear(&self->envelope);
    msgpack_packer_init(&self->packer, &self->envelope, msgpack_sbuffer_write);
    proto_request_begin_from(&self->packer, self->begun_id, service, method, user_id, client);
    *id = self->begun_id;
    return &self->packer;
}

int calls_send(calls_t *self, long timeout_ms, calls_done_fn *done, void *arg)
{
    if (self->envelope.size > PROTO_MAX_MESSAGE) {
        log_warn("a request envelope of %zu bytes exceeds the bus limit", self->envelope.size);
        return -1;
    }
    int64_t deadline = lws_now_usecs() + (int64_t) timeout_ms * 1000;
    if (pending_add(self->pending, self->begun_id, deadline, done, arg) != 0) {
        log_warn("out of memory for a bus call");
        return -1;
    }
    if (bus_client_send(self->bus, self->service, self->envelope.data, self->envelope.size)
        != 0) {
        pending_cancel(self->pending, self->begun_id);
        log_warn("the bus refused a request for %s (broker unreachable?)", self->service);
        return -1;
    }
    /* The send may have consumed ZMQ_FD's edge: drain on the next loop turn. */
    zwatch_soon(self->watch);
    arm(self);
    return 0;
}

void calls_cancel(calls_t *self, uint64_t id)
{
    if (self && id)
        pending_cancel(self->pending, id);
}

size_t calls_in_flight(const calls_t *self)
{
    return pending_size(self->pending);
}
