/*  handshake.h: the opening handshake of /ws/main/ (RFC 6455 section 4.2.1), as the
 *  HTTP server reads it, and the request head lws is given instead of the client's.
 *
 *  A request is a WebSocket upgrade of the endpoint when its path is /ws/main/ (or
 *  /ws/main) and it has exactly one Upgrade field whose value is "websocket" (any
 *  case). Every other upgrade keeps its 403 (http.c): lws 4.1.6's use-after-free on
 *  unknown upgrades needs an Upgrade value other than websocket or h2c to reach
 *  lws, and lws only ever sees the head written by ws_handshake_head(), whose
 *  Upgrade is "websocket".
 *
 *  An upgrade of the endpoint must then be a GET, HTTP/1.1 or later, without a
 *  body, with Host, Connection listing "upgrade", exactly one Sec-WebSocket-Key
 *  that is the base64 of 16 bytes and exactly one Sec-WebSocket-Version: 13. A
 *  version other than 13 is answered 426 with Sec-WebSocket-Version: 13 (RFC 6455
 *  section 4.4), anything else that is wrong 400.
 *
 *  Pure: reads a parsed head (head.h), no socket.
 */
#ifndef WS_HANDSHAKE_H_INCLUDED
#define WS_HANDSHAKE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#include "head.h"

/* The endpoint's path. */
#define WS_PATH "/ws/main/"
/* Length of a Sec-WebSocket-Key: base64 of 16 bytes. */
#define WS_KEY_LEN 24
/* Room for the head ws_handshake_head() writes. */
#define WS_HEAD_MAX 192

typedef enum {
    WS_HANDSHAKE_OK = 0,       /* a valid opening handshake: key filled in */
    WS_HANDSHAKE_BAD,          /* malformed: 400 */
    WS_HANDSHAKE_VERSION,      /* a version other than 13: 426 */
} ws_handshake_status_t;

/* True when the request (its decoded path given) is a WebSocket upgrade of the
 * endpoint, which the gateway answers itself. */
bool ws_handshake_wanted(const head_t *head, const char *path, size_t path_len);
/* Checks the rest of the handshake; on WS_HANDSHAKE_OK copies the client's key
 * (NUL-terminated) into key. */
ws_handshake_status_t ws_handshake_check(const head_t *head, char key[WS_KEY_LEN + 1]);
/* Writes the request head lws answers (our fields only, the client's key) into out
 * (size bytes, at least WS_HEAD_MAX). Returns its length, or 0 when key is not a
 * WS_KEY_LEN-character key or out is too small. */
size_t ws_handshake_head(const char *key, char *out, size_t size);

#endif
