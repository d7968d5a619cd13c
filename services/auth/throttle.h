/*  throttle.h: DRF's throttling of logins and registrations, counted in PostgreSQL.
 *
 *  Only requests that carry a client address (the gateway puts it in the envelope)
 *  are throttled; internal tools calling over the bus (seed, benchmarks, tests)
 *  carry none. A rate is "N/period": at most N events in any window of `period`
 *  (seconds, or a number with s, m, h or d: "10/15m"); "off" turns a throttle off.
 *
 *      THROTTLE_LOGIN               10/15m   failed logins per (address, username)
 *      THROTTLE_LOGIN_PER_ADDRESS   200/15m  failed logins per address, any username
 *      THROTTLE_REGISTER            (off)    registration attempts per address
 *
 *  Only failures count for logins, and per (address, username): a stranger guessing
 *  someone's password from their address never locks the real user out from
 *  another. Like DRF's SimpleRateThrottle, a throttled request waits until the
 *  oldest of the last N events leaves the window; the answer is 429 {"detail":
 *  "Request was throttled. Expected available in N seconds."} ("1 second" in the
 *  singular), which the gateway turns into the same body and Retry-After: N.
 */
#ifndef THROTTLE_H_INCLUDED
#define THROTTLE_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>

#include "db.h"
#include "proto.h"

/* Names of the prepared statements (in auth_statements, queries.c). */
#define AUTH_Q_THROTTLE_WAIT "auth_throttle_wait"
#define AUTH_Q_THROTTLE_RECORD "auth_throttle_record"

/* Longest window accepted: a week. */
#define THROTTLE_WINDOW_MAX (7L * 86400)

/* One rate. */
typedef struct {
    long limit;                 /* events allowed per window; 0: this throttle is off */
    long window_s;              /* the window, seconds */
} throttle_rate_t;

/* Every rate of the service. */
typedef struct {
    throttle_rate_t login;            /* THROTTLE_LOGIN */
    throttle_rate_t login_address;    /* THROTTLE_LOGIN_PER_ADDRESS */
    throttle_rate_t registration;     /* THROTTLE_REGISTER */
} throttle_config_t;

/* Parses "N/period" into *rate (NULL or "" turns it off). Returns 0, or -1. */
int throttle_rate_parse(const char *text, throttle_rate_t *rate);
/* Reads the THROTTLE_* variables. Returns 0, or -1 (logged) when one is invalid. */
int throttle_config_load(throttle_config_t *config);

/*  Before a login of `username` from `client`: true when it is throttled, with the
 *  answer packed into out and *status set (PROTO_THROTTLED, or a database failure).
 *  False when it may go on (always for a request without a client address). */
bool throttle_login_refused(db_t *db, const throttle_config_t *config, const char *client,
                            const char *username, msgpack_packer *out, proto_status_t *status);
/* After a failed login: counts it. Returns DB_OK, or the failure (logged). */
db_status_t throttle_login_failed(db_t *db, const throttle_config_t *config,
                                  const char *client, const char *username);
/*  Before a registration from `client`: as throttle_login_refused; a registration
 *  that may go on is counted at once (every attempt counts, as in DRF). */
bool throttle_register_refused(db_t *db, const throttle_config_t *config, const char *client,
                               msgpack_packer *out, proto_status_t *status);

/* Packs DRF's 429 detail for a wait of `seconds` and returns PROTO_THROTTLED. */
proto_status_t throttle_answer(msgpack_packer *out, long seconds);

#endif
