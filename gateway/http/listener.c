/*  listener.c: the listening socket, the epoll set and the connections' deadlines.
 *  See listener.h. */
#include "listener.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "adopt.h"
#include "conn.h"
#include "listen_socket.h"
#include "log.h"

struct listener {
    http_server_t *srv;               /* owner: vhost, context and settings */
    int listen_fd;                    /* the listening socket, -1 once closed */
    int epoll_fd;                     /* the epoll set (lws owns and closes it) */
    struct lws *wsi;                  /* the epoll set's adopted wsi, NULL once closed */
    deadlines_t *deadlines;           /* every connection's current deadline */
    lws_sorted_usec_list_t timer;     /* fires at the earliest deadline */
    int64_t armed_at;                 /* when the timer fires, 0 when not armed */
    lws_sorted_usec_list_t retry;     /* re-enables accepting after running out of fds */
    bool out_of_fds;                  /* EMFILE/ENFILE was logged; no accept since */
    conn_t *first;                    /* the open connections' list */
    size_t count;                     /* connections open */
};

/* Marks the listening socket in the epoll set (connections carry their conn_t). */
static char listen_tag;

/* The options of accepted sockets: TCP keepalive, no Nagle. */
static void set_socket_options(int fd)
{
    int one = 1, idle = HTTP_KA_TIME, interval = HTTP_KA_INTERVAL,
        probes = HTTP_KA_PROBES;
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* Timer: closes every connection whose deadline passed, then re-arms. */
static void on_timer(lws_sorted_usec_list_t *sul);

/* Arms the timer for the earliest deadline, unless it fires at or before it. */
static void arm(listener_t *self)
{
    deadline_t *first = deadlines_first(self->deadlines);
    if (!first || !self->wsi)
        return;
    if (self->armed_at && self->armed_at <= first->at_us)
        return;
    int64_t delay = first->at_us - lws_now_usecs();
    self->armed_at = first->at_us;
    lws_sul_schedule(self->srv->context, 0, &self->timer, on_timer, delay > 0 ? delay : 1);
}

static void on_timer(lws_sorted_usec_list_t *sul)
{
    listener_t *self = lws_container_of(sul, listener_t, timer);
    self->armed_at = 0;
    int64_t now = lws_now_usecs();
    deadline_t *due;
    while ((due = deadlines_pop_due(self->deadlines, now)) != NULL)
        conn_on_deadline(conn_of_deadline(due));
    arm(self);
}

void listener_set_deadline(listener_t *self, conn_t *conn, int64_t at_us)
{
    deadline_t *d = conn_deadline(conn);
    deadlines_remove(self->deadlines, d);
    if (deadlines_add(self->deadlines, d, at_us) == 0)
        arm(self);
}

void listener_clear_deadline(listener_t *self, conn_t *conn)
{
    deadlines_remove(self->deadlines, conn_deadline(conn));
}

void listener_stop_accepting(listener_t *self)
{
    lws_sul_cancel(&self->retry);
    if (self->listen_fd < 0)
        return;
    if (self->epoll_fd >= 0)
        epoll_ctl(self->epoll_fd, EPOLL_CTL_DEL, self->listen_fd, NULL);
    close(self->listen_fd);
    self->listen_fd = -1;
}

void listener_detach(listener_t *self, conn_t *conn)
{
    if (self->epoll_fd >= 0)
        epoll_ctl(self->epoll_fd, EPOLL_CTL_DEL, conn_fd(conn), NULL);
}

void listener_close(listener_t *self, conn_t *conn)
{
    deadlines_remove(self->deadlines, conn_deadline(conn));
    conn_link_t *link = conn_link(conn);
    if (link->prev)
        conn_link(link->prev)->next = link->next;
    else
        self->first = link->next;
    if (link->next)
        conn_link(link->next)->prev = link->prev;
    self->count--;
    /* Closing the socket removes it from the epoll set. */
    conn_destroy(&conn);
}

size_t listener_count(const listener_t *self)
{
    return self->count;
}

/* Closes every connection and the listening socket (the epoll set is closing). */
static void close_all(listener_t *self)
{
    while (self->first)
        listener_close(self, self->first);
    if (self->listen_fd >= 0)
        close(self->listen_fd);
    self->listen_fd = -1;
}

/* Takes the inherited listening socket (GATEWAY_LISTEN_FD), or creates one.
 * Returns 0, or -1 (logged). */
static int start_listening(listener_t *self)
{
    const settings_t *settings = self->srv->settings;
    if (settings->listen_fd >= 0) {
        if (listen_socket_inherit(settings->listen_fd, settings->port) != 0)
            return -1;
        self->listen_fd = settings->listen_fd;
        return 0;
    }
    self->listen_fd = listen_socket_open(settings->bind, settings->port, settings->reuseport,
                                         true, true);
    return self->listen_fd < 0 ? -1 : 0;
}

/* Makes the epoll set, puts the listener in it and adopts it. Returns 0, or -1
 * (logged). */
static int start_epoll(listener_t *self)
{
    int fd = epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0) {
        log_error("epoll_create1: %s", strerror(errno));
        return -1;
    }
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &listen_tag };
    if (epoll_ctl(fd, EPOLL_CTL_ADD, self->listen_fd, &ev) != 0) {
        log_error("epoll_ctl: %s", strerror(errno));
        close(fd);
        return -1;
    }
    /* lws owns fd from now on, closed already if adoption fails (adopt.h). */
    self->wsi = adopt_raw_fd(self->srv->vhost, fd, LISTENER_PROTOCOL, self);
    if (!self->wsi) {
        log_error("cannot adopt the epoll set into the event loop");
        return -1;
    }
    self->epoll_fd = fd;
    return 0;
}

