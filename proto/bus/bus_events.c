/*  bus_events.c: the event proxy actor. See bus_events.h.
 *
 *  Its own loop rather than zproxy: zproxy forwards every message, and here each one
 *  from a publisher is checked against its sender's role first.
 */
#include "bus_events.h"

#include <string.h>

#include "bus.h"
#include "log.h"

/* Most messages moved in one go per direction, so neither side starves the other. */
#define EVENTS_BURST 1000

bool bus_events_role_publishes(const char *role)
{
    if (!role)
        return true;
    size_t n = strlen(role);
    const char *list = BUS_EVENTS_PUBLISHERS;
    while (*list) {
        size_t len = strcspn(list, ",");
        if (len == n && n > 0 && strncmp(list, role, n) == 0)
            return true;
        list += len + (list[len] == ',');
    }
    return false;
}

typedef struct {
    zsock_t *pipe;          /* the actor's pipe */
    zsock_t *xsub;          /* publishers connect here */
    zsock_t *xpub;          /* gateways connect here */
    bool curve;             /* frames carry their sender's role */
    size_t refused;         /* messages dropped for their sender's role (logged once per 1000) */
} events_t;

/* Moves one message from the XSUB to the XPUB when its sender may publish. */
static void forward_event(events_t *self)
{
    zmsg_t *msg = zmsg_recv(self->xsub);
    if (!msg)
        return;
    const char *role = self->curve ? zframe_meta(zmsg_first(msg), "role") : NULL;
    if (self->curve && (!role || !bus_events_role_publishes(role))) {
        if (self->refused++ % 1000 == 0)
            log_warn("event from a peer with role %s dropped (%zu so far)",
                     role ? role : "(none)", self->refused);
        zmsg_destroy(&msg);
        return;
    }
    /* Never blocks: an XPUB drops for a subscriber at its high-water mark. */
    zmsg_send(&msg, self->xpub);
    zmsg_destroy(&msg);
}

/* Moves one subscription message from the XPUB to the XSUB (and so to publishers). */
static void forward_subscription(events_t *self)
{
    zmsg_t *msg = zmsg_recv(self->xpub);
    if (msg)
        zmsg_send(&msg, self->xsub);
    zmsg_destroy(&msg);
}

/* BIND pub sub: binds both; answers the two endpoints, or "". */
static void on_bind(events_t *self, const char *pub, const char *sub)
{
    if (pub && sub && zsock_bind(self->xsub, "%s", pub) >= 0
        && zsock_bind(self->xpub, "%s", sub) >= 0) {
        char *a = zsock_last_endpoint(self->xsub), *b = zsock_last_endpoint(self->xpub);
        zstr_sendx(self->pipe, a ? a : "", b ? b : "", NULL);
        zstr_free(&a);
        zstr_free(&b);
        return;
    }
    log_error("cannot bind the event endpoints %s and %s: %s", pub ? pub : "(nothing)",
              sub ? sub : "(nothing)", zmq_strerror(zmq_errno()));
    zstr_send(self->pipe, "");
}

void bus_events_actor(zsock_t *pipe, void *keys)
{
    events_t self = { pipe, bus_socket_new(ZMQ_XSUB, keys), bus_socket_new(ZMQ_XPUB, keys),
                      bus_keys_curve(keys), 0 };
    zpoller_t *poller = self.xsub && self.xpub ? zpoller_new(pipe, self.xsub, self.xpub, NULL)
                                               : NULL;
    zsock_signal(pipe, poller ? 0 : 1);
    if (!poller) {
        log_error("the event proxy could not start");
        goto done;
    }
    zpoller_set_nonstop(poller, true);      /* only $TERM stops it */
    bool terminated = false;
    while (!terminated) {
        void *which = zpoller_wait(poller, -1);
        if (which == pipe) {
            zmsg_t *msg = zmsg_recv(pipe);
            char *command = msg ? zmsg_popstr(msg) : NULL;
            if (!command || streq(command, "$TERM")) {
                terminated = true;
            } else if (streq(command, "BIND")) {
                char *pub = zmsg_popstr(msg), *sub = zmsg_popstr(msg);
                on_bind(&self, pub, sub);
                zstr_free(&pub);
                zstr_free(&sub);
            } else {
                log_warn("unknown event proxy command %s", command);
            }
            zstr_free(&command);
            zmsg_destroy(&msg);
        } else if (which == self.xsub) {
            for (int i = 0; i < EVENTS_BURST && (zsock_events(self.xsub) & ZMQ_POLLIN); i++)
                forward_event(&self);
        } else if (which == self.xpub) {
            for (int i = 0; i < EVENTS_BURST && (zsock_events(self.xpub) & ZMQ_POLLIN); i++)
                forward_subscription(&self);
        }
    }
done:
    zpoller_destroy(&poller);
    zsock_destroy(&self.xsub);
    zsock_destroy(&self.xpub);
}

int bus_events_bind(zactor_t *proxy, const char *pub_endpoint, const char *sub_endpoint,
                    char **pub, char **sub)
{
    *pub = *sub = NULL;
    if (zstr_sendx(proxy, "BIND", pub_endpoint, sub_endpoint, NULL) != 0
        || zstr_recvx(proxy, pub, sub, NULL) < 1 || !*pub || !strstr(*pub, "://")
        || !*sub || !strstr(*sub, "://")) {
        zstr_free(pub);
        zstr_free(sub);
        return -1;
    }
    return 0;
}
