/*  chat.c: WebSocket chat.send. See chat.h. */
#include "chat.h"

#include <stdlib.h>
#include <string.h>

#include "drf_messages.h"
#include "log.h"
#include "proto_json.h"
#include "pyint.h"
#include "send_reply.h"

struct chat {
    calls_t *calls;                   /* NULL once stopped */
    ws_server_t *ws;                  /* NULL once stopped */
    long call_timeout_ms;
};

/* A chat.send waiting for its turn, or in flight (the first of its socket's). */
typedef struct {
    int64_t to;                       /* the receiver, as read_to() read it */
    json_t *message;                  /* the client's frame (a reference) */
    json_t *client_id;                /* its client_id (borrowed from message), or NULL */
} send_t;

/*  A socket's sends (its WS_SLOT_CHAT state): a queue, of which only the first is in
 *  flight, so one socket's messages are stored in the order it sent them (two calls
 *  at once could be stored by two workers in either order). */
typedef struct {
    chat_t *chat;
    ws_socket_t *sock;
    uint64_t call;                    /* the first send's call, 0 when none in flight */
    size_t head, count;               /* the queue in `queue` (a ring) */
    send_t queue[CHAT_SENDS_QUEUED];
} sends_t;

static void start_next(sends_t *sends);

/* Drops the first send of the queue. */
static void pop_first(sends_t *sends)
{
    send_t *send = &sends->queue[sends->head];
    json_decref(send->message);
    memset(send, 0, sizeof *send);
    sends->head = (sends->head + 1) % CHAT_SENDS_QUEUED;
    sends->count--;
}

/* Frees a socket's sends when it closes: the call in flight is withdrawn. */
static void sends_free(void *arg)
{
    sends_t *sends = arg;
    calls_cancel(sends->chat->calls, sends->call);
    while (sends->count)
        pop_first(sends);
    free(sends);
}

/* The socket's sends, made on first use; NULL when out of memory. */
static sends_t *sends_of(chat_t *self, ws_socket_t *sock)
{
    sends_t *sends = ws_socket_state(sock, WS_SLOT_CHAT);
    if (sends)
        return sends;
    sends = calloc(1, sizeof *sends);
    if (!sends)
        return NULL;
    sends->chat = self;
    sends->sock = sock;
    ws_socket_set_state(sock, WS_SLOT_CHAT, sends, sends_free);
    return sends;
}

/* calls_done_fn: the chat service answered the first send (or its deadline passed). */
static void on_reply(void *arg, uint64_t id, const proto_msg_t *reply)
{
    sends_t *sends = arg;
    (void) id;
    sends->call = 0;
    json_t *frame = NULL;
    int rc = send_reply_frame(reply, sends->queue[sends->head].client_id, &frame);
    pop_first(sends);
    if (rc != 0)
        ws_socket_close(sends->sock, WS_CLOSE_INTERNAL, NULL);
    else if (frame)
        ws_send_frame(sends->sock, frame);
    start_next(sends);
}

/*  "to" as the route's {id}: a JSON integer, or a string Python's int() reads.
 *  Returns 0 with *id (0 for a number outside 1..2^63-1, which no user has: the
 *  service then answers 404 as REST does), or -1. */
static int read_to(const json_t *to, int64_t *id)
{
    int64_t value;
    int range = 0;
    if (json_is_integer(to))
        value = json_integer_value(to);
    else if (!json_is_string(to)
             || pyint_parse(json_string_value(to), json_string_length(to), &value, &range) != 0)
        return -1;
    *id = range != 0 || value < 1 ? 0 : value;
    return 0;
}

/*  Packs the call's body, as the HTTP route's: {"path": {"id"}, "data": {"text",
 *  "client_id"}, "as_event": true} (the fields the client gave, as given). Returns 0,
 *  or -1 when a field nests deeper than the bus accepts. */
