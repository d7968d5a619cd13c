/*  conn.c: one HTTP/1.1 connection. See conn.h. */
#include "conn.h"

#include <errno.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "head.h"
#include "http.h"
#include "listener.h"
#include "log.h"
#include "session.h"
#include "upgrade.h"
#include "writer.h"

typedef enum {
    CONN_HEAD,                 /* waiting for (the rest of) a request head */
    CONN_BODY,                 /* reading a request body */
    CONN_WAIT,                 /* the request is read; its answer is being made */
    CONN_WRITE,                /* writing the answer */
    CONN_LINGER,               /* answered with Connection: close; input dropped */
} conn_state_t;

/* What one step of the connection achieved. */
typedef enum {
    STEP_MORE,                 /* progress: take the next step */
    STEP_BLOCKED,              /* waiting for the socket, a call or a deadline */
    STEP_CLOSE,                /* close the connection */
} step_t;

struct conn {
    struct listener *owner;    /* the listener (epoll set, deadlines, list) */
    http_server_t *srv;        /* the server */
    int fd;                    /* the socket */
    struct sockaddr_storage peer; /* the peer's address, from accept() */
    conn_state_t state;        /* where the connection stands */
    bool started;              /* a byte of the current request head has arrived */
    char *in;                  /* read buffer (malloc'ed), NULL while idle */
    size_t in_cap;             /* its size */
    size_t in_len;             /* bytes in it */
    size_t in_pos;             /* bytes of it consumed */
    bool eof;                  /* the peer shut down its sending side */
    bool readable;             /* input may be waiting (no short read since the last
                                  EPOLLIN edge) */
    uint64_t body_left;        /* request body bytes still to read */
    bool collect;              /* the body goes to the session (else dropped) */
    session_t session;         /* the transaction */
    char *out_head;            /* the response's header block (malloc'ed) */
    size_t out_head_len;       /* its length */
    size_t out_sent;           /* bytes of header block and body written */
    deadline_t deadline;       /* the current deadline (listener's heap) */
    conn_link_t link;          /* place in the listener's list */
    bool driving;              /* inside drive(): conn_respond only flags */
    bool again;                /* conn_respond came while driving */
    bool dead;                 /* close once drive() returns */
};

/* Sets the connection's deadline `seconds` from now. */
static void expire_in(conn_t *c, long seconds)
{
    listener_set_deadline(c->owner, c, lws_now_usecs() + (int64_t) seconds * 1000000);
}

/* Seconds allowed for a body or a response write (as lws's transaction timeout
 * was: longer than a call's deadline, which answers 503 first). */
static long transfer_timeout_s(const conn_t *c)
{
    return c->srv->settings->request_timeout_ms / 1000 + 30;
}

conn_t *conn_new(struct listener *owner, http_server_t *srv, int fd,
                 const struct sockaddr_storage *peer)
{
    conn_t *self = calloc(1, sizeof *self);
    if (!self) {
        close(fd);
        return NULL;
    }
    self->owner = owner;
    self->srv = srv;
    self->fd = fd;
    self->peer = *peer;
    self->deadline.index = DEADLINES_NONE;
    self->session.conn = self;
    self->session.srv = srv;
    self->state = CONN_HEAD;
    self->readable = true;
    return self;
}

void conn_destroy(conn_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    conn_t *self = *self_p;
    session_release(self->srv, &self->session);
    if (self->fd >= 0)
        close(self->fd);
    free(self->in);
    free(self->out_head);
    free(self);
    *self_p = NULL;
}

int conn_fd(const conn_t *self)
{
    return self->fd;
}

const struct sockaddr *conn_peer(const conn_t *self)
{
    return (const struct sockaddr *) &self->peer;
}

deadline_t *conn_deadline(conn_t *self)
{
    return &self->deadline;
}

conn_link_t *conn_link(conn_t *self)
{
    return &self->link;
}

conn_t *conn_of_deadline(deadline_t *d)
{
    return (conn_t *) ((char *) d - offsetof(conn_t, deadline));
}

/* Frees the read buffer when it holds nothing unconsumed (an idle connection). */
static void release_input(conn_t *c)
{
    if (c->in && c->in_pos == c->in_len) {
        free(c->in);
        c->in = NULL;
        c->in_cap = c->in_len = c->in_pos = 0;
    }
}

/*  Reads what the socket has into the buffer (allocating, compacting or growing
 *  it as needed). Returns STEP_MORE when bytes came, STEP_BLOCKED on EAGAIN (or a
 *  full buffer), STEP_CLOSE on an error; the end of input sets c->eof and returns
 *  STEP_BLOCKED. */
