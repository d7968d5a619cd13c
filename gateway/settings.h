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
 *      GATEWAY_SERVICES             auth,user,friend       services /readyz pings
 *      GATEWAY_KEEPALIVE_S          30          idle HTTP/1.1 keep-alive timeout
 *      CORS_ALLOWED_ORIGINS         (empty)     origins allowed cross-origin
 *      TRUSTED_PROXIES              (empty)     reverse proxies whose X-Forwarded-For
 *                                               names the client (client_address.h)
 *      REDOC_JS                     var/npm/node_modules/redoc/bundles/redoc.standalone.js
 *      JWT_SECRET / JWT_SECRET_FILE             (see token.h)
 *      BUS_CURVE, BUS_KEYS, BUS_CERT, BUS_BROKER_CERT   the bus keys (bus_keys.h), role gateway
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
} settings_t;

/* Reads every setting. Returns 0, or -1 (logged) when one is invalid. */
int settings_load(settings_t *settings);

#endif
