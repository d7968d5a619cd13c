/*  auth_service.h: the auth service — accounts and simplejwt-compatible tokens.
 *
 *  Bus methods (service "auth"; request body {"data": <JSON body>, ...}):
 *    auth.register  POST /api/auth/register/  {"username", "email", "password",
 *                   "first_name"?, "last_name"?}
 *                   -> 201 {"id", "username", "email", "first_name", "last_name"}
 *    auth.login     POST /api/auth/login/     {"username", "password"}
 *                   -> 200 {"access", "refresh"}
 *    auth.refresh   POST /api/auth/refresh/   {"refresh"} -> 200 {"access", "refresh"};
 *                   the presented token is revoked
 *    auth.logout    POST /api/auth/logout/    {"refresh"} (caller required) -> 205
 *  Errors as docs/api.md words them.
 *
 *  The folder: main.c wires the service (methods, statements, configuration);
 *  handlers.c has one function per method; queries.c every SQL statement;
 *  auth_config.c the service's own settings; register_form.c the registration rules;
 *  password.c Django's Argon2id password hashes.
 */
#ifndef AUTH_SERVICE_H_INCLUDED
#define AUTH_SERVICE_H_INCLUDED

#include "service.h"

/* Names of the prepared statements (queries.c). */
#define AUTH_Q_TAKEN "auth_taken"
#define AUTH_Q_CREATE_USER "auth_create_user"
#define AUTH_Q_LOGIN_USER "auth_login_user"
#define AUTH_Q_STORE_REFRESH "auth_store_refresh"
#define AUTH_Q_ROTATE_REFRESH "auth_rotate_refresh"
#define AUTH_Q_REVOKE_REFRESH "auth_revoke_refresh"

/* Every statement the service prepares, NULL-name terminated (queries.c). */
extern const db_statement_t auth_statements[];

/* The bus methods (handlers.c; see the top of this file). */
proto_status_t auth_register(service_ctx_t *ctx, const proto_msg_t *request,
                             msgpack_packer *out);
proto_status_t auth_login(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);
proto_status_t auth_refresh(service_ctx_t *ctx, const proto_msg_t *request,
                            msgpack_packer *out);
proto_status_t auth_logout(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);

#endif
