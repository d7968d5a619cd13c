/*  http.h: the gateway's HTTP protocol (the lws callback of protocol "http").
 *
 *  For each request, checks run in the order Django + DRF + django-cors-headers
 *  apply them:
 *    1. CORS preflight (OPTIONS with Access-Control-Request-Method): 200, no body;
 *    2. a NUL in the path or the query: 400;
 *    3. routing: unknown path 404; plain OPTIONS on a known path 200 with Allow;
 *    4. authentication on protected paths, before the method check as DRF does: 401;
 *    5. method not allowed: 405;
 *    6. body framing: Transfer-Encoding 411, bad Content-Length 400, too large 413;
 *    7. pagination: an invalid page is 404 without calling the service;
 *    8. the body of POST, PUT, PATCH and DELETE is collected and must be a JSON
 *       object: 400 otherwise;
 *    9. the service call; the connection is answered when the reply or the deadline
 *       comes (forward.c; /readyz: readyz.c), the response written in WRITEABLE
 *       callbacks (writer.c).
 */
#ifndef HTTP_H_INCLUDED
#define HTTP_H_INCLUDED

#include <libwebsockets.h>

/* The lws callback of the "http" protocol (protocols[0] of the vhost). */
int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                  size_t len);

#endif
