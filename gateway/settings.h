/*  settings.h: the gateway's configuration, read once from the environment.
 *
 *      GATEWAY_PORT                 8000        TCP port to listen on
 *      GATEWAY_BIND                 127.0.0.1 in development, else all interfaces:
 *                                               interface or address to listen on
 *      GATEWAY_LISTEN_FD            (none)      an inherited listening socket to serve
 *                                               (listen_socket.h); GATEWAY_BIND is
 *                                               then unused, GATEWAY_PORT checked
 *      GATEWAY_REUSEPORT            off         on: SO_REUSEPORT on the socket made here
 *      BUS_ENDPOINT                 tcp://127.0.0.1:5555   the broker
 *      GATEWAY_REQUEST_TIMEOUT_MS   5000        deadline of every bus call
 *      GATEWAY_MAX_BODY             1048576     largest request body accepted
 *      GATEWAY_SERVICES             auth,user,friend,notification,chat  services /readyz pings
 *      GATEWAY_KEEPALIVE_S          30          idle HTTP/1.1 keep-alive timeout
 *      CORS_ALLOWED_ORIGINS         (empty)     origins allowed cross-origin
 *      TRUSTED_PROXIES              (empty)     reverse proxies whose X-Forwarded-For
 *                                               names the client (client_address.h)
 *      REDOC_JS                     var/static/redoc.standalone.js (where the scripts
 *                                               put it, relative to the working folder)
 *      JWT_SECRET / JWT_SECRET_FILE             (see token.h)
 *      BUS_CURVE, BUS_KEYS, BUS_CERT, BUS_BROKER_CERT   the bus keys (bus_keys.h), role gateway
 *      GATEWAY_ID                   gw          this gateway's name; its presence id is the
 *                                               name and a random suffix per process
 *      GATEWAY_LEASE_MS             6000        presence lease: a dead gateway's users go
 *                                               offline within about this long
 *      EVENTS_SUB_ENDPOINT          tcp://127.0.0.1:5557   the broker's event XPUB
 *                                               (1..64 of [A-Za-z0-9_.-])
 *      WS_MAX_SOCKETS_PER_USER      32          WebSockets of one user on this gateway
 *      WS_MAX_FRAME                 65536       longest client message (bytes)
 *      WS_SEND_QUEUE_MAX            262144      bound of each socket's outgoing queue
 *      WS_PING_S                    30          idle seconds before a protocol ping
 *      WS_HANGUP_S                  60          seconds without a pong before the
 *                                               socket is dropped (> WS_PING_S)
 *      WS_DRAIN_S                   10          longest wait for sockets to close on
 *                                               SIGTERM
 *
 *  A value that does not parse or is out of range stops the gateway at start.
 */
#ifndef SETTINGS_H_INCLUDED
#define SETTINGS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#include "bus_keys.h"
#include "client_address.h"
#include "proto.h"

#define SETTINGS_SECRET_MAX 512
#define SETTINGS_SERVICES_MAX 16
/* Longest GATEWAY_ID: with its suffix, the presence id stays within 64 characters. */
#define SETTINGS_GATEWAY_NAME_MAX 55

typedef struct {
    int port;                                   /* GATEWAY_PORT */
    const char *bind;                           /* GATEWAY_BIND, NULL for all interfaces */
    int listen_fd;                              /* GATEWAY_LISTEN_FD, -1 when unset */
    bool reuseport;                             /* GATEWAY_REUSEPORT */
    const char *bus_endpoint;                   /* BUS_ENDPOINT */
    long request_timeout_ms;                    /* GATEWAY_REQUEST_TIMEOUT_MS */
    long max_body;                              /* GATEWAY_MAX_BODY, bytes */
    long keepalive_s;                           /* GATEWAY_KEEPALIVE_S */
    const char *cors_origins;                   /* CORS_ALLOWED_ORIGINS */
    client_proxies_t trusted_proxies;           /* TRUSTED_PROXIES */
    const char *redoc_js;                       /* REDOC_JS */
    char services[SETTINGS_SERVICES_MAX][PROTO_NAME_MAX]; /* GATEWAY_SERVICES */
    size_t service_count;                       /* entries in services */
    unsigned char jwt_secret[SETTINGS_SECRET_MAX]; /* the HS256 key */
    size_t jwt_secret_len;                      /* its length */
    bus_keys_config_t bus_keys;                 /* BUS_CURVE and the key files */
    char gateway_id[SETTINGS_GATEWAY_NAME_MAX + 10]; /* GATEWAY_ID + "." + 8 hex digits */
    const char *events_sub_endpoint;            /* EVENTS_SUB_ENDPOINT */
    long lease_ms;                              /* GATEWAY_LEASE_MS */
    long ws_max_sockets_per_user;               /* WS_MAX_SOCKETS_PER_USER */
    long ws_max_frame;                          /* WS_MAX_FRAME, bytes */
    long ws_send_queue_max;                     /* WS_SEND_QUEUE_MAX, bytes */
    long ws_ping_s;                             /* WS_PING_S */
    long ws_hangup_s;                           /* WS_HANGUP_S */
    long ws_drain_s;                            /* WS_DRAIN_S */
} settings_t;

/* Reads every setting. Returns 0, or -1 (logged) when one is invalid. */
int settings_load(settings_t *settings);

#endif
