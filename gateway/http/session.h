/*  session.h: the state of one HTTP transaction.
 *
 *  Embedded in its connection (conn.c), reused for each request of a keep-alive
 *  connection. Everything it owns is released by session_release(), which the
 *  connection calls after each response and when it closes: it is idempotent. The
 *  bus calls in flight complete into this memory (their completion argument is the
 *  session), so session_release() withdraws them before the connection is freed: a
 *  late reply then finds nothing.
 */
#ifndef SESSION_H_INCLUDED
#define SESSION_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

#include "client_address.h"
#include "pagination.h"
#include "query.h"
#include "response.h"
#include "routes.h"
#include "server.h"
#include "handshake.h"

typedef enum {
    SESSION_IDLE = 0,          /* no request yet, or the last one is finished */
    SESSION_BODY,              /* receiving the request body */
    SESSION_CALLING,           /* bus calls in flight */
    SESSION_RESPONDING,        /* the response is set and being written */
    SESSION_UPGRADING,         /* a WebSocket handshake passed: hand the socket over */
} session_state_t;

typedef struct session {
    struct conn *conn;         /* the connection it belongs to */
    http_server_t *srv;        /* the server (settings, bus calls) */
    session_state_t state;     /* where the transaction stands */
    http_method_t method;      /* request method, 0 for one the gateway does not serve */
    const char *method_name;   /* its name as sent (static, libhttp-parser's) */
    route_match_t match;       /* the route and its path parameters */
    char *path;                /* decoded request path (paginated routes; malloc'ed) */
    char *host;                /* Host for absolute links (paginated routes; malloc'ed) */
    query_t *query;            /* query-string parameters */
    int64_t user_id;           /* authenticated caller, 0 when anonymous */
    char client[CLIENT_ADDRESS_MAX]; /* the client's address (client_address.h) */
    page_request_t page;       /* pagination asked for (paginated routes) */
    char *body;                /* request body received so far (malloc'ed) */
    size_t body_len;           /* its length */
    size_t body_cap;           /* bytes allocated */
    size_t body_expected;      /* Content-Length */
    uint64_t call;             /* the bus call in flight (forward.c), 0 when none */
    struct readyz *probe;      /* /readyz: its pings in flight (readyz.c), or NULL */
    response_t response;       /* what is being written back */
    bool ws_reserved;          /* a WebSocket handshake holds a place of user_id
                                  (upgrade.c): given back by session_release */
    bool ws_opening;           /* its presence.open is the call in flight */
    char ws_key[WS_KEY_LEN + 1]; /* its checked Sec-WebSocket-Key */
} session_t;

/* Frees everything the session owns and withdraws its calls; safe to repeat. */
void session_release(http_server_t *srv, session_t *self);
/* Marks the response as ready; the connection writes it (at once, or after the
 * request body it still has to read). Returns 0. */
int session_respond(session_t *self);
/* The WebSocket handshake passed: the connection hands its socket over
 * (upgrade_hand_over) as soon as the request is read. */
void session_upgrade(session_t *self);

#endif
