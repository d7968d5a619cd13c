/*  busio.h: the bus socket inside the lws event loop.
 *
 *  ZMQ_FD is not a data socket: it signals, edge-style, that the ZeroMQ socket's
 *  state may have changed, and any libzmq call on the socket (a send included) may
 *  consume that signal. So the gateway drains with bus_client_recv(…, 0) until it
 *  returns 0 on each of these occasions:
 *    - the fd became readable (it is adopted into lws as a raw file descriptor, a dup
 *      of ZMQ_FD so that lws closing it on shutdown leaves libzmq's own fd alone);
 *    - right after every bus_client_send (the send may have eaten the edge);
 *    - every GATEWAY_TICK_US from an lws timer, which also expires deadlines.
 *  The timer is the safety net: nothing waits longer than one tick even if an edge
 *  were ever missed. The alternative (a bus thread handing messages over through a
 *  queue and lws_cancel_service) costs a thread hop per message; this one costs none.
 */
#ifndef BUSIO_H_INCLUDED
#define BUSIO_H_INCLUDED

#include <libwebsockets.h>

#include "gateway.h"

/* The lws protocol callback of the adopted bus fd. */
int busio_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                   void *in, size_t len);
/* Adopts the bus fd into the vhost and starts the timer. Returns 0, or -1 (logged). */
int busio_start(gateway_t *gw);
/* Receives every reply waiting on the bus and delivers each to its connection. */
void busio_drain(gateway_t *gw);

#endif
