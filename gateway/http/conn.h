/*  conn.h: one HTTP/1.1 connection served by the gateway itself.
 *
 *  The connection reads requests one at a time from its socket (edge-triggered,
 *  in the listener's epoll set: listener.c), and answers them in order:
 *    - a head is kept in a read buffer that exists only while a request is being
 *      read (2 KiB, grown up to 2 * HEAD_MAX), until its end has arrived, within
 *      HTTP_HEADER_TIMEOUT_S of its first byte (of the accept for a new connection);
 *      more than HEAD_MAX bytes without an end is a 431; head_parse() checks it
 *      (400, 431) and http_on_head() decides what it calls for;
 *    - its body (Content-Length) is collected for the session, or read and dropped
 *      when the answer is already known; a chunked or too large body is not read:
 *      the answer says Connection: close;
 *    - the response's header block and body go out with one sendmsg() each time
 *      the socket takes more, until EAGAIN; EPOLLOUT (edge) resumes it;
 *    - then the next request, which may already be in the buffer (pipelining: each
 *      answered in order; nothing more is read while a request is being answered,
 *      so a client cannot queue work), or an idle keep-alive connection holding no
 *      buffer, closed after GATEWAY_KEEPALIVE_S;
 *    - a response with Connection: close is followed by shutdown(SHUT_WR) and the
 *      client's remaining input is dropped for at most HTTP_LINGER_S, so the answer
 *      is not destroyed by a reset;
 *    - a client that shuts down its sending side after its request (half-close)
 *      still gets the answer: the end of input is only acted on when the next
 *      request is read.
 *  Nothing here blocks; every wait has a deadline (the listener's heap).
 */
#ifndef CONN_H_INCLUDED
#define CONN_H_INCLUDED

#include <stdint.h>

#include "deadlines.h"
#include "server.h"

/* Seconds to send a whole request head, from its first byte (or the accept). */
#define HTTP_HEADER_TIMEOUT_S 10
/* Seconds a closing connection's input is drained after its last answer. */
#define HTTP_LINGER_S 2
/* Initial and largest size of a connection's read buffer. */
#define HTTP_READ_INITIAL 2048
#define HTTP_READ_MAX (2 * 8192)

typedef struct conn conn_t;
struct listener;

/* A connection's place in the listener's list of open connections. */
typedef struct {
    conn_t *prev;              /* previous connection, NULL for the first */
    conn_t *next;              /* next connection, NULL for the last */
} conn_link_t;

/* A connection for the accepted socket fd (owned from now on: closed by
 * conn_destroy, or here on failure) from `peer` (accept's address, copied). Returns
 * NULL when out of memory. */
conn_t *conn_new(struct listener *owner, http_server_t *srv, int fd,
                 const struct sockaddr_storage *peer);
/* Withdraws the connection's calls, closes its socket and frees it; sets *self_p to
 * NULL; safe on NULL. The listener calls it (and forgets the connection first). */
void conn_destroy(conn_t **self_p);
/* The socket's epoll events: reads, writes or closes as they allow. */
void conn_on_events(conn_t *self, uint32_t events);
/* Its deadline passed: closes the connection, unless it is waiting for a call
 * (which has its own deadline). */
void conn_on_deadline(conn_t *self);
/* The session's response is set: writes it as soon as the request is read. */
void conn_respond(conn_t *self);
/* The connection's socket. */
int conn_fd(const conn_t *self);
/* The peer's address, as accept() reported it. */
const struct sockaddr *conn_peer(const conn_t *self);
/* Its deadline node (the listener's heap holds it). */
deadline_t *conn_deadline(conn_t *self);
/* Its place in the listener's list. */
conn_link_t *conn_link(conn_t *self);
/* The connection that holds deadline node d. */
conn_t *conn_of_deadline(deadline_t *d);

#endif
