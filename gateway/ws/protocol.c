/*  protocol.c: the lws callback of /ws/main/ sockets. See protocol.h. */
#include "protocol.h"

#include <stdio.h>
#include <string.h>

#include "dispatch.h"
#include "log.h"
#include "endpoint.h"

/* The handshake is done: registers the socket handed over by ws_server_accept().
 * Returns 0, or -1 (lws closes it) for a socket this gateway did not hand over. */
static int on_established(ws_server_t *srv, struct lws *wsi, ws_socket_t *sock)
{
    if (!srv || srv->accepting_fd < 0 || srv->accepted
        || lws_get_socket_fd(wsi) != srv->accepting_fd)
        return -1;
    memset(sock, 0, sizeof *sock);
    sock->wsi = wsi;
    sock->server = srv;
    sock->uid = srv->accepting_uid;
    ws_registry_add(srv->registry, sock->uid, &sock->member);
    sock->established = true;
    sock->opened_us = lws_now_usecs();
    srv->accepted = true;
    return 0;
}

/* Answers an unusable message with an error frame; too many in a row close the
 * socket (a client that only sends garbage costs a parse per frame, no more). */
static void refuse(ws_socket_t *sock, const char *detail)
{
    ws_send_error(sock, detail);
    if (++sock->bad_in_a_row >= WS_BAD_IN_A_ROW)
        ws_socket_close(sock, WS_CLOSE_POLICY, "too many unusable messages");
}

/* A piece of a client message. */
static void on_receive(ws_socket_t *sock, const char *in, size_t len)
{
    if (!sock->established || sock->close_code)
        return;
    ws_server_t *srv = sock->server;
    struct lws *wsi = sock->wsi;
    const char *msg = NULL;
    size_t msg_len = 0;
    char detail[WS_DETAIL_MAX];
    switch (ws_frame_feed(&sock->frame, in, len, lws_is_first_fragment(wsi),
                          lws_is_final_fragment(wsi), lws_frame_is_binary(wsi),
                          srv->limits.max_message, &msg, &msg_len)) {
    case WS_FRAME_MORE:
        return;
    case WS_FRAME_MESSAGE:
        sock->spoken = true;
        if (ws_dispatch_run(srv->dispatch, sock, msg, msg_len, detail) == WS_DISPATCH_HANDLED)
            sock->bad_in_a_row = 0;
        else
            refuse(sock, detail);
        ws_frame_clear(&sock->frame);
        return;
    case WS_FRAME_BINARY:
        refuse(sock, "Binary frames are not supported: send JSON text frames.");
        return;
    case WS_FRAME_TOO_LARGE:
        snprintf(detail, sizeof detail, "Message too large (at most %zu bytes).",
                 srv->limits.max_message);
        refuse(sock, detail);
        return;
    case WS_FRAME_NOMEM:
        break;
    }
    log_warn("out of memory for a WebSocket message: closed (1011)");
    ws_socket_close(sock, WS_CLOSE_INTERNAL, NULL);
}

/* The socket may be written: one frame, then the drained hook. Returns -1 to have
 * lws close it (sending the close frame whose code ws_socket_close stored). */
static int on_writeable(ws_socket_t *sock)
{
    if (!sock->established)
        return 0;
    if (sock->close_code)
        return -1;
    size_t len = 0;
    unsigned char *frame = ws_queue_front(&sock->queue, &len);
    if (frame) {
        /* lws keeps what the kernel did not take and sends it before calling us
         * again, so a frame is written once, whole or not. */
        if (lws_write(sock->wsi, frame, len, LWS_WRITE_TEXT) < 0)
            return -1;
        ws_queue_pop(&sock->queue);
    }
    if (sock->drained && sock->queue.bytes < sock->low_water) {
        ws_drained_fn *fn = sock->drained;
        sock->drained = NULL;
        fn(sock->drained_arg, sock);
    }
    if (sock->close_code)
        return -1;
    if (sock->queue.head)
        lws_callback_on_writable(sock->wsi);
    return 0;
}

/* The socket closed (also at context destruction): unregisters it. */
static void on_closed(ws_socket_t *sock)
{
    if (!sock->established)
        return;
    sock->established = false;
    ws_queue_clear(&sock->queue);
    ws_frame_clear(&sock->frame);
    ws_socket_free_states(sock);
    ws_registry_remove(sock->server->registry, &sock->member);
}

int ws_protocol_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                         void *in, size_t len)
{
    const struct lws_protocols *protocol = lws_get_protocol(wsi);
    ws_server_t *srv = protocol ? protocol->user : NULL;
    ws_socket_t *sock = user;
    switch (reason) {
    case LWS_CALLBACK_ESTABLISHED:
        return sock ? on_established(srv, wsi, sock) : -1;
    case LWS_CALLBACK_RECEIVE:
        if (sock)
            on_receive(sock, in, len);
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return sock ? on_writeable(sock) : 0;
    case LWS_CALLBACK_CLOSED:
        if (sock)
            on_closed(sock);
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}
