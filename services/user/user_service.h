/*  user_service.h: the user service (profiles: list, search, detail, update).
 *
 *  Bus methods (all need a caller):
 *    user.list            GET /api/users/[?search=]       paginated Users, by id
 *    user.me              GET /api/users/me/               the caller, with email
 *    user.get             GET /api/users/{id}/             a User (email if own)
 *    user.update          PUT /api/users/{id}/             own profile, email required
 *    user.partial_update  PATCH /api/users/{id}/           own profile, what is sent
 */
#ifndef USER_SERVICE_H_INCLUDED
#define USER_SERVICE_H_INCLUDED

#include "service.h"

/* The service: name, statements and methods (handlers.c). */
extern const service_def_t user_service;
/* Every SQL statement of the service (queries.c). */
extern const db_statement_t user_statements[];

#endif
