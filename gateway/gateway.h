/*  gateway.h: the gateway process's one object — the lws context and its loop.
 *
 *  It wires the parts and owns them: the lws context and vhost (protocols: the HTTP
 *  server's epoll set, the ZeroMQ watcher, signals), the bus client and the bus calls
 *  made on it (bus/calls.h), the HTTP server (http/server.h, the context's user
 *  pointer) with its listener (http/listener.h), and the signalfd that stops the loop. Every service call is
 *  asynchronous: a caller (an HTTP request, /readyz, later a WebSocket frame) starts
 *  a bus call with its own completion and deadline, and the loop never blocks.
 *
 *  Nothing but main.c uses this header: the parts below never see the gateway.
 */
#ifndef GATEWAY_H_INCLUDED
#define GATEWAY_H_INCLUDED

#include <libwebsockets.h>
#include <stdbool.h>

#include "bus.h"
#include "calls.h"
#include "listener.h"
#include "server.h"
#include "settings.h"

typedef struct gateway {
    settings_t settings;              /* configuration read at start */
    struct lws_context *context;      /* lws context: one service thread */
    struct lws_vhost *vhost;          /* its vhost */
    http_server_t *http;              /* the HTTP server (the context's user pointer) */
    listener_t *listener;             /* the HTTP server socket and its connections */
    bus_keys_t *bus_keys;             /* the gateway's CURVE keys, for bus */
    bus_client_t *bus;                /* DEALER connected to the broker */
    calls_t *calls;                   /* bus calls in flight on it */
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
