/*  bus.h: the request/reply bus between the gateway(s) and the service workers.
 *
 *  One broker binds a ROUTER socket (BUS_ENDPOINT). Clients (gateways, test scripts)
 *  and workers (service processes, one DEALER per worker thread) connect to it. Every
 *  message starts with a protocol frame naming the peer's role:
 *
 *    client -> broker   [BUS_CLIENT, service, request envelope]
 *    broker -> client   [BUS_CLIENT, service, reply envelope]
 *    worker -> broker   [BUS_WORKER, BUS_READY, service, credit?]
 *                       [BUS_WORKER, BUS_REPLY, client identity, reply envelope]
 *                       [BUS_WORKER, BUS_HEARTBEAT]
 *                       [BUS_WORKER, BUS_DISCONNECT]
 *    broker -> worker   [BUS_WORKER, BUS_REQUEST, client identity, request envelope]
 *                       [BUS_WORKER, BUS_HEARTBEAT]
 *                       [BUS_WORKER, BUS_DISCONNECT]
 *
 *  A worker announces with READY how many requests it takes at once (its credit: decimal
 *  1..BUS_CREDIT_MAX; no frame means 1). The broker keeps at most that many sent and not
 *  answered, and hands requests to the workers with credit left in turn; the worker
 *  serves them one after the other, the next already waiting on its socket when it
 *  replies (so it reads it without sleeping). Both sides send HEARTBEAT every
 *  BUS_HEARTBEAT_MS and consider the peer dead after BUS_HEARTBEAT_LIVENESS silent
 *  intervals. Requests that find no ready worker wait in the broker's queue for that
 *  service; when none is ready before the queue deadline the broker answers
 *  PROTO_UNAVAILABLE itself. See docs/architecture.md.
 *
 *  The three roles are three classes, one file pair each: bus_client (gateways, tests),
 *  bus_worker (one service worker thread) and bus_broker (the broker, a zactor). This
 *  header holds the frames and what all three share; it includes the three headers.
 */
#ifndef BUS_H_INCLUDED
#define BUS_H_INCLUDED

#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus_keys.h"
#include "proto.h"

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
/* Most requests a worker may take at once (READY's credit). */
#define BUS_CREDIT_MAX 16
/* Messages a bus socket queues each way before it refuses (or drops) more. */
#define BUS_HWM 100000

/*  Creates a socket of `type` (ZMQ_DEALER, ZMQ_ROUTER) with the options every bus
 *  socket has: ZMQ_MAXMSGSIZE = PROTO_MAX_MESSAGE (hostile sizes never reach the
 *  decoder), send and receive high-water marks of BUS_HWM, LINGER 0 (closing never
 *  waits for a peer that is gone), and CURVE with `keys` (bus_keys.h): a ROUTER is the
 *  CURVE server (the broker), and so are an XSUB and an XPUB (the broker's event
 *  proxy, bus_events.h); anything else is a client of the broker. keys NULL (or
 *  with CURVE off) leaves the socket plain, for scripted test peers. Role-specific
 *  options are the caller's. Returns NULL on failure. */
zsock_t *bus_socket_new(int type, const bus_keys_t *keys);

/*  Sends one message of `count` parts. The first part goes without blocking: returns
 *  -1 when the socket refuses it (high-water mark, no peer with ZMQ_IMMEDIATE, a gone
 *  peer with ZMQ_ROUTER_MANDATORY); once it is accepted the rest always is, and 0 is
 *  returned. */
int bus_send(zsock_t *sock, int count, const void *const *data, const size_t *size);

/* True when the socket (a libzmq handle) has more parts of the message being read. */
bool bus_has_more(void *handle);
/* Reads and drops what is left of the message being read on the socket. */
void bus_drain_parts(void *handle);

/*  Initializes buf and packs into it a reply envelope with correlation id `id`,
 *  `status` and a nil body: what the broker answers on its own (PROTO_UNAVAILABLE).
 *  The caller destroys buf. */
void bus_reply_pack(msgpack_sbuffer *buf, uint64_t id, int status);

#include "bus_broker.h"
#include "bus_client.h"
#include "bus_worker.h"

#endif
