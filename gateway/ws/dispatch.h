/*  dispatch.h: what a client message asks for, by its "type".
 *
 *  A text message is parsed with jansson and must be a JSON object with a string
 *  "type"; the type is looked up in one table of the message types the API knows
 *  (docs/api.md, WebSocket, client → server):
 *
 *      ping                   answered {"type": "pong"} here
 *      notifications.resume   THE PLUG-IN POINT of the events part
 *                             (gateway/events/): it registers its handler with
 *                             ws_dispatch_set(d, "notifications.resume", fn, arg);
 *                             until then the client gets an error frame
 *                             "notifications.resume is not available."
 *      chat.send              the same, for the chat part
 *
 *  Anything else is refused with a detail for the client's error frame
 *  ({"type": "error", "detail": ...}); the socket stays open either way.
 */
#ifndef WS_DISPATCH_H_INCLUDED
#define WS_DISPATCH_H_INCLUDED

#include <jansson.h>
#include <stddef.h>

struct ws_socket;

/* Handles one message of its type: `message` is the parsed object (borrowed: valid
 * during the call). The handler answers the socket itself (ws_send_text). */
typedef void ws_handler_fn(void *arg, struct ws_socket *sock, const json_t *message);

typedef struct ws_dispatch ws_dispatch_t;

/* Told of every message of a known type (`type`, the table's string) just before its
 * handler runs. */
typedef void ws_message_fn(void *arg, struct ws_socket *sock, const char *type);

/* Longest detail a refusal carries (bytes, with its NUL). */
#define WS_DETAIL_MAX 160

typedef enum {
    WS_DISPATCH_HANDLED = 0,   /* a handler took the message */
    WS_DISPATCH_REFUSED,       /* not handled: detail says why (an error frame) */
} ws_dispatch_status_t;

/* The table with the API's types, ping answered, the others not available yet.
 * Returns NULL when out of memory. */
ws_dispatch_t *ws_dispatch_new(void);
/* Frees the table; sets *self_p to NULL; safe on NULL. */
void ws_dispatch_destroy(ws_dispatch_t **self_p);
/* Sets the handler of a known type (NULL: not available). Returns 0, or -1 for a
 * type the table does not know. */
int ws_dispatch_set(ws_dispatch_t *self, const char *type, ws_handler_fn *fn, void *arg);
/* Sets the one hook told of every message of a known type (NULL: none). */
void ws_dispatch_on_message(ws_dispatch_t *self, ws_message_fn *fn, void *arg);
/* Parses text[0..len) and calls its type's handler. On WS_DISPATCH_REFUSED, detail
 * (WS_DETAIL_MAX bytes) says why, in words for the client. */
ws_dispatch_status_t ws_dispatch_run(const ws_dispatch_t *self, struct ws_socket *sock,
                                     const char *text, size_t len,
                                     char detail[WS_DETAIL_MAX]);

#endif
