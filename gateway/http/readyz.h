/*  readyz.h: /readyz, one ping to every service the gateway depends on.
 *
 *  Each configured service (GATEWAY_SERVICES) gets a "ping" bus call with the
 *  deadline GATEWAY_REQUEST_TIMEOUT_MS, all sent at once. The answer is 200
 *  {"status": "ok"} when every one replies PROTO_OK, 503 (Retry-After: 1) as soon as
 *  one fails or times out; the other pings are then withdrawn.
 */
#ifndef READYZ_H_INCLUDED
#define READYZ_H_INCLUDED

#include "calls.h"
#include "server.h"
#include "session.h"

typedef struct readyz readyz_t;

/* Pings every service for session s (s->probe holds the probe while it runs);
 * answers the session when the outcome is known. */
void readyz_start(http_server_t *srv, session_t *s);
/* Withdraws the probe's pings left in flight (on `calls`, which may be NULL once the
 * bus is gone) and frees it; sets *self_p to NULL; safe on NULL. */
void readyz_cancel(calls_t *calls, readyz_t **self_p);

#endif