static int pack_send(msgpack_packer *pk, int64_t to, const json_t *message)
{
    static const char *const fields[] = { "text", "client_id" };
    msgpack_pack_map(pk, 3);
    proto_pack_str(pk, "path");
    msgpack_pack_map(pk, 1);
    proto_pack_kv_int(pk, "id", to);
    proto_pack_str(pk, "data");
    uint32_t given = 0;
    for (size_t i = 0; i < 2; i++)
        given += json_object_get(message, fields[i]) != NULL;
    msgpack_pack_map(pk, given);
    for (size_t i = 0; i < 2; i++) {
        const json_t *value = json_object_get(message, fields[i]);
        if (!value)
            continue;
        proto_pack_str(pk, fields[i]);
        if (proto_json_pack_nested(pk, value, 3) != 0)
            return -1;
    }
    proto_pack_kv_bool(pk, "as_event", true);
    return 0;
}

/* Calls the chat service for the first queued send, unless one is in flight; a send
 * that cannot be made gets its error frame and the next is tried. */
static void start_next(sends_t *sends)
{
    chat_t *self = sends->chat;
    while (!sends->call && sends->count && self->calls && !sends->sock->close_code) {
        send_t *send = &sends->queue[sends->head];
        uint64_t call = 0;
        msgpack_packer *pk = calls_begin(self->calls, "chat", "send",
                                         (uint64_t) ws_socket_uid(sends->sock), &call);
        json_t *refusal = NULL;
        if (pack_send(pk, send->to, send->message) != 0)
            refusal = send_reply_error(400, DRF_JSON_TOO_DEEP, send->client_id);
        else if (calls_send(self->calls, self->call_timeout_ms, on_reply, sends) != 0)
            refusal = send_reply_error(503, proto_status_detail(PROTO_UNAVAILABLE),
                                       send->client_id);
        else
            sends->call = call;
        if (!sends->call) {
            pop_first(sends);
            ws_send_frame(sends->sock, refusal);
        }
    }
}

/* ws_handler_fn: {"type": "chat.send", "to", "text", "client_id"?}. */
static void on_send(void *arg, ws_socket_t *sock, const json_t *message)
{
    chat_t *self = arg;
    const json_t *client_id = json_object_get(message, "client_id");
    int64_t to = 0;
    if (read_to(json_object_get(message, "to"), &to) != 0) {
        ws_send_frame(sock, send_reply_error(400, "\"to\" must be a user id (a positive integer).",
                                          client_id));
        return;
    }
    sends_t *sends = sends_of(self, sock);
    if (!sends) {
        ws_socket_close(sock, WS_CLOSE_INTERNAL, NULL);
        return;
    }
    if (sends->count == CHAT_SENDS_QUEUED) {
        ws_send_frame(sock, send_reply_error(429, "Too many chat.send waiting on this socket: "
                                               "wait for their answers.", client_id));
        return;
    }
    send_t *send = &sends->queue[(sends->head + sends->count++) % CHAT_SENDS_QUEUED];
    send->to = to;
    send->message = json_incref((json_t *) message);
    send->client_id = (json_t *) client_id;
    start_next(sends);
}

chat_t *chat_new(calls_t *calls, ws_server_t *ws, long call_timeout_ms)
{
    chat_t *self = calloc(1, sizeof *self);
    if (!self) {
        log_error("cannot start the gateway's chat part: out of memory");
        return NULL;
    }
    self->calls = calls;
    self->ws = ws;
    self->call_timeout_ms = call_timeout_ms;
    if (ws_dispatch_set(ws->dispatch, "chat.send", on_send, self) != 0) {
        log_error("cannot plug chat.send into the WebSocket endpoint");
        free(self);
        return NULL;
    }
    return self;
}

void chat_stop(chat_t *self)
{
    if (!self)
        return;
    if (self->ws) {
        ws_dispatch_set(self->ws->dispatch, "chat.send", NULL, NULL);
        self->ws = NULL;
    }
    self->calls = NULL;               /* calls_cancel(NULL, ...) does nothing */
}

void chat_destroy(chat_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    chat_stop(*self_p);
    free(*self_p);
    *self_p = NULL;
}
