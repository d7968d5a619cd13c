/*  gateway.h: the HTTP gateway — one libwebsockets service thread in front of the bus.
 *
 *  The gateway owns the lws context (HTTP protocol, bus protocol, signal protocol),
 *  the bus client, the table of calls in flight and the static documents. Every
 *  service call is asynchronous: an HTTP request becomes a bus request with a fresh
 *  correlation id and a deadline, and the connection is answered when the reply (or
 *  the deadline) comes; the loop never blocks. See busio.c for how the bus socket is
 *  brought into the lws loop.
 *
 *  The struct is shared by the gateway's own modules (http.c, calls.c, busio.c,
 *  writer.c); everything else uses the three functions below.
 */
#ifndef GATEWAY_H_INCLUDED
#define GATEWAY_H_INCLUDED

#include <libwebsockets.h>
#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "cors.h"
#include "docs.h"
#include "frontdoor.h"
#include "pending.h"
#include "settings.h"

/* Bytes written per lws_write (a response larger than this goes out over several
 * WRITEABLE callbacks). */
#define GATEWAY_WRITE_CHUNK 16384
/* TCP keepalive of client connections: idle seconds, probe interval, probes. */
#define GATEWAY_KA_TIME 60
#define GATEWAY_KA_INTERVAL 10
#define GATEWAY_KA_PROBES 3
/* Period of the timer that drains the bus and expires deadlines. */
#define GATEWAY_TICK_US (50 * 1000)

typedef struct gateway {
    settings_t settings;              /* configuration read at start */
    struct lws_context *context;      /* lws context: one service thread */
    struct lws_vhost *vhost;          /* the vhost (the front door listens for it) */
    frontdoor_t *frontdoor;           /* listening socket and first look at connections */
    bus_client_t *bus;                /* DEALER connected to the broker */
    struct lws *bus_wsi;              /* the bus fd adopted into lws, NULL when closed */
    pending_t *pending;               /* bus calls in flight, by correlation id */
    cors_t *cors;                     /* CORS allow list */
    docs_t *docs;                     /* schema, ReDoc page and bundle */
    uint64_t next_id;                 /* next correlation id */
    msgpack_sbuffer envelope;         /* scratch buffer for packing requests */
    unsigned char *scratch;           /* LWS_PRE + GATEWAY_WRITE_CHUNK bytes for writes */
    lws_sorted_usec_list_t tick;      /* periodic drain and deadline timer */
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

/* Monotonic clock in microseconds (deadlines). */
int64_t gateway_now_us(void);

#endif
