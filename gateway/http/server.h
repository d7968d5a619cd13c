/*  server.h: the HTTP server's shared state, one per gateway.
 *
 *  What every HTTP module reads: the settings, the bus calls it makes, the access
 *  tokens it has verified, the CORS allow list, the static documents, and the lws
 *  context and vhost
 *  it serves in. The gateway creates it before the lws context and makes it the
 *  context's user pointer; the HTTP modules never see the gateway object itself.
 */
#ifndef SERVER_H_INCLUDED
#define SERVER_H_INCLUDED

#include <libwebsockets.h>

#include "access_tokens.h"
#include "calls.h"
#include "cors.h"
#include "docs.h"
#include "settings.h"

/* TCP keepalive of client connections: idle seconds, probe interval, probes. */
#define HTTP_KA_TIME 60
#define HTTP_KA_INTERVAL 10
#define HTTP_KA_PROBES 3

typedef struct http_server {
    const settings_t *settings;       /* configuration read at start (the gateway's) */
    struct lws_context *context;      /* the loop it serves in, once created */
    struct lws_vhost *vhost;          /* its vhost (adopted descriptors join it) */
    calls_t *calls;                   /* bus calls (not owned), NULL once the bus is gone */
    access_tokens_t *tokens;          /* access tokens verified, remembered until exp */
    cors_t *cors;                     /* CORS allow list */
    docs_t *docs;                     /* schema, ReDoc page and bundle */
    struct ws_server *ws;             /* the WebSocket endpoint (not owned), NULL when none */
} http_server_t;

/* Creates the server's own pieces from settings (kept by pointer: they must outlive
 * it); context, vhost and calls are set by the gateway once they exist. Returns NULL
 * on failure (an invalid CORS list is logged by cors_new). */
http_server_t *http_server_new(const settings_t *settings);
/* Frees the server; sets *self_p to NULL; safe on NULL. */
void http_server_destroy(http_server_t **self_p);

#endif
