/*  auth.h: the auth service — accounts and simplejwt-compatible tokens.
 *
 *  Bus methods (service "auth"; request body {"data": <JSON body>, ...}):
 *    register   {"username", "email", "password", "first_name"?, "last_name"?}
 *               -> 201 {"id", "username", "email", "first_name", "last_name"}
 *    login      {"username", "password"} -> 200 {"access", "refresh"}
 *    refresh    {"refresh"} -> 200 {"access", "refresh"}; the presented token is revoked
 *    logout     {"refresh"} (caller required) -> 205, the token revoked
 *  Errors as API.md words them. handlers.c has one function per method, queries.c
 *  every SQL statement, validate.c the registration rules.
 */
#ifndef AUTH_H_INCLUDED
#define AUTH_H_INCLUDED

#include <stdint.h>

#include "password.h"
#include "service.h"

/* Longest JWT secret accepted from the configuration. */
#define AUTH_SECRET_MAX 1024

/* Names of the prepared statements (queries.c). */
#define AUTH_Q_TAKEN "auth_taken"
#define AUTH_Q_CREATE_USER "auth_create_user"
#define AUTH_Q_LOGIN_USER "auth_login_user"
#define AUTH_Q_STORE_REFRESH "auth_store_refresh"
#define AUTH_Q_ROTATE_REFRESH "auth_rotate_refresh"
#define AUTH_Q_REVOKE_REFRESH "auth_revoke_refresh"

/* The service's configuration, read once by setup and shared read-only by workers. */
typedef struct {
    unsigned char secret[AUTH_SECRET_MAX + 1];  /* JWT signing key (HS256) */
    size_t secret_len;                          /* its length in bytes */
    int64_t access_lifetime;                    /* ACCESS_TOKEN_LIFETIME, seconds */
    int64_t refresh_lifetime;                   /* REFRESH_TOKEN_LIFETIME, seconds */
    password_hasher_t *hasher;                  /* Argon2id parameters and dummy hash */
} auth_state_t;

/* The service definition main() runs. */
extern const service_def_t auth_service;
/* Every statement the service prepares, NULL-name terminated. */
extern const db_statement_t auth_statements[];

/* Reads the configuration into a new auth_state_t. Returns 0, or -1 (logged). */
int auth_setup(const void **state);
/* Frees what auth_setup made (the secret is wiped). */
void auth_teardown(const void *state);

/* The bus methods (see the top of this file). */
int auth_register(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);
int auth_login(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);
int auth_refresh(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);
int auth_logout(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);

#endif
