/*  endpoint.c: the WebSocket endpoint's shared state. See endpoint.h. */
#include "endpoint.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "handshake.h"
#include "log.h"
#include "presence.h"

/* The registry's first_open hook: the user was announced here. */
static void on_first_open(void *arg, int64_t uid)
{
    ws_server_t *self = arg;
    if (self->on_first_open)
        self->on_first_open(self->on_user_arg, uid);
}

/* Most users whose close is remembered for a retry (beyond: the lease of a gateway
 * that loses that many closes is its operator's alarm, and the log says so). */
#define UNCLOSED_MAX 100000

/* Remembers uid for ws_server_retry_closes. */
static void remember_unclosed(ws_server_t *self, int64_t uid)
{
    for (size_t i = 0; i < self->unclosed_count; i++)
        if (self->unclosed[i] == uid)
            return;
    if (self->unclosed_count == self->unclosed_cap) {
        size_t cap = self->unclosed_cap ? self->unclosed_cap * 2 : 64;
        int64_t *grown = cap <= UNCLOSED_MAX ? realloc(self->unclosed, cap * sizeof *grown) : NULL;
        if (!grown) {
            log_error("presence.close of user %lld lost: it stays online until this gateway stops",
                      (long long) uid);
            return;
        }
        self->unclosed = grown;
        self->unclosed_cap = cap;
    }
    self->unclosed[self->unclosed_count++] = uid;
}

/* A presence.close in flight: its user, in the server's list (freed with the server
 * when the bus calls end without completing it, at shutdown). */
struct ws_closing {
    ws_server_t *server;
    int64_t uid;
    struct ws_closing *prev, *next;
};

static void closing_unlink(struct ws_closing *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        c->server->closing = c->next;
    if (c->next)
        c->next->prev = c->prev;
}

/* Completion of presence.close: a failure is tried again later. */
static void on_closed(void *arg, uint64_t id, const proto_msg_t *reply)
{
    struct ws_closing *c = arg;
    ws_server_t *self = c->server;
    int64_t uid = c->uid;
    (void) id;
    closing_unlink(c);
    free(c);
    if (reply && (reply->status == PROTO_OK || reply->status == PROTO_UNAUTHORIZED))
        return;                              /* closed, or the user is gone */
    if (reply && reply->status != PROTO_UNAVAILABLE)
        log_warn("notification.presence.close answered status %d", reply->status);
    remember_unclosed(self, uid);
}

/* Sends presence.close for uid, remembering it for a retry when it cannot go. */
static void close_presence(ws_server_t *self, int64_t uid)
{
    struct ws_closing *c = calloc(1, sizeof *c);
    if (!c) {
        remember_unclosed(self, uid);
        return;
    }
    c->server = self;
    c->uid = uid;
    if (ws_presence_close(self->calls, self->limits.gateway_id, uid,
                          self->limits.call_timeout_ms, on_closed, c) != 0) {
        free(c);
        remember_unclosed(self, uid);
        return;
    }
    c->next = self->closing;
    if (c->next)
        c->next->prev = c;
    self->closing = c;
}

void ws_server_retry_closes(ws_server_t *self)
{
    if (!self->calls || self->draining || self->unclosed_count == 0)
        return;
    size_t count = self->unclosed_count;
    int64_t *uids = self->unclosed;
    self->unclosed = NULL;
    self->unclosed_count = self->unclosed_cap = 0;
    for (size_t i = 0; i < count; i++)
        if (!ws_registry_has(self->registry, uids[i]))
            close_presence(self, uids[i]);   /* back here meanwhile: nothing to close */
    free(uids);
}

/* The registry's last_close hook: the user has no socket here any more. */
static void on_last_close(void *arg, int64_t uid)
{
    ws_server_t *self = arg;
    /* Draining: the lease keeps the user's row (contract), so a reconnect to
     * another gateway in time never shows the user offline. */
    if (!self->draining)
        close_presence(self, uid);
    if (self->on_last_close)
        self->on_last_close(self->on_user_arg, uid);
}

ws_server_t *ws_server_new(const ws_limits_t *limits)
{
    ws_server_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->limits = *limits;
    self->accepting_fd = -1;
    self->registry = ws_registry_new();
    self->dispatch = ws_dispatch_new();
    if (!self->registry || !self->dispatch) {
        ws_server_destroy(&self);
        return NULL;
    }
    ws_registry_set_hooks(self->registry, on_first_open, on_last_close, self);
    return self;
}

