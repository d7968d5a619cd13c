/*  friend_service.h: the friend service (friend requests and friendships).
 *
 *  Bus methods (all need a caller):
 *    friend.request_create  POST   /api/friends/request/          send (or accept theirs)
 *    friend.request_answer  PUT    /api/friends/request/{id}/     accept / reject
 *    friend.request_cancel  DELETE /api/friends/request/{id}/     the sender withdraws
 *    friend.request_list    GET    /api/friends/requests/         pending, paginated
 *    friend.list            GET    /api/friends/                  friends by username
 *    friend.unfriend        DELETE /api/friends/{user_id}/        both sides
 */
#ifndef FRIEND_SERVICE_H_INCLUDED
#define FRIEND_SERVICE_H_INCLUDED

#include "service.h"

/* The service: name, statements and methods (handlers.c). */
extern const service_def_t friend_service;
/* Every SQL statement of the service (queries.c). */
extern const db_statement_t friend_statements[];

#endif
