/*  bus.h: the request/reply bus between the gateway(s) and the service workers.
 *
 *  One broker process binds a ROUTER socket (BUS_ENDPOINT). Clients (gateways, test
 *  scripts) and workers (service processes, one DEALER per worker thread) connect to it.
 *  Every message starts with a protocol frame naming the peer's role:
 *
 *    client -> broker   [BUS_CLIENT, service, request envelope]
 *    broker -> client   [BUS_CLIENT, service, reply envelope]
 *    worker -> broker   [BUS_WORKER, BUS_READY, service]
 *                       [BUS_WORKER, BUS_REPLY, client identity, reply envelope]
 *                       [BUS_WORKER, BUS_HEARTBEAT]
 *                       [BUS_WORKER, BUS_DISCONNECT]
 *    broker -> worker   [BUS_WORKER, BUS_REQUEST, client identity, request envelope]
 *                       [BUS_WORKER, BUS_HEARTBEAT]
 *                       [BUS_WORKER, BUS_DISCONNECT]
 *
 *  A worker takes one request at a time: after READY or REPLY the broker may send it the
 *  next one. Both sides send HEARTBEAT every BUS_HEARTBEAT_MS while idle and consider the
 *  peer dead after BUS_HEARTBEAT_LIVENESS silent intervals. Requests that find no ready
 *  worker wait in the broker's queue for that service; when none is ready before the
 *  queue deadline the broker answers PROTO_UNAVAILABLE itself. See docs/architecture.md.
 */
#ifndef BUS_H_INCLUDED
#define BUS_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#define BUS_CLIENT "BC1"
#define BUS_WORKER "BW1"

#define BUS_READY "\001"
#define BUS_REQUEST "\002"
#define BUS_REPLY "\003"
#define BUS_HEARTBEAT "\004"
#define BUS_DISCONNECT "\005"

#define BUS_DEFAULT_ENDPOINT "tcp://127.0.0.1:5555"
#define BUS_HEARTBEAT_MS 1000
#define BUS_HEARTBEAT_LIVENESS 3

/*  A bus client: one DEALER socket connected to the broker. Non-blocking use (the
 *  gateway) polls bus_client_fd() for readability and drains with bus_client_recv(0);
 *  blocking use (tests) passes a timeout. */
typedef struct bus_client bus_client_t;

/* Connects to the broker at endpoint. Returns NULL on failure. */
bus_client_t *bus_client_new(const char *endpoint);
/* Closes the socket; sets *self_p to NULL; safe on NULL. */
void bus_client_destroy(bus_client_t **self_p);
/* Queues one request for `service`. Returns 0, or -1 when the socket refused it
 * (high-water mark reached or broker unreachable for too long). */
int bus_client_send(bus_client_t *self, const char *service, const void *envelope,
                    size_t size);
/*  Receives one reply envelope. timeout_ms: 0 returns at once, -1 waits forever.
 *  Returns the envelope size and sets *data (valid until the next call), 0 when
 *  nothing arrived in time, -1 on a malformed message (which is dropped). */
long bus_client_recv(bus_client_t *self, int timeout_ms, const void **data);
/*  The file descriptor that becomes readable (edge-triggered, as ZMQ_FD is) when
 *  bus_client_recv may have something; drain until it returns 0. */
int bus_client_fd(bus_client_t *self);
/* True when a recv would find a message now (ZMQ_EVENTS & ZMQ_POLLIN). */
int bus_client_readable(bus_client_t *self);

/*  Blocking convenience for tests and tools: sends one request and waits for the reply
 *  with the same correlation id, for at most timeout_ms. Returns the reply size and
 *  sets *reply (malloc'ed, caller frees) or -1 on timeout or error. */
long bus_call(bus_client_t *self, const char *service, const void *request, size_t size,
              uint64_t id, int timeout_ms, void **reply);

#endif
