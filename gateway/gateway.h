/*  gateway.h: the gateway process's one object — the lws context and its loop.
 *
 *  It wires the parts: the lws context and vhost (protocols: HTTP, the ZeroMQ
 *  watcher, signals, the front door), the bus client and the bus calls made on it
 *  (bus/calls.h), the HTTP server's shared pieces (CORS, documents, write buffer) and
 *  the signalfd that stops the loop. Every service call is asynchronous: a caller
 *  (HTTP request, /readyz, later a WebSocket frame) starts a bus call with its own
 *  completion and deadline, and the loop never blocks.
 *
 *  The struct is read by the HTTP modules (gateway/http/) through
 *  lws_context_user(); the bus calls and the loop helpers (gateway/bus/,
 *  gateway/loop/) never see it.
 */
#ifndef GATEWAY_H_INCLUDED
#define GATEWAY_H_INCLUDED

#include <libwebsockets.h>
#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "calls.h"
#include "cors.h"
#include "docs.h"
#include "frontdoor.h"
#include "settings.h"

/* Bytes written per lws_write (a response larger than this goes out over several
 * WRITEABLE callbacks). */
#define GATEWAY_WRITE_CHUNK 16384
/* TCP keepalive of client connections: idle seconds, probe interval, probes. */
#define GATEWAY_KA_TIME 60
#define GATEWAY_KA_INTERVAL 10
#define GATEWAY_KA_PROBES 3

typedef struct gateway {
    settings_t settings;              /* configuration read at start */
    struct lws_context *context;      /* lws context: one service thread */
    struct lws_vhost *vhost;          /* the vhost (the front door listens for it) */
    frontdoor_t *frontdoor;           /* listening socket and first look at connections */
    bus_client_t *bus;                /* DEALER connected to the broker */
    calls_t *calls;                   /* bus calls in flight on it */
    cors_t *cors;                     /* CORS allow list */
    docs_t *docs;                     /* schema, ReDoc page and bundle */
    unsigned char *scratch;           /* LWS_PRE + GATEWAY_WRITE_CHUNK bytes for writes */
    int signal_fd;                    /* signalfd for SIGTERM and SIGINT, -1 when none */
    bool stopping;                    /* a stop signal arrived: leave the loop */
} gateway_t;

/*  Creates the gateway: lws context listening on settings->port, bus client
 *  connected to the broker, signal_fd (a signalfd, or -1) watched for stop signals
 *  (the gateway owns it from now on, even on failure). Returns NULL (logged) on
 *  failure. */
gateway_t *gateway_new(const settings_t *settings, int signal_fd);
/* Closes every connection and frees everything; sets *self_p to NULL; safe on NULL. */
void gateway_destroy(gateway_t **self_p);
/* Serves until a stop signal arrives. Returns the process exit code. */
int gateway_run(gateway_t *self);

#endif
