/*  service_config.h: the settings every service process shares, read once at start.
 *
 *      BUS_ENDPOINT     tcp://127.0.0.1:5555      where the broker listens
 *      DATABASE_URL     postgresql:///socialnet   libpq connection string
 *      SERVICE_WORKERS  2                         worker threads in this process
 */
#ifndef SERVICE_CONFIG_H_INCLUDED
#define SERVICE_CONFIG_H_INCLUDED

typedef struct {
    const char *bus_endpoint;     /* BUS_ENDPOINT: where the broker listens */
    const char *database_url;     /* DATABASE_URL: libpq connection string */
    long workers;                 /* SERVICE_WORKERS: worker threads in this process */
} service_config_t;

/* Reads BUS_ENDPOINT, DATABASE_URL and SERVICE_WORKERS. Returns 0 or -1 (logged). */
int service_config_load(service_config_t *cfg);

#endif
