/*  auth_config.h: the auth service's own settings, read once at start.
 *
 *      JWT_SECRET / JWT_SECRET_FILE  (required)          HS256 key (token_secret_load)
 *      ACCESS_TOKEN_LIFETIME         300                 seconds, at most a year
 *      REFRESH_TOKEN_LIFETIME        86400               seconds, at most ten years
 *      PASSWORD_HASH_OPSLIMIT, PASSWORD_HASH_MEMLIMIT_KIB  Argon2id (password.h)
 *      THROTTLE_LOGIN, THROTTLE_LOGIN_PER_ADDRESS, THROTTLE_REGISTER  (throttle.h)
 *      AUTH_NICE                     10                  the process's CPU nice value (0-19):
 *                                                        password hashing yields to reads
 *
 *  auth_config_setup and auth_config_teardown are the service's setup and teardown
 *  (service.h): the workers share the result read-only as ctx->state.
 */
#ifndef AUTH_CONFIG_H_INCLUDED
#define AUTH_CONFIG_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "password.h"
#include "throttle.h"

/* The auth service's default nice value (auth_config.c, lower_priority). */
#define AUTH_NICE_DEFAULT 10

/* Longest JWT secret accepted from the configuration. */
#define AUTH_SECRET_MAX 1024

/* The service's configuration, read once by setup and shared read-only by workers. */
typedef struct {
    unsigned char secret[AUTH_SECRET_MAX + 1];  /* JWT signing key (HS256) */
    size_t secret_len;                          /* its length in bytes */
    int64_t access_lifetime;                    /* ACCESS_TOKEN_LIFETIME, seconds */
    int64_t refresh_lifetime;                   /* REFRESH_TOKEN_LIFETIME, seconds */
    password_hasher_t *hasher;                  /* Argon2id parameters and dummy hash */
    throttle_config_t throttle;                 /* THROTTLE_* rates */
} auth_config_t;

/* Reads the configuration into a new auth_config_t. Returns 0, or -1 (logged). */
int auth_config_setup(const void **state);
/* Frees what auth_config_setup made (the secret is wiped); safe on NULL. */
void auth_config_teardown(const void *state);

#endif
