/*  frontdoor.c: the gateway's listening sockets and first look at new connections.
 *  See frontdoor.h. */
#include "frontdoor.h"

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "adopt.h"
#include "log.h"
#include "response.h"
#include "server.h"

struct frontdoor {
    http_server_t *srv;               /* owner: vhost, context and settings */
    int listen_fd;                    /* the listening socket (lws closes it), -1 if none */
    struct lws *listener;             /* its adopted wsi, NULL once closed */
    lws_sorted_usec_list_t retry;     /* re-enables accepting after running out of fds */
    bool out_of_fds;                  /* EMFILE/ENFILE was logged; no accept since */
    char peek[FRONTDOOR_PEEK_MAX];    /* scratch for peeks and drains (one loop thread) */
};

/* One new connection under the front door's watch. */
typedef struct {
    frontdoor_t *door;                /* the front door */
    struct lws *wsi;                  /* raw file wsi watching a dup of fd */
    int fd;                           /* the connection, -1 once handed to lws */
    bool refused;                     /* the 400 is out: input is only drained */
    lws_sorted_usec_list_t recheck;   /* next look at an incomplete request line */
} conn_t;

static const char nul_body[] = "{\"detail\":\"Null characters are not allowed.\"}";

/* ---- pure functions ---- */

size_t frontdoor_line_length(const char *buf, size_t len, size_t *skip)
{
    size_t start = 0;
    while (start < len && (buf[start] == '\r' || buf[start] == '\n'))
        start++;
    *skip = start;
    const char *nl = memchr(buf + start, '\n', len - start);
    return nl ? (size_t) (nl - (buf + start)) + 1 : 0;
}

bool frontdoor_line_has_nul(const char *line, size_t len)
{
    const char *space = memchr(line, ' ', len);
    if (!space)
        return false;
    for (size_t i = (size_t) (space - line) + 1; i + 3 <= len; i++)
        if (line[i] == '%' && line[i + 1] == '0' && line[i + 2] == '0')
            return true;
    return false;
}

frontdoor_verdict_t frontdoor_judge(const char *buf, size_t len, size_t cap)
{
    size_t skip = 0;
    size_t line = frontdoor_line_length(buf, len, &skip);
    if (line == 0)
        return len >= cap ? FRONTDOOR_PASS : FRONTDOOR_WAIT;
    return frontdoor_line_has_nul(buf + skip, line) ? FRONTDOOR_REFUSE : FRONTDOOR_PASS;
}

/* ---- listening ---- */

/* Resolves GATEWAY_BIND (an address, or an interface's first address, IPv4 first)
 * and port into *sa. Returns 0, or -1 when it names nothing. */
static int resolve_bind(const char *bind, int port, struct sockaddr_storage *sa,
                        socklen_t *sa_len)
{
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints, *found = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    if (getaddrinfo(bind, service, &hints, &found) == 0) {
        memcpy(sa, found->ai_addr, found->ai_addrlen);
        *sa_len = found->ai_addrlen;
        freeaddrinfo(found);
        return 0;
    }
    struct ifaddrs *list = NULL;
    if (getifaddrs(&list) != 0)
        return -1;
    int rc = -1;
    for (int family = AF_INET; rc != 0; family = AF_INET6) {
        for (struct ifaddrs *i = list; i && rc != 0; i = i->ifa_next)
            if (i->ifa_addr && i->ifa_addr->sa_family == family && strcmp(i->ifa_name, bind) == 0) {
                *sa_len = family == AF_INET ? sizeof(struct sockaddr_in)
                                            : sizeof(struct sockaddr_in6);
                memcpy(sa, i->ifa_addr, *sa_len);
                rc = 0;
            }
        if (family == AF_INET6)
            break;
    }
    freeifaddrs(list);
    if (rc == 0) {
        if (sa->ss_family == AF_INET)
            ((struct sockaddr_in *) sa)->sin_port = htons((uint16_t) port);
        else
            ((struct sockaddr_in6 *) sa)->sin6_port = htons((uint16_t) port);
    }
    return rc;
}

/* The wildcard address: IPv6 (IPv4-mapped too) when the kernel has it, else IPv4. */
static void any_address(int port, struct sockaddr_storage *sa, socklen_t *sa_len)
{
    memset(sa, 0, sizeof *sa);
    int probe = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe >= 0) {
        close(probe);
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) sa;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_any;
        in6->sin6_port = htons((uint16_t) port);
        *sa_len = sizeof *in6;
    } else {
        struct sockaddr_in *in4 = (struct sockaddr_in *) sa;
        in4->sin_family = AF_INET;
        in4->sin_addr.s_addr = htonl(INADDR_ANY);
        in4->sin_port = htons((uint16_t) port);
        *sa_len = sizeof *in4;
    }
}

