/*  presence.h: the notification service's presence calls this gateway makes for
 *  its sockets (service "notification", body {"gateway": GATEWAY_ID}):
 *
 *      presence.open   uid=U   when the gateway opens its FIRST socket of U; the
 *                              handshake waits for it: 200 accepts, 401 (the user
 *                              no longer exists) refuses with 401, 503 or no
 *                              answer in time refuses with 503
 *      presence.close  uid=U   when its LAST socket of U closes, unless the gateway
 *                              is draining (the lease then keeps U's row until it
 *                              expires, so a reconnect elsewhere never flaps)
 *
 *  presence.lease (every gateway, every ttl/3) belongs to the presence part.
 */
#ifndef WS_PRESENCE_H_INCLUDED
#define WS_PRESENCE_H_INCLUDED

#include <stdint.h>

#include "calls.h"

#define WS_PRESENCE_SERVICE "notification"

/* Sends presence.open for uid with done(arg, id, reply) as its completion and
 * timeout_ms as its deadline; *id gets the call's id. lease_ms is this gateway's lease
 * time (GATEWAY_LEASE_MS): the service makes the lease with it when the gateway's
 * first renewal has not arrived yet. Returns 0, or -1 (logged) when it could not be
 * sent (done is then never called). */
int ws_presence_open(calls_t *calls, const char *gateway_id, long lease_ms, int64_t uid,
                     long timeout_ms, calls_done_fn *done, void *arg, uint64_t *id);
/* Sends presence.close for uid with done(arg, id, reply) as its completion (NULL: a
 * failure is only logged). Returns 0, or -1 when it could not be sent. */
int ws_presence_close(calls_t *calls, const char *gateway_id, int64_t uid, long timeout_ms,
                      calls_done_fn *done, void *arg);

#endif
