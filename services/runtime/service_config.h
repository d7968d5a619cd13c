/*  service_config.h: the settings every service process shares, read once at start.
 *
 *      BUS_ENDPOINT     tcp://127.0.0.1:5555      where the broker listens
 *      DATABASE_URL     postgresql:///socialnet   libpq connection string
 *      SERVICE_WORKERS  2                         worker threads in this process
 *      SERVICE_CREDIT   SERVICE_CREDIT_DEFAULT    requests the broker may send one worker
 *                       (auth: 1)                 before its reply (1..BUS_CREDIT_MAX)
 *      BUS_CURVE, BUS_KEYS, BUS_CERT, BUS_BROKER_CERT   the bus keys (bus_keys.h); the
 *                       default certificate is the one of the service's own role
 */
#ifndef SERVICE_CONFIG_H_INCLUDED
#define SERVICE_CONFIG_H_INCLUDED

#include "bus_keys.h"

/*  Requests in flight per worker thread by default. With 1 a worker sleeps between
 *  every two requests (the broker sends the next only after the reply); with several
 *  the next is already on its socket when it replies, and one wake-up of each process
 *  carries several requests. bench/reads.sh, 64 connections, system calls per
 *  GET /api/users/me/ on the bus path (gateway + broker + user service): credit 1: 71,
 *  4: 38, 8: 28; reads 0.30x, 0.37x, 0.42x pgbench -S in the same runs. */
#define SERVICE_CREDIT_DEFAULT 8

typedef struct {
    const char *bus_endpoint;     /* BUS_ENDPOINT: where the broker listens */
    const char *database_url;     /* DATABASE_URL: libpq connection string */
    long workers;                 /* SERVICE_WORKERS: worker threads in this process */
    long credit;                  /* SERVICE_CREDIT: requests each worker takes at once */
    bus_keys_config_t bus_keys;   /* BUS_CURVE and the key files of role `service` */
} service_config_t;

/* Reads the settings of a process of `service`, whose SERVICE_CREDIT is `credit` when
 * the environment names none (0: SERVICE_CREDIT_DEFAULT). Returns 0 or -1 (logged). */
int service_config_load(service_config_t *cfg, const char *service, int credit);

#endif
