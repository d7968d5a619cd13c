/*  bus_broker.h: the bus broker, a czmq actor. See bus.h for the protocol and
 *  docs/architecture.md for why the bus has this shape.
 *
 *  The broker routes each client request to a ready worker of the named service (the
 *  one idle longest first), queues requests while no worker is ready, answers
 *  PROTO_UNAVAILABLE itself when a request waits longer than the queue timeout or
 *  finds the queue full, heartbeats its workers and forgets those that stay silent or
 *  whose connection is gone, and tells peers it does not know to start over.
 *
 *  With CURVE keys the router is a CURVE server behind a ZAP handler (czmq's zauth)
 *  that admits only the public certificates in the keys' store; every message then
 *  carries its sender certificate's "role", and a READY is accepted only when that
 *  role is the service announced (bus_keys_role_serves: never gateway, client or
 *  broker). A service exists only while an accepted worker serves it (or while its
 *  queue still holds requests), or when the configuration lists it; a request for any
 *  other name is answered PROTO_UNAVAILABLE at once and leaves nothing behind. Only
 *  one broker with CURVE can run in a process (ZAP has one handler per context).
 *
 *      bus_broker_config_t config = { 2000, 10000, 0, 0, keys, "auth,user,friend" };
 *      zactor_t *broker = zactor_new(bus_broker_actor, &config);
 *      char *endpoint = bus_broker_bind(broker, "tcp://127.0.0.1:*");
 *      ...
 *      zactor_destroy(&broker);          // sends $TERM
 *
 *  Commands on the actor's pipe (strings, czmq's zstr_sendx):
 *
 *      BIND endpoint      binds the ROUTER; answers the endpoint bound (with the port
 *                         chosen for "tcp://host:*"), or "" when it cannot bind
 *      WORKERS service    answers the number of live workers of service, in decimal
 *      SERVICES           answers the number of services in the table, in decimal
 *      $TERM              stops the actor (zactor_destroy sends it)
 *
 *  The actor copies the configuration before zactor_new returns.
 */
#ifndef BUS_BROKER_H_INCLUDED
#define BUS_BROKER_H_INCLUDED

#include <czmq.h>

#include "bus_keys.h"

typedef struct {
    long queue_timeout_ms;      /* longest wait for a ready worker before PROTO_UNAVAILABLE */
    long queue_max;             /* most requests queued per service; more are refused at once */
    int heartbeat_ms;           /* heartbeat interval; 0: BUS_HEARTBEAT_MS */
    int liveness;               /* silent intervals before a worker is forgotten; 0: BUS_HEARTBEAT_LIVENESS */
    const bus_keys_t *keys;     /* server keys (bus_keys_new(.., true)); NULL or CURVE off: no CURVE */
    const char *services;       /* comma-separated services that exist with no worker; NULL: none */
} bus_broker_config_t;

/* The broker actor: zactor_new(bus_broker_actor, &config), config a bus_broker_config_t. */
void bus_broker_actor(zsock_t *pipe, void *config);

/* Sends BIND. Returns the endpoint bound (caller frees), or NULL (logged) on failure. */
char *bus_broker_bind(zactor_t *broker, const char *endpoint);
/* Sends WORKERS. Returns the number of live workers of service. */
long bus_broker_workers(zactor_t *broker, const char *service);
/* Sends SERVICES. Returns the number of services the broker knows. */
long bus_broker_services(zactor_t *broker);

#endif
