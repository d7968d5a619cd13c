/*  bus_client.h: a client of the broker (gateways, tests, tools). See bus.h.
 *
 *  One DEALER socket connected to the broker. Non-blocking use (the gateway) polls
 *  bus_client_fd() for readability and drains with bus_client_recv(0); blocking use
 *  (tests) passes a timeout.
 */
#ifndef BUS_CLIENT_H_INCLUDED
#define BUS_CLIENT_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "bus_keys.h"

typedef struct bus_client bus_client_t;

/* Connects to the broker at endpoint with keys (bus_keys.h; NULL: a plain socket). The
 * keys must outlive the client. Returns NULL on failure. */
bus_client_t *bus_client_new(const char *endpoint, const bus_keys_t *keys);
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
