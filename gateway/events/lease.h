/*  lease.h: this gateway's presence lease with the notification service.
 *
 *  Presence lives in the database, one row per (gateway, user). A gateway that dies
 *  cannot remove its rows, so they hold only while the gateway renews its lease
 *  ("presence.lease", every ttl/3): when it stops, the notification service sweeps its
 *  rows once the lease expires, and the users it held go offline. While the gateway
 *  drains (SIGTERM), it renews with "draining": its users may reconnect elsewhere
 *  before the lease runs out, so nobody flaps offline and online.
 *
 *  If renewals fail for longer than the lease (the notification service or the bus
 *  was down), the service may have swept this gateway's rows although its sockets are
 *  open: the first renewal that succeeds after such a gap calls `lost`, and the owner
 *  announces its users again (presence.open is idempotent).
 */
#ifndef LEASE_H_INCLUDED
#define LEASE_H_INCLUDED

#include <libwebsockets.h>
#include <stdbool.h>

#include "calls.h"

/* Shortest and longest lease the notification service accepts. */
#define LEASE_TTL_MIN_MS 1000
#define LEASE_TTL_MAX_MS 60000

typedef struct lease lease_t;

/* The rows of this gateway may have been swept: announce its users again. */
typedef void lease_lost_fn(void *arg);
/* A renewal succeeded: the notification service answers again (presence calls that
 * failed may be retried now). */
typedef void lease_renewed_fn(void *arg);

/*  Renews the lease of gateway `gateway_id` (kept by pointer: it must outlive the
 *  lease) for ttl_ms, now and every ttl_ms/3, on `calls`. */
lease_t *lease_new(struct lws_context *context, calls_t *calls, const char *gateway_id,
                   long ttl_ms, lease_lost_fn *lost, lease_renewed_fn *renewed, void *arg);
/* Renews at once with "draining": true, and so from then on. */
void lease_drain(lease_t *self);
/* Stops renewing (the lease then expires on its own); sets *self_p to NULL. */
void lease_destroy(lease_t **self_p);

#endif
