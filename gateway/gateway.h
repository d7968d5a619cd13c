/*  gateway.h: the gateway process's one object — the lws context and its loop.
 *
 *  It wires the parts and owns them: the lws context and vhost (protocols: the HTTP
 *  server's epoll set, the ZeroMQ watcher, signals), the bus client and the bus calls
 *  made on it (bus/calls.h), the HTTP server (http/server.h, the context's user
 *  pointer) with its listener (http/listener.h), the WebSocket endpoint
 *  (ws/endpoint.h), and the signalfd that drains and stops the loop. A first SIGTERM
 *  or SIGINT drains: no new connection is accepted, every WebSocket is closed with
 *  1001, and the loop ends when they are all closed or after WS_DRAIN_S; a second
 *  signal ends it at once. Every service call is
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
#include "chat.h"
#include "events.h"
#include "endpoint.h"
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
    events_t *events;                 /* events to WebSockets, replay, presence lease */
    chat_t *chat;                     /* WebSocket chat.send */
    ws_server_t *ws;                  /* the WebSocket endpoint /ws/main/ */
    struct lws_protocols protocols[6]; /* the vhost's protocols (the WebSocket one
                                          points at ws) */
    lws_retry_bo_t ws_idle;           /* WebSocket pings and hang-up (WS_PING_S,
                                          WS_HANGUP_S) */
    lws_sorted_usec_list_t drain_timer; /* checks whether draining is over */
    int64_t drain_until;              /* when draining gives up waiting, 0 when not
                                         draining */
    int signal_fd;                    /* signalfd for SIGTERM and SIGINT, -1 when none */
    bool stopping;                    /* leave the loop */
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
