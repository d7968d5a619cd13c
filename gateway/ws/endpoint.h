/*  endpoint.h: the WebSocket endpoint's shared state, one per gateway.
 *
 *  It holds the limits (from the gateway's settings), the registry of this
 *  gateway's sockets by user (registry.h), the message table (dispatch.h), the bus
 *  calls it makes (presence.open / presence.close, presence.h), and the lws vhost
 *  sockets are handed to. The lws protocol (protocol.h) reaches it through the
 *  protocol's `user` pointer.
 *
 *  Accepting (ws_server_accept): the HTTP server has checked the upgrade request
 *  (token, Origin, RFC 6455 headers), held a place for the socket in the registry
 *  (ws_server_reserve) and announced the user when needed; it then gives the TCP
 *  socket here with the bytes that followed the request head. lws is given a
 *  request head we write ourselves from the checked fields (handshake.h) followed
 *  by those bytes, through lws_adopt_socket_vhost_readbuf(), which answers the
 *  handshake (101) and owns the socket from then on. lws never sees the client's
 *  own head: not its token, not any header we did not check.
 *
 *  Draining (ws_server_drain, on SIGTERM): every socket is closed with 1001 and no
 *  presence.close is sent (the presence part's lease says "draining"; a hook, set
 *  with ws_server_on_drain, runs first).
 */
#ifndef WS_ENDPOINT_H_INCLUDED
#define WS_ENDPOINT_H_INCLUDED

#include <libwebsockets.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls.h"
#include "dispatch.h"
#include "registry.h"
#include "socket.h"

/* Longest gateway id (GATEWAY_ID), as the contract allows. */
#define WS_GATEWAY_ID_MAX 64

/* The endpoint's limits. */
typedef struct {
    size_t max_sockets_per_user; /* WS_MAX_SOCKETS_PER_USER */
    size_t max_message;        /* WS_MAX_FRAME: longest client message, bytes */
    size_t send_queue_max;     /* WS_SEND_QUEUE_MAX: bound of each outgoing queue */
    long call_timeout_ms;      /* deadline of presence calls */
    const char *gateway_id;    /* this process's presence id (kept by pointer) */
    long lease_ms;             /* GATEWAY_LEASE_MS, sent with presence.open */
} ws_limits_t;

/* Called when draining starts (the presence part marks its lease draining). */
typedef void ws_drain_fn(void *arg);
/* Called on a user's first open (announced) or last close on this gateway. */
typedef void ws_user_fn(void *arg, int64_t uid);

typedef struct ws_server {
    ws_limits_t limits;        /* see above */
    struct lws_vhost *vhost;   /* where sockets are adopted */
    calls_t *calls;            /* bus calls (not owned), NULL once the bus is gone */
    ws_registry_t *registry;   /* sockets by user */
    ws_dispatch_t *dispatch;   /* client message types */
    bool draining;             /* closing every socket: no presence.close */
    ws_drain_fn *on_drain;     /* drain hook, or NULL */
    void *on_drain_arg;        /* its argument */
    ws_user_fn *on_first_open; /* user hook: first socket of a user, or NULL */
    ws_user_fn *on_last_close; /* user hook: last socket of a user, or NULL */
    void *on_user_arg;         /* their argument */
    /* The socket being handed to lws right now (ws_server_accept): lws answers the
     * handshake inside the adoption call, and the protocol's ESTABLISHED callback
     * takes the user from here, matching the descriptor. */
    int accepting_fd;          /* its descriptor, -1 when none */
    int64_t accepting_uid;     /* its user */
    bool accepted;             /* ESTABLISHED took it */
    /* Users whose presence.close failed (503, no answer): their row would keep them
     * online while this gateway lives, so the close is sent again
     * (ws_server_retry_closes) as long as they have not come back here. */
    int64_t *unclosed;         /* their ids */
    size_t unclosed_count;     /* how many */
    size_t unclosed_cap;       /* room in unclosed */
    struct ws_closing *closing; /* presence.close calls in flight (freed with the server) */
} ws_server_t;

/* Creates the endpoint's state. Returns NULL when out of memory. */
ws_server_t *ws_server_new(const ws_limits_t *limits);
/* Frees it (sockets are lws's and are gone with the context); sets *self_p to NULL;
 * safe on NULL. */
void ws_server_destroy(ws_server_t **self_p);
/* Holds a place for a handshake of uid (registry.h). */
ws_reserve_t ws_server_reserve(ws_server_t *self, int64_t uid, bool *announce);
/* The user's presence.open succeeded. */
void ws_server_announced(ws_server_t *self, int64_t uid);
/* Gives back a handshake's place. */
void ws_server_release(ws_server_t *self, int64_t uid);
/*  Hands the TCP socket fd (owned from now on in every case) of user uid, whose
 *  place is held, to lws: key is the client's checked Sec-WebSocket-Key, extra the
 *  bytes that followed its request head. The place becomes the socket, or is given
 *  back on failure. Returns 0, or -1 (socket closed). */
int ws_server_accept(ws_server_t *self, int fd, int64_t uid, const char *key,
                     const char *extra, size_t extra_len);
/* Calls fn(arg, sock) for each socket of uid; fn may close the socket. */
void ws_server_each(ws_server_t *self, int64_t uid,
                    void (*fn)(void *arg, ws_socket_t *sock), void *arg);
/* Calls fn(arg, sock) for every socket on this gateway; fn may close the socket. */
void ws_server_each_socket(ws_server_t *self, void (*fn)(void *arg, ws_socket_t *sock),
                           void *arg);
/* The user's open sockets on this gateway. */
size_t ws_server_count(const ws_server_t *self, int64_t uid);
/* Closes every socket of uid with code. */
void ws_server_close_user(ws_server_t *self, int64_t uid, uint16_t code);
/* Sockets open on this gateway. */
size_t ws_server_sockets(const ws_server_t *self);
/* Sets the hooks of a user's first open (after its presence.open succeeded) and
 * last close (after the endpoint sent presence.close, or not while draining). */
void ws_server_on_user(ws_server_t *self, ws_user_fn *first_open, ws_user_fn *last_close,
                       void *arg);
/* Sets the drain hook. */
void ws_server_on_drain(ws_server_t *self, ws_drain_fn *fn, void *arg);
/* Sends presence.close again for every user whose close failed and who has no
 * socket or handshake here now (called on every lease renewal). */
void ws_server_retry_closes(ws_server_t *self);
/* Starts draining: the hook, then every socket closed with 1001. */
void ws_server_drain(ws_server_t *self);

#endif
