/*  busio.c: the bus socket in the event loop. See busio.h. */
#include "busio.h"

#include <unistd.h>

#include "adopt.h"
#include "calls.h"
#include "log.h"

void busio_drain(gateway_t *gw)
{
    for (;;) {
        const void *data = NULL;
        long size = bus_client_recv(gw->bus, 0, &data);
        if (size == 0)
            break;
        if (size < 0)
            continue;                 /* malformed message: dropped by the client */
        proto_msg_t reply;
        if (proto_reply_decode(data, (size_t) size, &reply) == 0)
            calls_on_reply(gw, &reply);
        else
            log_warn("dropped a malformed reply from the bus");
        proto_msg_release(&reply);
    }
}

/* Timer: drain, expire deadlines, and schedule the next tick. */
static void on_tick(lws_sorted_usec_list_t *sul)
{
    gateway_t *gw = lws_container_of(sul, gateway_t, tick);
    busio_drain(gw);
    calls_expire(gw);
    lws_sul_schedule(gw->context, 0, &gw->tick, on_tick, GATEWAY_TICK_US);
}

int busio_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                   void *in, size_t len)
{
    (void) user;
    (void) in;
    (void) len;
    gateway_t *gw = lws_context_user(lws_get_context(wsi));
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        busio_drain(gw);
        return 0;
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        if (gw->bus_wsi == wsi)
            gw->bus_wsi = NULL;
        return 0;
    default:
        return 0;
    }
}

int busio_start(gateway_t *gw)
{
    int fd = bus_client_fd(gw->bus);
    int copy = fd >= 0 ? dup(fd) : -1;
    if (copy < 0) {
        log_error("cannot watch the bus socket");
        return -1;
    }
    gw->bus_wsi = adopt_raw_fd(gw->vhost, copy, "bus", NULL);
    if (!gw->bus_wsi) {
        log_error("cannot adopt the bus socket into the event loop");
        return -1;
    }
    lws_sul_schedule(gw->context, 0, &gw->tick, on_tick, GATEWAY_TICK_US);
    return 0;
}