void ws_server_destroy(ws_server_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ws_server_t *self = *self_p;
    while (self->closing) {
        struct ws_closing *next = self->closing->next;
        free(self->closing);
        self->closing = next;
    }
    free(self->unclosed);
    ws_registry_destroy(&self->registry);
    ws_dispatch_destroy(&self->dispatch);
    free(self);
    *self_p = NULL;
}

ws_reserve_t ws_server_reserve(ws_server_t *self, int64_t uid, bool *announce)
{
    return ws_registry_reserve(self->registry, uid, self->limits.max_sockets_per_user,
                               announce);
}

void ws_server_announced(ws_server_t *self, int64_t uid)
{
    ws_registry_announced(self->registry, uid);
}

void ws_server_release(ws_server_t *self, int64_t uid)
{
    ws_registry_release(self->registry, uid);
}

int ws_server_accept(ws_server_t *self, int fd, int64_t uid, const char *key,
                     const char *extra, size_t extra_len)
{
    char *buf = malloc(WS_HEAD_MAX + extra_len);
    size_t len = buf ? ws_handshake_head(key, buf, WS_HEAD_MAX) : 0;
    if (len == 0 || !self->vhost || self->accepting_fd >= 0) {
        free(buf);
        close(fd);
        ws_server_release(self, uid);
        return -1;
    }
    if (extra_len)
        memcpy(buf + len, extra, extra_len);
    len += extra_len;
    self->accepting_fd = fd;
    self->accepting_uid = uid;
    self->accepted = false;
    /* lws copies the bytes, parses our head and answers 101 inside this call (a
     * header table is always free: each is held only for the length of such a call);
     * ESTABLISHED registers the socket. The socket is lws's from here on: it closes
     * it on failure. */
    struct lws *wsi = lws_adopt_socket_vhost_readbuf(self->vhost, fd, buf, len);
    free(buf);
    bool accepted = self->accepted;
    self->accepting_fd = -1;
    self->accepted = false;
    if (accepted)
        return 0;
    ws_server_release(self, uid);
    if (wsi)   /* not established within the call (never seen): drop it */
        lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    log_warn("a WebSocket handshake handed to lws did not complete");
    return -1;
}

/* ws_server_each's walk: members back to their sockets. */
typedef struct {
    void (*fn)(void *arg, ws_socket_t *sock); /* the caller's function */
    void *arg;                 /* its argument */
} each_t;

static void each_member(void *arg, ws_member_t *member)
{
    each_t *each = arg;
    ws_socket_t *sock = (ws_socket_t *) ((char *) member - offsetof(ws_socket_t, member));
    each->fn(each->arg, sock);
}

void ws_server_each(ws_server_t *self, int64_t uid,
                    void (*fn)(void *arg, ws_socket_t *sock), void *arg)
{
    each_t each = { fn, arg };
    ws_registry_each(self->registry, uid, each_member, &each);
}

void ws_server_each_socket(ws_server_t *self, void (*fn)(void *arg, ws_socket_t *sock),
                           void *arg)
{
    each_t each = { fn, arg };
    ws_registry_each_all(self->registry, each_member, &each);
}

size_t ws_server_count(const ws_server_t *self, int64_t uid)
{
    return ws_registry_count(self->registry, uid);
}

/* Closes one socket with the code in *arg. */
static void close_one(void *arg, ws_socket_t *sock)
{
    const uint16_t *code = arg;
    ws_socket_close(sock, *code, *code == WS_CLOSE_GOING_AWAY ? "going away" : NULL);
}

void ws_server_close_user(ws_server_t *self, int64_t uid, uint16_t code)
{
    ws_server_each(self, uid, close_one, &code);
}

size_t ws_server_sockets(const ws_server_t *self)
{
    return ws_registry_sockets(self->registry);
}

void ws_server_on_user(ws_server_t *self, ws_user_fn *first_open, ws_user_fn *last_close,
                       void *arg)
{
    self->on_first_open = first_open;
    self->on_last_close = last_close;
    self->on_user_arg = arg;
}

void ws_server_on_drain(ws_server_t *self, ws_drain_fn *fn, void *arg)
{
    self->on_drain = fn;
    self->on_drain_arg = arg;
}

void ws_server_drain(ws_server_t *self)
{
    if (self->draining)
        return;
    self->draining = true;
    if (self->on_drain)
        self->on_drain(self->on_drain_arg);
    uint16_t code = WS_CLOSE_GOING_AWAY;
    ws_server_each_socket(self, close_one, &code);
}
