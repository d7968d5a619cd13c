/*  bus_worker.h: the worker side of the bus: one worker of one service. See bus.h.
 *
 *  A bus_worker_t owns a DEALER socket to the broker. It announces READY on connect
 *  (with its credit: how many requests the broker may send it before a reply), then
 *  hands its caller one request at a time (bus_worker_recv) and sends the reply
 *  (bus_worker_reply). While it waits it keeps the connection alive: it sends HEARTBEAT
 *  every heartbeat interval, and when the broker has been silent for `liveness`
 *  intervals or says DISCONNECT (it restarted, or forgot us) it closes the socket,
 *  connects again and announces READY again. To stop, bus_worker_leave() sends
 *  DISCONNECT, after which bus_worker_recv still returns the requests the broker had
 *  already sent, until the drain time is over.
 *
 *  Typical use in an actor (pipe: the actor's pipe, watched for commands):
 *
 *      bus_worker_t *worker = bus_worker_new(endpoint, "user", keys, NULL);
 *      while (bus_worker_recv(worker, pipe, -1, &request, &size) == BUS_WORKER_REQUEST)
 *          bus_worker_reply(worker, reply, reply_size);
 *      bus_worker_leave(worker, 300);
 *      while (bus_worker_recv(worker, NULL, -1, &request, &size) == BUS_WORKER_REQUEST)
 *          bus_worker_reply(worker, reply, reply_size);
 *      bus_worker_destroy(&worker);
 *
 *  Not thread-safe: one thread owns a worker.
 */
#ifndef BUS_WORKER_H_INCLUDED
#define BUS_WORKER_H_INCLUDED

#include <czmq.h>
#include <stddef.h>

#include "bus_keys.h"

typedef struct bus_worker bus_worker_t;

typedef struct {
    int heartbeat_ms;           /* heartbeat interval; 0: BUS_HEARTBEAT_MS */
    int liveness;               /* silent intervals before reconnecting; 0: BUS_HEARTBEAT_LIVENESS */
    int credit;                 /* requests the broker may send before a reply, 1..BUS_CREDIT_MAX; 0: 1 */
} bus_worker_options_t;

typedef enum {
    BUS_WORKER_REQUEST,         /* a request arrived: *request and *size are set */
    BUS_WORKER_TIMEOUT,         /* nothing arrived within timeout_ms */
    BUS_WORKER_INTERRUPTED,     /* the watched socket is readable (not read) */
    BUS_WORKER_CLOSED,          /* after bus_worker_leave: the drain time is over */
    BUS_WORKER_FAILED,          /* the socket could not be reopened (logged); only destroy is left */
} bus_worker_event_t;

/*  Connects to the broker at `endpoint` with keys (bus_keys.h; NULL: plain sockets;
 *  they must outlive the worker) and announces READY for `service` (with CURVE the
 *  broker accepts it only when the keys' role is `service`). options may be NULL
 *  (the defaults). Returns NULL (logged) when the endpoint is invalid or
 *  the socket cannot be made; a broker that is not there yet is not a failure. */
bus_worker_t *bus_worker_new(const char *endpoint, const char *service,
                             const bus_keys_t *keys, const bus_worker_options_t *options);
/*  Closes the socket (announcing DISCONNECT first unless bus_worker_leave did); sets
 *  *self_p to NULL; safe on NULL. A request received and not replied to is dropped. */
void bus_worker_destroy(bus_worker_t **self_p);

/*  Waits at most timeout_ms (-1: no limit) for the next request, heartbeating and
 *  reconnecting meanwhile. `watch` (may be NULL) is another socket to wake up for,
 *  such as an actor's pipe. The request is valid until the next call to recv, reply
 *  or destroy; one not replied to by then is dropped (the broker's client gets no
 *  answer). Malformed messages from the broker are dropped. */
bus_worker_event_t bus_worker_recv(bus_worker_t *self, zsock_t *watch, int timeout_ms,
                                   const void **request, size_t *size);
/* Sends the reply to the request last received. Returns 0, or -1 when there is no
 * request to answer or the socket refused the reply. */
int bus_worker_reply(bus_worker_t *self, const void *reply, size_t size);
/*  Leaves the broker: sends DISCONNECT and stops heartbeats and reconnects; recv then
 *  returns the requests already on their way for drain_ms, then BUS_WORKER_CLOSED. */
void bus_worker_leave(bus_worker_t *self, int drain_ms);
/* Times the worker has connected again since bus_worker_new (for logs and tests). */
size_t bus_worker_reconnects(bus_worker_t *self);

#endif
