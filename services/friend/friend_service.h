/*  friend_service.h: the friend service (friend requests and friendships).
 *
 *  Bus methods (service "friend"; all need a caller):
 *    friend.request_create  POST   /api/friends/request/          send (or accept theirs)
 *    friend.request_answer  PUT    /api/friends/request/{id}/     accept / reject
 *    friend.request_cancel  DELETE /api/friends/request/{id}/     the sender withdraws
 *    friend.request_list    GET    /api/friends/requests/         pending, paginated
 *    friend.list            GET    /api/friends/                  friends by username
 *    friend.unfriend        DELETE /api/friends/{user_id}/        both sides
 *
 *  The folder: main.c wires the service (methods, statements); handlers.c has one
 *  function per method; queries.c every SQL statement; friend_fields.c the fields of
 *  the routes as DRF reads them; friend_request_record.c the FriendRequest object.
 */
#ifndef FRIEND_SERVICE_H_INCLUDED
#define FRIEND_SERVICE_H_INCLUDED

#include "service.h"

/* Names of the prepared statements (queries.c). */
#define FRIEND_Q_REQUEST_INSERT "friend_request_insert"
#define FRIEND_Q_REQUEST_CREATED "friend_request_created"
#define FRIEND_Q_REQUEST_PENDING_PAIR "friend_request_pending_pair"
#define FRIEND_Q_REQUEST_ANSWER "friend_request_answer"
#define FRIEND_Q_REQUEST_CANCEL "friend_request_cancel"
#define FRIEND_Q_REQUEST_LOOKUP "friend_request_lookup"
#define FRIEND_Q_REQUESTS_INCOMING "friend_requests_incoming"
#define FRIEND_Q_REQUESTS_OUTGOING "friend_requests_outgoing"
#define FRIEND_Q_CALLER "friend_caller"
#define FRIEND_Q_LIST "friend_list"
#define FRIEND_Q_DELETE "friend_delete"

/* Every statement the service prepares, NULL-name terminated (queries.c). */
extern const db_statement_t friend_statements[];

/* The bus methods (handlers.c; see the top of this file). */
proto_status_t friend_request_create(service_ctx_t *ctx, const proto_msg_t *request,
                                     msgpack_packer *out);
proto_status_t friend_request_answer(service_ctx_t *ctx, const proto_msg_t *request,
                                     msgpack_packer *out);
proto_status_t friend_request_cancel(service_ctx_t *ctx, const proto_msg_t *request,
                                     msgpack_packer *out);
proto_status_t friend_request_list(service_ctx_t *ctx, const proto_msg_t *request,
                                   msgpack_packer *out);
proto_status_t friend_list(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);
proto_status_t friend_unfriend(service_ctx_t *ctx, const proto_msg_t *request,
                               msgpack_packer *out);

#endif
