/*  session.h: the state of one HTTP transaction (lws per-session data).
 *
 *  libwebsockets allocates it zeroed for each transaction of a connection (the
 *  protocol is re-bound after every keep-alive transaction) and frees it after
 *  LWS_CALLBACK_HTTP_DROP_PROTOCOL or LWS_CALLBACK_CLOSED_HTTP. Everything it owns is
 *  released by session_release(), which every one of those callbacks calls: it is
 *  idempotent. The bus calls in flight complete into this memory (their completion
 *  argument is the session), so session_release() withdraws them before lws frees
 *  it: a late reply then finds nothing.
 */
#ifndef SESSION_H_INCLUDED
#define SESSION_H_INCLUDED

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

#include "pagination.h"
#include "query.h"
#include "response.h"
#include "routes.h"
#include "server.h"

typedef enum {
    SESSION_IDLE = 0,          /* no request yet, or the last one is finished */
    SESSION_BODY,              /* receiving the request body */
    SESSION_CALLING,           /* bus calls in flight */
    SESSION_RESPONDING,        /* the response is set and being written */
} session_state_t;

typedef struct session {
    struct lws *wsi;           /* the connection */
    session_state_t state;     /* where the transaction stands */
    http_method_t method;      /* request method */
    route_match_t match;       /* the route and its path parameters */
    char *path;                /* decoded request path (paginated routes; malloc'ed) */
    char *host;                /* Host for absolute links (paginated routes; malloc'ed) */
    query_t *query;            /* query-string parameters */
    int64_t user_id;           /* authenticated caller, 0 when anonymous */
    page_request_t page;       /* pagination asked for (paginated routes) */
    char *body;                /* request body received so far (malloc'ed) */
    size_t body_len;           /* its length */
    size_t body_cap;           /* bytes allocated */
    size_t body_expected;      /* Content-Length */
    uint64_t call;             /* the bus call in flight (forward.c), 0 when none */
    struct readyz *probe;      /* /readyz: its pings in flight (readyz.c), or NULL */
    response_t response;       /* what is being written back */
} session_t;

/* Frees everything the session owns and withdraws its calls; safe to repeat. */
void session_release(http_server_t *srv, session_t *self);
/* Marks the response as ready and asks lws for a WRITEABLE callback. Returns 0. */
int session_respond(session_t *self);

#endif
