/*  calls.h: bus calls made for HTTP requests, and what happens when they end.
 *
 *  A call gets the next correlation id, a pending entry (owner: the connection) with
 *  the deadline now + GATEWAY_REQUEST_TIMEOUT_MS, and is sent at once. Its reply,
 *  its deadline or its connection closing ends it, whichever comes first; the other
 *  two then find nothing to do.
 */
#ifndef CALLS_H_INCLUDED
#define CALLS_H_INCLUDED

#include <jansson.h>

#include "gateway.h"
#include "proto.h"
#include "session.h"

/* Calls the session's route on the bus with the request body `data` (NULL for
 * none). Answers the session itself when the call cannot be made. */
void calls_dispatch(gateway_t *gw, session_t *s, const json_t *data);
/* /readyz: pings every configured service; answers 200 when all reply PROTO_OK in
 * time, 503 as soon as one fails or the deadline passes. */
void calls_probe(gateway_t *gw, session_t *s);
/* Delivers one decoded reply to the connection waiting for it (if any). */
void calls_on_reply(gateway_t *gw, const proto_msg_t *reply);
/* Answers 503 (Retry-After: 1) for every call whose deadline has passed. */
void calls_expire(gateway_t *gw);

#endif
