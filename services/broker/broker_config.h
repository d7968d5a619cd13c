/*  broker_config.h: the broker process's settings, read once at start.
 *
 *      BUS_ENDPOINT           tcp://127.0.0.1:5555   where to bind
 *      BUS_QUEUE_TIMEOUT_MS   2000                   longest wait for a worker before 503
 *      BUS_QUEUE_MAX          10000                  most requests queued per service
 *      BUS_SERVICES           (none)                 services that exist with no worker
 *      EVENTS_PUB_ENDPOINT    tcp://127.0.0.1:5556   where publishers connect (XSUB bound)
 *      EVENTS_SUB_ENDPOINT    tcp://127.0.0.1:5557   where gateways subscribe (XPUB bound)
 *      BUS_CURVE, BUS_KEYS, BUS_CERT, BUS_CERTS_DIR   the bus keys (bus_keys.h), role broker
 *
 *  A value that does not parse or is out of range stops the broker at start.
 */
#ifndef BROKER_CONFIG_H_INCLUDED
#define BROKER_CONFIG_H_INCLUDED

#include "bus.h"

typedef struct {
    const char *endpoint;           /* BUS_ENDPOINT: where the broker binds */
    const char *events_pub;         /* EVENTS_PUB_ENDPOINT: the event proxy's XSUB */
    const char *events_sub;         /* EVENTS_SUB_ENDPOINT: the event proxy's XPUB */
    bus_broker_config_t broker;     /* BUS_QUEUE_TIMEOUT_MS, BUS_QUEUE_MAX, BUS_SERVICES */
    bus_keys_config_t keys;         /* BUS_CURVE and the key files */
} broker_config_t;

/* Reads every setting. Returns 0, or -1 (logged) when one is invalid. */
int broker_config_load(broker_config_t *config);

#endif
