/*  calls.h: asynchronous calls to services over the bus, for any caller.
 *
 *  A caller (an HTTP request, /readyz, a WebSocket frame) packs a request with
 *  calls_begin() and sends it with calls_send(), giving its own completion and its
 *  own timeout. Exactly one of three things then ends the call: its reply (the
 *  completion gets it), its deadline (the completion gets NULL: answer 503), or the
 *  caller withdrawing it with calls_cancel() (no completion; a late reply is then
 *  dropped). Completions run from the bus watcher or the deadline timer, never
 *  inside the caller's own lws callback, and may start or cancel calls.
 *
 *  Underneath: a table of calls in flight (pending.h: lookup by correlation id,
 *  deadlines in a min-heap), one lws timer armed for the earliest deadline, and the
 *  bus DEALER watched in the lws loop (zwatch.h), drained after each send on the
 *  next loop turn. This module knows nothing of HTTP.
 */
#ifndef CALLS_H_INCLUDED
#define CALLS_H_INCLUDED

#include <libwebsockets.h>
#include <msgpack.h>
#include <stdint.h>

#include "bus.h"
#include "pending.h"
#include "proto.h"

/* How a call ends: reply is the decoded reply (valid during the call only), or NULL
 * when the deadline passed. */
typedef pending_done_fn calls_done_fn;

typedef struct calls calls_t;

/*  Makes bus calls on `bus` (not owned: it must outlive the calls) from the loop of
 *  context/vhost (whose protocols include ZWATCH_PROTOCOL). Returns NULL (logged)
 *  on failure. */
calls_t *calls_new(struct lws_context *context, struct lws_vhost *vhost, bus_client_t *bus);
/*  Stops watching the bus and the timer and frees every call without calling any
 *  completion; sets *self_p to NULL; safe on NULL. Call while the lws context
 *  lives (callers then withdraw nothing: calls_cancel(NULL, …) does nothing). */
void calls_destroy(calls_t **self_p);
/*  Starts the request envelope of a call to service.method on behalf of user_id
 *  (0: anonymous). Returns the packer, which must receive exactly one object (the
 *  body) before calls_send(); the id the call will have goes to *id. An envelope
 *  that is not sent (say the body could not be packed) is simply dropped by the
 *  next calls_begin(). */
msgpack_packer *calls_begin(calls_t *self, const char *service, const char *method,
                            uint64_t user_id, uint64_t *id);
/* The same for a call made for a client at `client` (its address as text, which the
 * service's throttles count; NULL or "" for none). */
msgpack_packer *calls_begin_from(calls_t *self, const char *service, const char *method,
                                 uint64_t user_id, const char *client, uint64_t *id);
/*  Sends the envelope packed since calls_begin(), ending at the latest timeout_ms
 *  from now, with done(arg, id, reply) as its completion. Returns 0, or -1 (logged)
 *  when it could not be sent (too big, out of memory, the bus refused it): then
 *  nothing is in flight and done is never called. */
int calls_send(calls_t *self, long timeout_ms, calls_done_fn *done, void *arg);
/* Withdraws call `id`: its completion is never called, a late reply is dropped.
 * Safe on an id that already ended, on 0 and on a NULL table. */
void calls_cancel(calls_t *self, uint64_t id);
/* Number of calls in flight. */
size_t calls_in_flight(const calls_t *self);

#endif