/* Opens a non-blocking listening socket on sa (SO_REUSEADDR; an IPv6 wildcard also
 * takes IPv4). SO_REUSEPORT could be set here to run several gateways on one port.
 * Returns the fd, or -1 (errno set). */
static int open_listener(const struct sockaddr_storage *sa, socklen_t sa_len)
{
    int fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1, zero = 0;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0
        || (sa->ss_family == AF_INET6
            && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) != 0)
        || bind(fd, (const struct sockaddr *) sa, sa_len) != 0
        || listen(fd, FRONTDOOR_BACKLOG) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* Creates the listening socket and adopts it. Returns 0, or -1 (logged). */
static int start_listening(frontdoor_t *self)
{
    const settings_t *settings = self->srv->settings;
    struct sockaddr_storage sa;
    socklen_t sa_len = 0;
    if (!settings->bind)
        any_address(settings->port, &sa, &sa_len);
    else if (resolve_bind(settings->bind, settings->port, &sa, &sa_len) != 0) {
        log_error("GATEWAY_BIND is neither an address nor an interface with one");
        return -1;
    }
    int fd = open_listener(&sa, sa_len);
    if (fd < 0) {
        log_error("cannot listen on port %d: %s", settings->port, strerror(errno));
        return -1;
    }
    self->listener = adopt_raw_fd(self->srv->vhost, fd, "frontdoor-listen", self);
    if (!self->listener) {
        log_error("cannot adopt the listening socket into the event loop");
        return -1;
    }
    self->listen_fd = fd;
    return 0;
}

frontdoor_t *frontdoor_new(struct http_server *srv)
{
    frontdoor_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->srv = srv;
    self->listen_fd = -1;
    if (start_listening(self) != 0)
        frontdoor_destroy(&self);
    return self;
}

void frontdoor_destroy(frontdoor_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    frontdoor_t *self = *self_p;
    /* The retry timer was cancelled when lws closed the listener (a timer cannot be
     * touched once the context is gone). */
    free(self);
    *self_p = NULL;
}

/* ---- new connections ---- */

/* The socket options lws gives the connections it accepts: TCP keepalive with the
 * context's timings, no Nagle. */
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

/* Starts watching a new connection (owns fd: closes it on failure). Returns 0, or
 * -1 with errno set when a descriptor could not be had. */
static int watch(frontdoor_t *self, int fd)
{
    conn_t *c = calloc(1, sizeof *c);
    int copy = c ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (copy < 0) {
        int saved = c ? errno : ENOMEM;
        free(c);
        close(fd);
        errno = saved;
        return -1;
    }
    c->door = self;
    c->fd = fd;
    c->wsi = adopt_raw_fd(self->srv->vhost, copy, "frontdoor-conn", c);
    if (!c->wsi) {
        close(fd);                    /* the copy was closed by adopt_raw_fd */
        free(c);
        errno = EMFILE;               /* lws's table of fds is full */
        return -1;
    }
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, FRONTDOOR_DEADLINE_S);
    return 0;
}

/* Timer: accept again after running out of descriptors. */
static void on_retry(lws_sorted_usec_list_t *sul)
{
    frontdoor_t *self = lws_container_of(sul, frontdoor_t, retry);
    if (self->listener)
        lws_rx_flow_control(self->listener, 1);
}

/* Out of descriptors: logs once per episode and stops accepting for a moment (the
 * listener would otherwise stay readable and spin the loop). */
static void pause_accepting(frontdoor_t *self)
{
    if (!self->out_of_fds)
        log_warn("out of file descriptors: new connections wait (%s)", strerror(errno));
    self->out_of_fds = true;
    lws_rx_flow_control(self->listener, 0);
    lws_sul_schedule(self->srv->context, 0, &self->retry, on_retry, FRONTDOOR_RETRY_ACCEPT_US);
}