static step_t read_more(conn_t *c)
{
    if (c->eof || !c->readable)
        return STEP_BLOCKED;
    if (c->in_pos > 0 && c->in_pos == c->in_len)
        c->in_pos = c->in_len = 0;
    if (c->in_pos > 0 && c->in_len == c->in_cap) {
        memmove(c->in, c->in + c->in_pos, c->in_len - c->in_pos);
        c->in_len -= c->in_pos;
        c->in_pos = 0;
    }
    if (c->in_len == c->in_cap) {
        if (c->in_cap >= HTTP_READ_MAX)
            return STEP_BLOCKED;
        size_t cap = c->in_cap ? c->in_cap * 2 : HTTP_READ_INITIAL;
        char *grown = realloc(c->in, cap);
        if (!grown)
            return STEP_CLOSE;
        c->in = grown;
        c->in_cap = cap;
    }
    size_t room = c->in_cap - c->in_len;
    ssize_t n = recv(c->fd, c->in + c->in_len, room, 0);
    if (n > 0) {
        /* A short read emptied the socket's queue: whatever comes later raises a
         * new EPOLLIN edge, so no recv() is spent just to see EAGAIN. */
        if ((size_t) n < room)
            c->readable = false;
        c->in_len += (size_t) n;
        return STEP_MORE;
    }
    if (n == 0) {
        c->eof = true;
        return STEP_BLOCKED;
    }
    if (errno == EINTR)
        return STEP_MORE;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        c->readable = false;
        return STEP_BLOCKED;
    }
    return STEP_CLOSE;
}

/* A head has been parsed: hands it to the HTTP layer and frames its body. */
static void start_request(conn_t *c, const head_t *head)
{
    session_t *s = &c->session;
    http_on_head(c->srv, s, head);
    c->body_left = 0;
    c->collect = false;
    bool readable = head->length > 0 && !head->chunked
                    && head->length <= (uint64_t) c->srv->settings->max_body;
    if (readable) {
        c->body_left = head->length;
        c->collect = s->state == SESSION_BODY;
    }
    if (c->body_left > 0) {
        c->state = CONN_BODY;
        expire_in(c, transfer_timeout_s(c));
    } else {
        c->state = CONN_WAIT;
        listener_clear_deadline(c->owner, c);
    }
}

/* CONN_HEAD: waits for a whole head, then parses it. */
static step_t step_head(conn_t *c)
{
    if (c->in) {
        size_t skip = head_skip_empty(c->in + c->in_pos, c->in_len - c->in_pos);
        c->in_pos += skip;
    }
    size_t avail = c->in ? c->in_len - c->in_pos : 0;
    if (avail > 0 && !c->started) {
        c->started = true;
        expire_in(c, HTTP_HEADER_TIMEOUT_S);
    }
    size_t len = avail ? head_length(c->in + c->in_pos, avail) : 0;
    if (len == 0 && avail <= HEAD_MAX) {
        step_t rc = read_more(c);
        if (rc == STEP_BLOCKED && c->eof)
            return STEP_CLOSE;        /* no complete request will come */
        if (rc == STEP_BLOCKED)
            release_input(c);
        return rc;
    }
    session_t *s = &c->session;
    c->started = false;
    if (len == 0 || len > HEAD_MAX) {
        session_release(c->srv, s);
        http_refuse_head(s, HEAD_TOO_LARGE);
        c->state = CONN_WAIT;
        return STEP_MORE;
    }
    head_t head;
    head_status_t rc = head_parse(c->in + c->in_pos, len, &head);
    if (rc != HEAD_OK) {
        session_release(c->srv, s);
        http_refuse_head(s, rc);
        c->state = CONN_WAIT;
        return STEP_MORE;
    }
    /* The head's spans point into the buffer, which stays put until the next read. */
    start_request(c, &head);
    c->in_pos += len;
    return STEP_MORE;
}

/* CONN_BODY: passes body bytes to the session (or drops them). */
static step_t step_body(conn_t *c)
{
    size_t avail = c->in ? c->in_len - c->in_pos : 0;
    if (avail == 0) {
        step_t rc = read_more(c);
        return rc == STEP_BLOCKED && c->eof ? STEP_CLOSE : rc;
    }
    size_t n = avail < c->body_left ? avail : (size_t) c->body_left;
    session_t *s = &c->session;
    if (c->collect && s->state == SESSION_BODY)
        http_on_body(s, c->in + c->in_pos, n);
    c->in_pos += n;
    c->body_left -= n;
    if (c->collect && s->state != SESSION_BODY) {
        /* The session gave up on the body (too large, out of memory): its answer
         * closes the connection, nothing more is read. */
        c->body_left = 0;
    }
    if (c->body_left > 0)
        return STEP_MORE;
    if (c->collect && s->state == SESSION_BODY)
        http_on_body_complete(c->srv, s);
    c->state = CONN_WAIT;
    listener_clear_deadline(c->owner, c);
    return STEP_MORE;
}

