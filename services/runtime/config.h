/*  config.h: configuration from environment variables, with development defaults.
 *
 *  Environment values come from outside: a value that does not parse or is out of range
 *  is reported and the process refuses to start (config_* return -1), never guessed.
 */
#ifndef CONFIG_H_INCLUDED
#define CONFIG_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value of `name`, or `fallback` when unset or empty. */
const char *config_str(const char *name, const char *fallback);
/* Integer in [min, max] into *value (fallback when unset). Returns 0, or -1 (logged). */
int config_int(const char *name, long fallback, long min, long max, long *value);
/* True unless APP_ENV is set to something other than "development". */
bool config_is_development(void);

/*  The JWT signing secret, from JWT_SECRET or the file named by JWT_SECRET_FILE.
 *  Outside development, a missing secret, one shorter than 32 bytes or the built-in
 *  development secret is refused. In development the built-in secret is used when none
 *  is set (with a warning). Copies it into buf; returns its length, or -1 (logged). */
int config_jwt_secret(char *buf, size_t bufsize);

/* Settings every service process shares, read once at start. */
typedef struct {
    const char *bus_endpoint;     /* BUS_ENDPOINT: where the broker listens */
    const char *database_url;     /* DATABASE_URL: libpq connection string */
    long workers;                 /* SERVICE_WORKERS: worker threads in this process */
} service_config_t;

/* Reads BUS_ENDPOINT, DATABASE_URL and SERVICE_WORKERS. Returns 0 or -1 (logged). */
int service_config_load(service_config_t *cfg);

#endif
