/*  socket.c: one client WebSocket's sending and closing. See socket.h. */
#include "socket.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "endpoint.h"

int ws_send_text(ws_socket_t *sock, const char *bytes, size_t len)
{
    if (!sock->established || sock->close_code)
        return -1;
    switch (ws_queue_push(&sock->queue, bytes, len, sock->server->limits.send_queue_max)) {
    case WS_QUEUE_OK:
        lws_callback_on_writable(sock->wsi);
        return 0;
    case WS_QUEUE_FULL:
        log_info("user %lld: a WebSocket fell %zu bytes behind: closed (1008)",
                 (long long) sock->uid, sock->queue.bytes);
        ws_socket_close(sock, WS_CLOSE_POLICY, "too slow");
        return -1;
    case WS_QUEUE_NOMEM:
        break;
    }
    log_warn("out of memory for a WebSocket frame: closed (1011)");
    ws_socket_close(sock, WS_CLOSE_INTERNAL, NULL);
    return -1;
}

int ws_send_json(ws_socket_t *sock, const json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT);
    if (!text) {
        ws_socket_close(sock, WS_CLOSE_INTERNAL, NULL);
        return -1;
    }
    int rc = ws_send_text(sock, text, strlen(text));
    free(text);
    return rc;
}

int ws_send_frame(ws_socket_t *sock, json_t *frame)
{
    if (!frame) {
        ws_socket_close(sock, WS_CLOSE_INTERNAL, NULL);
        return -1;
    }
    int rc = ws_send_json(sock, frame);
    json_decref(frame);
    return rc;
}

int ws_send_error(ws_socket_t *sock, const char *detail)
{
    return ws_send_frame(sock, json_pack("{s:s, s:s}", "type", "error", "detail", detail));
}

size_t ws_socket_queued(const ws_socket_t *sock)
{
    return sock->queue.bytes;
}

void ws_socket_on_drained(ws_socket_t *sock, size_t low_water, ws_drained_fn *fn, void *arg)
{
    sock->low_water = low_water;
    sock->drained = fn;
    sock->drained_arg = arg;
    /* The writeable callback checks the mark, even with nothing queued. */
    if (fn && sock->established && !sock->close_code)
        lws_callback_on_writable(sock->wsi);
}

int64_t ws_socket_uid(const ws_socket_t *sock)
{
    return sock->uid;
}

int64_t ws_socket_opened_us(const ws_socket_t *sock)
{
    return sock->opened_us;
}

bool ws_socket_has_spoken(const ws_socket_t *sock)
{
    return sock->spoken;
}

void ws_socket_set_state(ws_socket_t *sock, ws_slot_t slot, void *state,
                         void (*state_free)(void *))
{
    sock->slots[slot] = (ws_socket_slot_t) { state, state_free };
}

void *ws_socket_state(const ws_socket_t *sock, ws_slot_t slot)
{
    return sock->slots[slot].state;
}

void ws_socket_free_states(ws_socket_t *sock)
{
    for (size_t i = 0; i < WS_SLOTS; i++) {
        ws_socket_slot_t slot = sock->slots[i];
        sock->slots[i] = (ws_socket_slot_t) { NULL, NULL };
        if (slot.free)
            slot.free(slot.state);
    }
}

void ws_socket_close(ws_socket_t *sock, uint16_t code, const char *reason)
{
    if (!sock->established || sock->close_code)
        return;
    sock->close_code = code;
    ws_queue_clear(&sock->queue);
    ws_frame_clear(&sock->frame);
    sock->drained = NULL;
    /* lws_close_reason() only stores the code in the wsi; the writeable callback
     * then returns -1 and lws sends the close frame. A socket that never becomes
     * writeable (its peer reads nothing) is dropped by the timeout. */
    lws_close_reason(sock->wsi, (enum lws_close_status) code, (unsigned char *) reason,
                     reason ? strlen(reason) : 0);
    lws_set_timeout(sock->wsi, PENDING_TIMEOUT_USER_OK, WS_CLOSE_GRACE_S);
    lws_callback_on_writable(sock->wsi);
}