/* The listener is readable: accepts every waiting connection. */
static void accept_all(frontdoor_t *self)
{
    for (;;) {
        int fd = accept4(self->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
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
        if (watch(self, fd) != 0) {
            pause_accepting(self);
            return;
        }
        self->out_of_fds = false;
    }
}

int frontdoor_listen_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                              void *in, size_t len)
{
    (void) user;
    (void) in;
    (void) len;
    frontdoor_t *self = lws_get_opaque_user_data(wsi);
    if (!self)
        return 0;
    if (reason == LWS_CALLBACK_RAW_RX_FILE)
        accept_all(self);
    else if (reason == LWS_CALLBACK_RAW_CLOSE_FILE && self->listener == wsi) {
        lws_sul_cancel(&self->retry);
        self->listener = NULL;        /* lws closed the listening fd */
        self->listen_fd = -1;
    }
    return 0;
}

/* Timer: look at an incomplete request line again. */
static void on_recheck(lws_sorted_usec_list_t *sul)
{
    conn_t *c = lws_container_of(sul, conn_t, recheck);
    lws_rx_flow_control(c->wsi, 1);
}

/* Reads and drops what the peer sent. Returns 0, or -1 once it has closed (or a
 * read failed): then the connection is closed. */
static int drain(conn_t *c)
{
    for (int i = 0; i < 8; i++) {
        ssize_t n = recv(c->fd, c->door->peek, sizeof c->door->peek, 0);
        if (n > 0)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return 0;
        return -1;
    }
    return 0;
}

/* Answers 400 (a NUL in the target), then drains until the peer closes or
 * FRONTDOOR_LINGER_S pass. Returns 0, or -1 to close at once. */
static int refuse(conn_t *c)
{
    http_server_t *srv = c->door->srv;
    char head[512];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 400 Bad Request\r\n"
                     "X-Content-Type-Options: nosniff\r\n"
                     "X-Frame-Options: DENY\r\n"
                     "Referrer-Policy: same-origin\r\n"
                     "Content-Type: " RESPONSE_JSON "\r\n"
                     "Content-Length: %zu\r\n"
                     "%s"
                     "Connection: close\r\n"
                     "\r\n%s",
                     sizeof nul_body - 1, cors_enabled(srv->cors) ? "Vary: Origin\r\n" : "",
                     nul_body);
    drain(c);                         /* consumes the request; a half-close is fine */
    /* Small enough for any socket buffer: a short write only loses a doomed answer. */
    if (send(c->fd, head, (size_t) n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
        return -1;
    log_debug("refused a request line with an encoded NUL");
    shutdown(c->fd, SHUT_WR);
    c->refused = true;
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, FRONTDOOR_LINGER_S);
    return 0;
}

/* Gives the connection to lws as HTTP; the caller then closes the watcher. */
static void hand_over(conn_t *c)
{
    int fd = c->fd;
    c->fd = -1;
    /* lws owns fd from now on, and closes it itself if adoption fails (adopt.h). */
    if (!adopt_http_socket(c->door->srv->vhost, fd))
        log_warn("cannot hand a connection to the HTTP server");
}

/* True when the peer has shut down its side: an incomplete line will stay so. */
static bool peer_done(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLRDHUP, .revents = 0 };
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/* The connection is readable. Returns 0 to keep watching, -1 to close the watcher
 * (and the connection unless it was handed over). */
static int on_readable(conn_t *c)
{
    if (c->fd < 0)
        return -1;
    if (c->refused)
        return drain(c);
    frontdoor_t *door = c->door;
    ssize_t n = recv(c->fd, door->peek, sizeof door->peek, MSG_PEEK);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
    if (n == 0)
        return -1;
    switch (frontdoor_judge(door->peek, (size_t) n, sizeof door->peek)) {
    case FRONTDOOR_WAIT:
        if (peer_done(c->fd))
            return -1;
        lws_rx_flow_control(c->wsi, 0);
        lws_sul_schedule(door->srv->context, 0, &c->recheck, on_recheck, FRONTDOOR_RECHECK_US);
        return 0;
    case FRONTDOOR_REFUSE:
        return refuse(c);
    case FRONTDOOR_PASS:
        break;
    }
    hand_over(c);
    return -1;
}

int frontdoor_conn_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                            void *in, size_t len)
{
    (void) user;
    (void) in;
    (void) len;
    conn_t *c = lws_get_opaque_user_data(wsi);
    if (!c)
        return 0;
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        return on_readable(c);
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        /* lws closes the dup it watched; the connection is ours to close. */
        lws_sul_cancel(&c->recheck);
        if (c->fd >= 0)
            close(c->fd);
        lws_set_opaque_user_data(wsi, NULL);
        free(c);
        return 0;
    default:
        return 0;
    }
}
