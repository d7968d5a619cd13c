/*  chat_service.h: the chat service (direct messages between friends).
 *
 *  Bus methods (service "chat"; all need a caller):
 *    chat.conversations  GET  /api/chat/conversations/          paginated, most recent first
 *    chat.history        GET  /api/chat/{id}/messages/          newest first, keyset (before=)
 *    chat.send           POST /api/chat/{id}/messages/          201 Message (200: a resend)
 *                        and WebSocket chat.send (gateway/chat/), whose body also
 *                        carries "as_event": true: the Message then has its client_id
 *    chat.read           PUT  /api/chat/{id}/read/              {"updated": N}
 *
 *  The folder: main.c wires the service (methods, statements); handlers.c has one
 *  function per method; queries.c every SQL statement; chat_fields.c the request's
 *  fields as DRF reads them; message_record.c the Message object (shared with the
 *  notification service's outbox publisher).
 */
#ifndef CHAT_SERVICE_H_INCLUDED
#define CHAT_SERVICE_H_INCLUDED

#include "service.h"

/* Names of the prepared statements (queries.c). */
#define CHAT_Q_PEER "chat_peer"
#define CHAT_Q_SEND "chat_send"
#define CHAT_Q_HISTORY "chat_history"
#define CHAT_Q_READ "chat_read"
#define CHAT_Q_CONVERSATIONS "chat_conversations"

/* Every statement the service prepares, NULL-name terminated (queries.c). */
extern const db_statement_t chat_statements[];

/* The bus methods (handlers.c; see the top of this file). */
proto_status_t chat_conversations(service_ctx_t *ctx, const proto_msg_t *request,
                                  msgpack_packer *out);
proto_status_t chat_history(service_ctx_t *ctx, const proto_msg_t *request,
                            msgpack_packer *out);
proto_status_t chat_send(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);
proto_status_t chat_read(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out);

#endif
