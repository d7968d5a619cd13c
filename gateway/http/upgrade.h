/*  upgrade.h: the HTTP side of a WebSocket handshake of /ws/main/.
 *
 *  http_on_head() sends here every request that ws_handshake_wanted() recognises
 *  (an Upgrade: websocket of the endpoint's path); every other upgrade stays a 403.
 *  The checks, in order, each refusal closing the connection:
 *    1. the RFC 6455 fields (handshake.h): 400, or 426 for a version other than 13;
 *    2. the access token in the query (?token=...), checked here with the JWT key
 *       (signature, type access, expiry): missing 401 "Authentication credentials
 *       were not provided.", otherwise invalid 401 token_not_valid. The token is
 *       never logged and never given to lws. A socket stays open after its token
 *       expires: it is checked once, here;
 *    3. Origin, when CORS_ALLOWED_ORIGINS is not empty: present and not listed 403
 *       (a request without Origin comes from no browser page, so no page can be
 *       abusing the user's token);
 *    4. a place among the user's sockets (WS_MAX_SOCKETS_PER_USER): 429 "Too many
 *       WebSockets open for this user."; a draining gateway 503;
 *    5. when the gateway has no socket of the user yet: presence.open (the user must
 *       still exist): 401 and other refusals as the service answers, 503 when it
 *       does not answer in time;
 *  then the connection hands its socket over (conn.c → upgrade_hand_over →
 *  ws_server_accept), and lws answers 101.
 */
#ifndef UPGRADE_H_INCLUDED
#define UPGRADE_H_INCLUDED

#include <stddef.h>

#include "head.h"
#include "server.h"
#include "session.h"

/* Runs the checks of a WebSocket handshake of the endpoint (see above). Leaves the
 * session responding (refused), calling (presence.open) or upgrading. */
void upgrade_start(http_server_t *srv, session_t *s, const head_t *head);
/* The connection gives its socket fd (owned from now on) and the bytes read after
 * the request head to the endpoint. */
void upgrade_hand_over(http_server_t *srv, session_t *s, int fd, const char *extra,
                       size_t extra_len);
/* Gives back the session's place, if it holds one (session_release). */
void upgrade_release(http_server_t *srv, session_t *s);

#endif
