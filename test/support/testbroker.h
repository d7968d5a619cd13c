/*  testbroker.h: an in-process broker and scripted bus peers for the bus's own tests.
 *
 *  testbroker_start() runs the broker actor (bus_broker.h) bound to tcp://127.0.0.1:*
 *  and points BUS_ENDPOINT at it, so testbus_call() and service_main() in the same
 *  process talk to it. The echo worker is a real bus_worker_t in its own actor.
 *
 *  The broker uses CURVE, as in production: testbroker_keys() makes this process's
 *  own folder of keys (bus_keys_create, in a temporary folder removed at exit), points
 *  BUS_KEYS at it, and gives the keys of any role, so testbus (role "client") and
 *  service_main (the service's role) find theirs.
 */
#ifndef TESTBROKER_H_INCLUDED
#define TESTBROKER_H_INCLUDED

#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "proto.h"

/*  The keys of `role` in this process's test folder, created on first use (the broker
 *  re-reads its store, so a role made after it started is admitted too). "broker"
 *  gives server keys. The keys live until the process exits. Returns NULL on failure. */
const bus_keys_t *testbroker_keys(const char *role);

/*  Starts a broker with these settings (keys NULL: testbroker_keys("broker")) (0 heartbeat_ms / liveness: the defaults) bound
 *  to `endpoint` (NULL: tcp://127.0.0.1:*), sets BUS_ENDPOINT to where it listens and
 *  copies that into *bound (caller frees; may be NULL). Returns NULL on failure. */
zactor_t *testbroker_start(const bus_broker_config_t *config, const char *endpoint,
                           char **bound);
/* Waits at most timeout_ms until the broker counts `count` live workers of service. */
bool testbroker_wait_workers(zactor_t *broker, const char *service, long count,
                             int timeout_ms);

/* Packs a request envelope (id, service, method "ping", anonymous, nil body). */
void testbroker_request(msgpack_sbuffer *buf, uint64_t id, const char *service);
/* Decodes a reply envelope: its status, and its id into *id. -1 when it is not one. */
int testbroker_reply_status(const void *data, size_t size, uint64_t *id);

/*  Waits at most timeout_ms on a scripted peer's socket for a message whose frames,
 *  after the first `skip` (1 for a ROUTER's identity, 0 for a DEALER), are
 *  [BUS_WORKER, command, ...]; drops every other message (heartbeats, ...). Returns
 *  the whole message (caller destroys), or NULL. */
zmsg_t *testbroker_expect(zsock_t *sock, int skip, const char *command, int timeout_ms);

/*  An echo worker of `service`: a bus_worker_t with keys (NULL: the service's own,
 *  testbroker_keys(service)) and options (may be NULL) in an actor, answering every
 *  request PROTO_OK with its correlation id. Returns NULL when the worker cannot start. */
zactor_t *testbroker_echo_worker(const char *endpoint, const char *service,
                                 const bus_keys_t *keys, const bus_worker_options_t *options);

#endif
