/*  send_reply.h: what the reply to a WebSocket chat.send becomes on the sending socket.
 *
 *      201 (stored)       nothing: the message reaches every socket of both
 *                         participants, this one included, as chat.message through
 *                         the event path, in the order the conversation stored it
 *      200 (a resend)     {"type": "chat.message", "message": <the stored Message>}
 *                         to this socket only (nothing new was stored, so no event)
 *      anything else      {"type": "error", "detail": "...", "status": <HTTP status>,
 *                          "client_id": <as the client sent it, or null>,
 *                          "errors": <the REST 400 body>}       ("errors": 400 only)
 *      no reply in time   the error frame of a 503
 *
 *  The detail is the REST route's: its "detail", or for a 400 of field errors the
 *  first message, prefixed with its field ("text: This field may not be blank.";
 *  non_field_errors carry no prefix). A 500 says no more than REST's does.
 */
#ifndef SEND_REPLY_H_INCLUDED
#define SEND_REPLY_H_INCLUDED

#include <jansson.h>

#include "proto.h"

/*  The frame for `reply` (NULL: the deadline passed), client_id the value the client
 *  sent (NULL when it sent none). Returns 0 with *frame the new frame, or NULL when
 *  nothing is to be sent; -1 when out of memory. */
int send_reply_frame(const proto_msg_t *reply, const json_t *client_id, json_t **frame);

/* The error frame of a chat.send refused before any call, with HTTP status `status`.
 * Returns NULL when out of memory. */
json_t *send_reply_error(int status, const char *detail, const json_t *client_id);

#endif