listener_t *listener_new(http_server_t *srv)
{
    listener_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->srv = srv;
    self->listen_fd = -1;
    self->epoll_fd = -1;
    self->deadlines = deadlines_new();
    if (!self->deadlines || start_listening(self) != 0 || start_epoll(self) != 0) {
        if (self->listen_fd >= 0 && !self->wsi)
            close(self->listen_fd);
        self->listen_fd = -1;
        listener_destroy(&self);
    }
    return self;
}

void listener_destroy(listener_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    listener_t *self = *self_p;
    /* Connections and timers went with the epoll set's close callback; anything
     * left (the set never adopted) is closed now, without touching lws. */
    self->wsi = NULL;
    close_all(self);
    deadlines_destroy(&self->deadlines);
    free(self);
    *self_p = NULL;
}

/* Timer: accept again after running out of descriptors. */
static void on_retry(lws_sorted_usec_list_t *sul)
{
    listener_t *self = lws_container_of(sul, listener_t, retry);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &listen_tag };
    if (self->listen_fd >= 0)
        epoll_ctl(self->epoll_fd, EPOLL_CTL_MOD, self->listen_fd, &ev);
}

/* Out of descriptors: logs once per episode and stops accepting for a moment (the
 * listener would otherwise stay readable and spin the loop). */
static void pause_accepting(listener_t *self)
{
    if (!self->out_of_fds)
        log_warn("out of file descriptors: new connections wait (%s)", strerror(errno));
    self->out_of_fds = true;
    struct epoll_event ev = { .events = 0, .data.ptr = &listen_tag };
    epoll_ctl(self->epoll_fd, EPOLL_CTL_MOD, self->listen_fd, &ev);
    lws_sul_schedule(self->srv->context, 0, &self->retry, on_retry, LISTENER_RETRY_ACCEPT_US);
}

/* Registers a new connection. Returns 0, or -1 (fd closed). */
static int add_connection(listener_t *self, int fd, const struct sockaddr_storage *peer)
{
    conn_t *conn = conn_new(self, self->srv, fd, peer);
    if (!conn)
        return -1;
    struct epoll_event ev = {
        .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = conn,
    };
    if (epoll_ctl(self->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        conn_destroy(&conn);
        return -1;
    }
    conn_link(conn)->next = self->first;
    if (self->first)
        conn_link(self->first)->prev = conn;
    self->first = conn;
    self->count++;
    listener_set_deadline(self, conn, lws_now_usecs() + HTTP_HEADER_TIMEOUT_S * 1000000LL);
    return 0;
}

/* The listener is readable: accepts up to LISTENER_BATCH waiting connections. */
static void accept_some(listener_t *self)
{
    for (int i = 0; i < LISTENER_BATCH; i++) {
        struct sockaddr_storage peer;
        socklen_t peer_len = sizeof peer;
        int fd = accept4(self->listen_fd, (struct sockaddr *) &peer, &peer_len,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                pause_accepting(self);
            else if (errno != EAGAIN && errno != EWOULDBLOCK)
                log_warn("accept: %s", strerror(errno));
            return;
        }
        set_socket_options(fd);
        if (add_connection(self, fd, &peer) != 0) {
            pause_accepting(self);
            return;
        }
        self->out_of_fds = false;
    }
}

/* The epoll set is readable: handles what it reports. */
static void dispatch(listener_t *self)
{
    struct epoll_event events[LISTENER_BATCH];
    int n = epoll_wait(self->epoll_fd, events, LISTENER_BATCH, 0);
    for (int i = 0; i < n; i++) {
        if (events[i].data.ptr == &listen_tag)
            accept_some(self);
        else
            conn_on_events(events[i].data.ptr, events[i].events);
    }
}

int listener_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                      void *in, size_t len)
{
    (void) user;
    (void) in;
    (void) len;
    listener_t *self = lws_get_opaque_user_data(wsi);
    if (!self || self->wsi != wsi)
        return 0;
    if (reason == LWS_CALLBACK_RAW_RX_FILE) {
        dispatch(self);
    } else if (reason == LWS_CALLBACK_RAW_CLOSE_FILE) {
        /* lws closed the epoll set (context destruction). */
        lws_sul_cancel(&self->timer);
        lws_sul_cancel(&self->retry);
        self->armed_at = 0;
        self->wsi = NULL;
        self->epoll_fd = -1;
        close_all(self);
    }
    return 0;
}
