/*  http.h: what the gateway answers to one HTTP request (its connection, conn.c,
 *  reads it and writes the answer).
 *
 *  For each request, checks run in the order Django + DRF + django-cors-headers
 *  apply them:
 *    0. the head itself (head.c): malformed 400, NUL 400, too large 431, all with
 *       Connection: close; "Upgrade: websocket" on /ws/main/ is a WebSocket handshake
 *       (upgrade.h); any other Upgrade header 403;
 *    1. CORS preflight (OPTIONS with Access-Control-Request-Method): 200, no body;
 *    2. a NUL in the path or the query: 400;
 *    3. routing: unknown path 404; plain OPTIONS on a known path 200 with Allow;
 *    4. authentication on protected paths, before the method check as DRF does: 401;
 *    5. method not allowed (any method libhttp-parser knows, e.g. TRACE): 405;
 *    6. body framing: Transfer-Encoding 411, too large 413 (bad Content-Length is
 *       a 400 at step 0);
 *    7. pagination: an invalid page is 404 without calling the service;
 *    8. the body of POST, PUT, PATCH and DELETE is collected and must be a JSON
 *       object: 400 otherwise;
 *    9. the service call; the connection is answered when the reply or the deadline
 *       comes (forward.c; /readyz: readyz.c); the connection writes the
 *       response (writer.c builds its header block).
 */
#ifndef HTTP_H_INCLUDED
#define HTTP_H_INCLUDED

#include "head.h"
#include "server.h"
#include "session.h"

/* A request's head has arrived and passed head_parse(): runs the checks. Leaves
 * s->state at SESSION_BODY when s->body_expected body bytes are to be collected
 * (http_on_body, then http_on_body_complete), SESSION_CALLING while a call is in
 * flight, or SESSION_RESPONDING once the response is set. */
void http_on_head(http_server_t *srv, session_t *s, const head_t *head);
/* Appends a piece of the body being collected (SESSION_BODY only). */
void http_on_body(session_t *s, const char *in, size_t len);
/* The whole body is in: parses it and makes the call. */
void http_on_body_complete(http_server_t *srv, session_t *s);
/* Answers a head head_parse() refused (400 or 431, Connection: close). */
void http_refuse_head(session_t *s, head_status_t status);

#endif