/* The WebSocket handshake passed: the socket leaves the epoll set and goes, with
 * the bytes read after the head, to the endpoint; the connection then closes
 * without closing it. */
static step_t hand_over(conn_t *c)
{
    listener_detach(c->owner, c);
    int fd = c->fd;
    c->fd = -1;
    const char *extra = c->in ? c->in + c->in_pos : NULL;
    size_t extra_len = c->in ? c->in_len - c->in_pos : 0;
    upgrade_hand_over(c->srv, &c->session, fd, extra, extra_len);
    return STEP_CLOSE;
}

/* CONN_WAIT: starts writing once the session's response is set. */
static step_t step_wait(conn_t *c)
{
    session_t *s = &c->session;
    if (s->state == SESSION_UPGRADING)
        return hand_over(c);
    if (s->state != SESSION_RESPONDING || !s->response.status)
        return STEP_BLOCKED;
    free(c->out_head);
    c->out_head = writer_head(&s->response, &c->out_head_len);
    if (!c->out_head)
        return STEP_CLOSE;
    c->out_sent = 0;
    c->state = CONN_WRITE;
    expire_in(c, transfer_timeout_s(c));
    return STEP_MORE;
}

/* The transaction is answered: next request, or closing. */
static step_t finish(conn_t *c)
{
    session_t *s = &c->session;
    bool close_after = s->response.close;
    log_debug("%s %s %d", s->method_name ? s->method_name : "-",
              s->match.route ? s->match.route->pattern : "-", s->response.status);
    session_release(c->srv, s);
    free(c->out_head);
    c->out_head = NULL;
    if (close_after) {
        shutdown(c->fd, SHUT_WR);
        c->state = CONN_LINGER;
        expire_in(c, HTTP_LINGER_S);
        return STEP_MORE;
    }
    c->state = CONN_HEAD;
    c->started = false;
    release_input(c);
    expire_in(c, c->srv->settings->keepalive_s);
    return STEP_MORE;
}

/* CONN_WRITE: sends what the socket takes. */
static step_t step_write(conn_t *c)
{
    const response_t *r = &c->session.response;
    size_t body_len = r->head_only ? 0 : r->body_len;
    size_t total = c->out_head_len + body_len;
    while (c->out_sent < total) {
        struct iovec iov[2];
        int count = 0;
        if (c->out_sent < c->out_head_len) {
            iov[count].iov_base = c->out_head + c->out_sent;
            iov[count].iov_len = c->out_head_len - c->out_sent;
            count++;
        }
        size_t body_sent = c->out_sent > c->out_head_len ? c->out_sent - c->out_head_len : 0;
        if (body_sent < body_len) {
            iov[count].iov_base = (char *) r->body + body_sent;
            iov[count].iov_len = body_len - body_sent;
            count++;
        }
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = iov;
        msg.msg_iovlen = (size_t) count;
        ssize_t n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? STEP_BLOCKED : STEP_CLOSE;
        }
        c->out_sent += (size_t) n;
    }
    return finish(c);
}

/* CONN_LINGER: drops input until the peer closes. */
static step_t step_linger(conn_t *c)
{
    c->in_pos = c->in_len;
    step_t rc = read_more(c);
    if (c->eof)
        return STEP_CLOSE;
    return rc;
}

/* Takes steps until the connection has to wait, then closes it if asked to. */
static void drive(conn_t *c)
{
    if (c->driving) {
        c->again = true;
        return;
    }
    c->driving = true;
    for (;;) {
        c->again = false;
        step_t rc = STEP_BLOCKED;
        switch (c->state) {
        case CONN_HEAD: rc = step_head(c); break;
        case CONN_BODY: rc = step_body(c); break;
        case CONN_WAIT: rc = step_wait(c); break;
        case CONN_WRITE: rc = step_write(c); break;
        case CONN_LINGER: rc = step_linger(c); break;
        }
        if (rc == STEP_CLOSE)
            c->dead = true;
        if (c->dead || (rc == STEP_BLOCKED && !c->again))
            break;
    }
    c->driving = false;
    if (c->dead)
        listener_close(c->owner, c);
}

void conn_on_events(conn_t *self, uint32_t events)
{
    if (events & (EPOLLERR | EPOLLHUP)) {
        listener_close(self->owner, self);
        return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP))
        self->readable = true;
    drive(self);
}

void conn_on_deadline(conn_t *self)
{
    if (self->state == CONN_WAIT)
        return;
    listener_close(self->owner, self);
}

void conn_respond(conn_t *self)
{
    drive(self);
}
