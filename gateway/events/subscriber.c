/*  subscriber.c: the SUB socket on the event path. See subscriber.h. */
#include "subscriber.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "log.h"
#include "zwatch.h"

struct subscriber {
    zsock_t *sock;                    /* SUB, connected to the broker's XPUB */
    zwatch_t *watch;                  /* the socket in the loop */
    subscriber_deliver_fn *deliver;
    void *arg;
};

/* Watcher: takes one event off the socket and delivers it. */
static bool receive(void *arg)
{
    subscriber_t *self = arg;
    void *handle = zsock_resolve(self->sock);
    zmq_msg_t tag, map;
    zmq_msg_init(&tag);
    if (zmq_msg_recv(&tag, handle, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&tag);
        return false;
    }
    bool tagged = zmq_msg_size(&tag) == strlen(EVENT_TAG)
                  && memcmp(zmq_msg_data(&tag), EVENT_TAG, strlen(EVENT_TAG)) == 0;
    zmq_msg_close(&tag);
    zmq_msg_init(&map);
    bool framed = tagged && bus_has_more(handle) && zmq_msg_recv(&map, handle, 0) >= 0
                  && !bus_has_more(handle);
    bus_drain_parts(handle);
    event_t ev;
    if (framed && event_decode(zmq_msg_data(&map), zmq_msg_size(&map), &ev) == 0)
        self->deliver(self->arg, &ev);
    else
        log_warn("dropped a malformed event");
    event_release(&ev);
    zmq_msg_close(&map);
    return true;
}

subscriber_t *subscriber_new(struct lws_context *context, struct lws_vhost *vhost,
                             const char *endpoint, const bus_keys_t *keys,
                             subscriber_deliver_fn *deliver, void *arg)
{
    subscriber_t *self = calloc(1, sizeof *self);
    if (!self)
        goto fail;
    self->deliver = deliver;
    self->arg = arg;
    self->sock = bus_socket_new(ZMQ_SUB, keys);
    if (!self->sock)
        goto fail;
    zsock_set_subscribe(self->sock, EVENT_TAG);
    if (zsock_connect(self->sock, "%s", endpoint) != 0)
        goto fail;
    self->watch = zwatch_new(context, vhost, zsock_fd(self->sock), receive, self);
    if (!self->watch)
        goto fail;
    return self;
fail:
    log_error("cannot subscribe to events at EVENTS_SUB_ENDPOINT");
    subscriber_destroy(&self);
    return NULL;
}

void subscriber_destroy(subscriber_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    subscriber_t *self = *self_p;
    zwatch_destroy(&self->watch);
    zsock_destroy(&self->sock);
    free(self);
    *self_p = NULL;
}
