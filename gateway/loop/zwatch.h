/*  zwatch.h: a ZeroMQ socket watched inside the lws event loop.
 *
 *  Debian's lws 4.1.6 has one service thread and no external-poll build, so a
 *  ZeroMQ socket joins the loop through its ZMQ_FD, adopted as a raw file (a dup of
 *  it: lws closes the dup, libzmq keeps its own). ZMQ_FD is not a data socket: it
 *  signals, edge-style, that the socket's state may have changed, and any libzmq
 *  call on the socket (a send included) may consume that signal. So a watcher
 *  drains, through one function (drain(), the only place the socket is read), on two
 *  occasions:
 *    - the adopted fd became readable (the watcher's own lws callback);
 *    - a zero-delay lws timer asked for by zwatch_soon(), which the owner calls after
 *      every send on the socket: the send may have eaten the edge, and the drain
 *      then runs at the top of the next loop turn, never inside whatever callback
 *      made the send.
 *  A drain takes at most ZWATCH_BURST messages; when the socket still has more it
 *  schedules the timer again, so one busy socket cannot starve the other
 *  connections of the loop. No thread, no lock, no polling interval.
 *
 *  The watcher knows nothing of what the messages mean: the owner gives a receive
 *  function that takes one message without blocking, handles it, and says whether
 *  there was one. The vhost must list ZWATCH_PROTOCOL with zwatch_callback.
 */
#ifndef ZWATCH_H_INCLUDED
#define ZWATCH_H_INCLUDED

#include <libwebsockets.h>
#include <stdbool.h>

/* Name of the lws protocol every watcher's fd is served by. */
#define ZWATCH_PROTOCOL "zmq"
/* Most messages one drain takes before giving the loop back. */
#define ZWATCH_BURST 64
/* The "zero" delay of the drain timer: 1 µs makes lws poll without waiting and run
 * the timer on the next loop turn (a timer due at exactly the moment lws started
 * running timers would run again in the same pass). */
#define ZWATCH_SOON_US 1

/* Takes one message off the socket without blocking and handles it. Returns true
 * when there was one, false when the socket is empty. */
typedef bool zwatch_recv_fn(void *arg);

typedef struct zwatch zwatch_t;

/*  Watches the ZeroMQ socket whose ZMQ_FD is zmq_fd (not taken: a dup is adopted)
 *  in vhost's loop, calling recv(arg) for its messages. Returns NULL (logged) on
 *  failure. */
zwatch_t *zwatch_new(struct lws_context *context, struct lws_vhost *vhost, int zmq_fd,
                     zwatch_recv_fn *recv, void *arg);
/*  Stops watching (closes the adopted dup if lws has not already) and frees the
 *  watcher; sets *self_p to NULL; safe on NULL. While the context lives, or after
 *  lws_context_destroy (which closes the dup and stops the timer first). */
void zwatch_destroy(zwatch_t **self_p);
/* Asks for a drain on the next loop turn (call after every send on the socket). */
void zwatch_soon(zwatch_t *self);

/* The lws callback of ZWATCH_PROTOCOL. */
int zwatch_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                    void *in, size_t len);

#endif
