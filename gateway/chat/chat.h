/*  chat.h: the gateway's chat part — WebSocket chat.send, one call to the chat service.
 *
 *  {"type": "chat.send", "to": <user id>, "text": "...", "client_id": "..."} is the
 *  REST POST /api/chat/{to}/messages/ with {"text", "client_id"} as its body: the same
 *  bus method (chat.send), so the same rules in the one place that owns them. "text"
 *  and "client_id" go to the service as the client gave them (the service trims and
 *  checks them, and a missing or non-string one gets REST's field error); only "to"
 *  is read here, since it is the route's path parameter: a JSON integer, or a string
 *  of one as Python's int() reads it ("12"), else an error frame.
 *
 *  What the socket gets back is send_reply.h's. Each socket's sends are queued in its
 *  WS_SLOT_CHAT and called one at a time, in the order they came: one socket's
 *  messages are stored in the order it sent them (two calls at once could be stored
 *  by two workers in either order). At most CHAT_SENDS_QUEUED wait (a 429 error
 *  frame beyond); the queue and the call in flight go when the socket closes. A send
 *  whose answer did not come in time may still have been stored: the client sends it
 *  again with the same client_id and gets the stored message (or it is stored now).
 */
#ifndef CHAT_H_INCLUDED
#define CHAT_H_INCLUDED

#include "calls.h"
#include "endpoint.h"

/* chat.send frames one socket may have waiting for their answer (the first in flight). */
#define CHAT_SENDS_QUEUED 16

typedef struct chat chat_t;

/* Plugs chat.send into ws's dispatch table; calls are made on `calls` with a
 * deadline of call_timeout_ms. Returns NULL (logged) when out of memory. */
chat_t *chat_new(calls_t *calls, ws_server_t *ws, long call_timeout_ms);
/* Unplugs it and lets go of the calls, which may then be destroyed: call while the
 * lws context lives. Sockets' states still point here until they close. Safe on NULL. */
void chat_stop(chat_t *self);
/* Frees it (chat_stop first if not done); call after the lws context is destroyed;
 * sets *self_p to NULL; safe on NULL. */
void chat_destroy(chat_t **self_p);

#endif
