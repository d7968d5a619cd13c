/*  frontdoor.h: the gateway's own listening sockets, in front of libwebsockets.
 *
 *  Why: libwebsockets 4.1.6 fails the parse of a request line whose target decodes to
 *  a NUL ("%00": lws_parse_urldecode, URIPS_IDLE) and closes the connection before
 *  any callback runs, while the API promises a 400 for NUL anywhere.
 *
 *  How, all in the lws event loop (no thread): the gateway listens itself and adopts
 *  each listening socket into lws as a raw file descriptor. A readable listener is
 *  accepted until EAGAIN; each new connection is watched through a dup() of its fd,
 *  adopted as another raw file descriptor (lws closes the dup, never the original).
 *  When that fd is readable the front door peeks (MSG_PEEK, up to FRONTDOOR_PEEK_MAX
 *  bytes) at the request line:
 *    - not complete yet: stop watching for input and look again every
 *      FRONTDOOR_RECHECK_US (a peek consumes nothing, so level-triggered readiness
 *      would spin), within FRONTDOOR_DEADLINE_S of the accept; past it, or when the
 *      peer closes, the connection is closed;
 *    - its target carries "%00": answer 400 {"detail": "Null characters are not
 *      allowed."} with Connection: close, shut down writing, discard input until the
 *      peer closes (at most FRONTDOOR_LINGER_S) so the answer is not lost to a reset;
 *    - otherwise (or FRONTDOOR_PEEK_MAX bytes with no end of line, which lws refuses
 *      by itself): close the watcher and lws_adopt_socket_vhost() the original fd;
 *      the request bytes are still in the kernel buffer, so lws reads them as if it
 *      had accepted the connection.
 *  Only the first request line of a connection passes the front door: later
 *  keep-alive requests on it are parsed by lws alone, and one with "%00" in its
 *  target still gets its connection closed without an answer (known limitation).
 *
 *  Ownership: listening fds belong to lws once adopted (closed by
 *  lws_context_destroy); a connection's original fd belongs to its watcher until it
 *  is handed to lws, and is closed in the watcher's close callback otherwise.
 */
#ifndef FRONTDOOR_H_INCLUDED
#define FRONTDOOR_H_INCLUDED

#include <libwebsockets.h>
#include <stdbool.h>
#include <stddef.h>

/* Bytes of a new connection looked at for its request line. */
#define FRONTDOOR_PEEK_MAX 8192
/* Seconds a new connection has to send its request line. */
#define FRONTDOOR_DEADLINE_S 10
/* Seconds a refused connection is drained before it is closed. */
#define FRONTDOOR_LINGER_S 2
/* Delay between two looks at an incomplete request line. */
#define FRONTDOOR_RECHECK_US (10 * 1000)
/* Delay before accepting again after running out of file descriptors. */
#define FRONTDOOR_RETRY_ACCEPT_US (100 * 1000)
/* Pending connections per listening socket (lws's default, SOMAXCONN). */
#define FRONTDOOR_BACKLOG SOMAXCONN

typedef struct frontdoor frontdoor_t;
struct http_server;

/* What the bytes of a new connection call for. */
typedef enum {
    FRONTDOOR_WAIT,              /* the request line is not complete yet */
    FRONTDOOR_PASS,              /* hand the connection to lws */
    FRONTDOOR_REFUSE,            /* answer 400: the target carries an encoded NUL */
} frontdoor_verdict_t;

/*  Creates the front door: listening sockets for settings' GATEWAY_BIND and
 *  GATEWAY_PORT (IPv6 with IPv4-mapped addresses when the kernel has IPv6 and no
 *  address is given, else the given address or interface), adopted into srv's vhost.
 *  Returns NULL (logged) on failure. */
frontdoor_t *frontdoor_new(struct http_server *srv);
/* Frees the front door; call after lws_context_destroy (which closes its sockets and
 * watchers). Sets *self_p to NULL; safe on NULL. */
void frontdoor_destroy(frontdoor_t **self_p);

/* lws protocol callback of the adopted listening sockets. */
int frontdoor_listen_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                              void *in, size_t len);
/* lws protocol callback of the watched new connections. */
int frontdoor_conn_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                            void *in, size_t len);

/*  Pure: the verdict on the first len bytes of a connection, when at most cap bytes
 *  are looked at. Empty lines before the request line are skipped (as lws does). */
frontdoor_verdict_t frontdoor_judge(const char *buf, size_t len, size_t cap);
/*  Pure: length of the request line in buf (up to and including its "\n") after any
 *  leading empty lines, whose length goes to *skip; 0 when it is not complete. */
size_t frontdoor_line_length(const char *buf, size_t len, size_t *skip);
/*  Pure: true when the request line (without its end) carries "%00" in its target,
 *  that is after its first space. */
bool frontdoor_line_has_nul(const char *line, size_t len);

#endif
