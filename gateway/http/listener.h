/*  listener.h: the gateway's HTTP server socket and its connections, in the lws
 *  event loop.
 *
 *  The gateway serves HTTP/1.1 itself (conn.c) rather than through libwebsockets:
 *  see docs/architecture.md (Gateway, "Serving HTTP") for why and what was measured.
 *  One private epoll set holds the listening socket (level-triggered) and every
 *  connection (edge-triggered: EPOLLIN, EPOLLOUT and EPOLLRDHUP registered once at
 *  the accept, never modified); only that set's descriptor is adopted into the lws
 *  loop (adopt_raw_fd), so a connection costs one descriptor and the loop wakes only
 *  when some socket has news. Each wake-up takes at most LISTENER_BATCH events
 *  (the set stays readable if more remain, and lws comes back after its other
 *  descriptors), and accepts at most LISTENER_BATCH connections.
 *
 *  Deadlines of every connection (head, body, write, keep-alive, linger) sit in one
 *  min-heap (deadlines.c) with one lws timer armed for the earliest: no polling.
 *
 *  The listening socket is inherited (GATEWAY_LISTEN_FD: one socket shared by
 *  several gateways) or made here for GATEWAY_BIND and GATEWAY_PORT
 *  (listen_socket.h); accepted sockets get TCP keepalive and TCP_NODELAY. Running
 *  out of descriptors (EMFILE) is logged once per episode and accepting pauses
 *  LISTENER_RETRY_ACCEPT_US instead of spinning. accept() fails with EMFILE before
 *  it takes a connection off the queue, so nothing is dropped: on a shared socket
 *  the other gateways take it meanwhile, alone it waits for the retry.
 */
#ifndef LISTENER_H_INCLUDED
#define LISTENER_H_INCLUDED

#include <libwebsockets.h>
#include <stdint.h>

#include "server.h"

/* Most events handled, and connections accepted, per wake-up. */
#define LISTENER_BATCH 128
/* Delay before accepting again after running out of file descriptors. */
#define LISTENER_RETRY_ACCEPT_US (100 * 1000)
/* Name of the epoll set's protocol in the vhost. */
#define LISTENER_PROTOCOL "http-epoll"

typedef struct listener listener_t;
struct conn;

/* Creates the listening socket for settings' GATEWAY_BIND and GATEWAY_PORT and the
 * epoll set, adopted into srv's vhost. Returns NULL (logged) on failure. */
listener_t *listener_new(http_server_t *srv);
/* Frees the listener; call after lws_context_destroy (which closes the epoll set
 * and, through its close callback, every connection). Sets *self_p to NULL; safe
 * on NULL. */
void listener_destroy(listener_t **self_p);
/* lws protocol callback of the adopted epoll set. */
int listener_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                      void *in, size_t len);

/* Sets conn's deadline to at_us (monotonic microseconds), replacing any other. */
void listener_set_deadline(listener_t *self, struct conn *conn, int64_t at_us);
/* Removes conn's deadline. */
void listener_clear_deadline(listener_t *self, struct conn *conn);
/* Stops accepting: the listening socket is closed (a draining gateway). */
void listener_stop_accepting(listener_t *self);
/* Takes conn's socket out of the epoll set (it is being handed to lws). */
void listener_detach(listener_t *self, struct conn *conn);
/* Forgets conn and destroys it (closing its socket). */
void listener_close(listener_t *self, struct conn *conn);
/* Connections open. */
size_t listener_count(const listener_t *self);

#endif
