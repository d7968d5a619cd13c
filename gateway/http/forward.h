/*  forward.h: an HTTP request forwarded to its service as one bus call.
 *
 *  The session's route names the service and method; the body, path parameters,
 *  query and page become the call's body (bus_body.h), the authenticated user its
 *  user id. The call carries its own completion (this module) and the deadline
 *  GATEWAY_REQUEST_TIMEOUT_MS: the reply becomes the response with DRF's shapes
 *  (reply.h), the deadline a 503 with Retry-After: 1. The session withdraws the call
 *  when its connection closes (session_release).
 */
#ifndef FORWARD_H_INCLUDED
#define FORWARD_H_INCLUDED

#include <jansson.h>

#include "server.h"
#include "session.h"

/* Calls the session's route on the bus with the request body `data` (NULL for
 * none). Answers the session itself when the call cannot be made. */
void forward_request(http_server_t *srv, session_t *s, const json_t *data);

#endif
