/*  user_service.h: the user service (profiles: list, search, detail, update).
 *
 *  Bus methods (service "user"; all need a caller):
 *    user.list            GET   /api/users/[?search=]   paginated Users, by id
 *    user.me              GET   /api/users/me/          the caller, with email
 *    user.get             GET   /api/users/{id}/        a User (email if own)
 *    user.update          PUT   /api/users/{id}/        own profile, email required
 *    user.partial_update  PATCH /api/users/{id}/        own profile, what is sent
 *
 *  The folder: main.c wires the service (methods, statements); handlers.c has one
 *  function per method; queries.c every SQL statement; user_record.c the public User
 *  object (shared with the friend service); profile_form.c the fields of an update;
 *  search_terms.c ?search= as LIKE patterns.
 */
#ifndef USER_SERVICE_H_INCLUDED
#define USER_SERVICE_H_INCLUDED

#include "service.h"

/* Names of the prepared statements (queries.c). */
#define USER_Q_ME "user_me"
#define USER_Q_PAIR "user_pair"
#define USER_Q_LIST "user_list"
#define USER_Q_SEARCH "user_search"
/* A ?search= count stops here, and its pages reach only this many matches
 * (sql/008_user_search_capped.sql; a deviation from DRF in docs/api.md); SQL text. */
#define USER_SEARCH_COUNT_MAX "10000"
#define USER_Q_UPDATE "user_update"
#define USER_Q_CHECK "user_check"

/* Every statement the service prepares, NULL-name terminated (queries.c). */
extern const db_statement_t user_statements[];

/* The bus methods (handlers.c; see the top of this file). */
proto_status_t user_list(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);
proto_status_t user_me(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);
proto_status_t user_get(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);
proto_status_t user_update(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);
proto_status_t user_partial_update(service_ctx_t *ctx, const proto_msg_t *request,
                                   msgpack_packer *out);

#endif
