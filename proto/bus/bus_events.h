/*  bus_events.h: the event path, from publishing services to the gateways.
 *
 *      publisher PUB ──connect──▶ EVENTS_PUB_ENDPOINT  XSUB ┐ broker  ┌ XPUB  EVENTS_SUB_ENDPOINT ◀──connect── gateway SUB
 *                                                           └─ proxy ─┘
 *
 *  Publishers (the notification service's outbox actor) and gateways only know the
 *  broker's two fixed endpoints, so any number of either can come and go. Both broker
 *  sockets are CURVE servers behind the bus's ZAP handler (the broker's zauth): only
 *  keys in the store connect. Messages arriving on the XSUB are passed on only when
 *  their sender's role is a publishing role (BUS_EVENTS_PUBLISHERS): a gateway or
 *  client key that connects a PUB is heard by nobody. Subscriptions travel back
 *  from the XPUB to the XSUB, and from there to every publisher.
 *
 *  An event is two frames, EVENT_TAG and a msgpack map: proto/envelope/event.h,
 *  the one codec of publishers and gateways.
 *
 *  Delivery is at-least-once from the outbox and best-effort on the wire: a PUB drops
 *  at its high-water mark and before a subscriber is connected. What is dropped is
 *  covered by the database: a notification is replayed by "replay" (the client's
 *  notifications.resume), and presence is read again from every User's is_online.
 */
#ifndef BUS_EVENTS_H_INCLUDED
#define BUS_EVENTS_H_INCLUDED

#include <czmq.h>
#include <stdbool.h>

#include "bus_keys.h"

/* Where the broker binds when EVENTS_PUB_ENDPOINT / EVENTS_SUB_ENDPOINT are unset. */
#define BUS_EVENTS_PUB_DEFAULT "tcp://127.0.0.1:5556"
#define BUS_EVENTS_SUB_DEFAULT "tcp://127.0.0.1:5557"
/* Roles whose messages the broker passes on (comma-separated). */
#define BUS_EVENTS_PUBLISHERS "notification"

/* True when a peer of `role` may publish events (NULL: no CURVE, everyone may). */
bool bus_events_role_publishes(const char *role);

/*  The event proxy, a czmq actor: zactor_new(bus_events_actor, keys), keys the
 *  broker's server keys (NULL or CURVE off: plain sockets). With CURVE, the bus's ZAP
 *  handler must already run in this process (the broker actor starts it). Commands:
 *      BIND pub_endpoint sub_endpoint   binds XSUB and XPUB; answers both endpoints
 *                                       bound (two frames), or "" when one fails
 *      $TERM                            stops it */
void bus_events_actor(zsock_t *pipe, void *keys);

/*  Sends BIND. Returns 0 with the endpoints bound in *pub and *sub (caller frees), or
 *  -1 (logged). */
int bus_events_bind(zactor_t *proxy, const char *pub_endpoint, const char *sub_endpoint,
                    char **pub, char **sub);

#endif
