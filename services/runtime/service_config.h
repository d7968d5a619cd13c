/*  service_config.h: the settings every service process shares, read once at start.
 *
 *      BUS_ENDPOINT     tcp://127.0.0.1:5555      where the broker listens
 *      DATABASE_URL     postgresql:///socialnet   libpq connection string
 *      SERVICE_WORKERS  2                         worker threads in this process
 *      BUS_CURVE, BUS_KEYS, BUS_CERT, BUS_BROKER_CERT   the bus keys (bus_keys.h); the
 *                       default certificate is the one of the service's own role
 */
#ifndef SERVICE_CONFIG_H_INCLUDED
#define SERVICE_CONFIG_H_INCLUDED

#include "bus_keys.h"

typedef struct {
    const char *bus_endpoint;     /* BUS_ENDPOINT: where the broker listens */
    const char *database_url;     /* DATABASE_URL: libpq connection string */
    long workers;                 /* SERVICE_WORKERS: worker threads in this process */
    bus_keys_config_t bus_keys;   /* BUS_CURVE and the key files of role `service` */
} service_config_t;

/* Reads the settings of a process of `service`. Returns 0 or -1 (logged). */
int service_config_load(service_config_t *cfg, const char *service);

#endif
