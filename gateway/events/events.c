/*  events.c: events to WebSockets, replay and the lease. See events.h. */
#include "events.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "event_frame.h"
#include "lease.h"
#include "log.h"
#include "presence.h"
#include "proto.h"
#include "subscriber.h"

struct events {
    struct lws_context *context;
    calls_t *calls;
    ws_server_t *ws;
    events_config_t config;
    subscriber_t *subscriber;
    lease_t *lease;
};

/* A socket's place in its notifications (the socket's state). */
typedef struct {
    events_t *events;
    ws_socket_t *sock;
    cursor_t cursor;
    uint64_t call;                    /* the replay page in flight, 0 when none */
    uint32_t generation;              /* the cursor generation that page is for */
    bool retry_armed;                 /* retry_timer is scheduled */
    lws_sorted_usec_list_t retry_timer;
    bool hold_armed;                  /* hold_timer is scheduled (the cursor is OPENING) */
    lws_sorted_usec_list_t hold_timer;
} sock_state_t;

static void ask_page(sock_state_t *st);

/* Withdraws the opening hold's timer, if it is set. */
static void hold_cancel(sock_state_t *st)
{
    if (!st->hold_armed)
        return;
    lws_sul_cancel(&st->hold_timer);
    st->hold_armed = false;
}

/* Frees a socket's state when it closes: the page in flight and the timers go too. */
static void state_free(void *arg)
{
    sock_state_t *st = arg;
    calls_cancel(st->events->calls, st->call);
    if (st->retry_armed)
        lws_sul_cancel(&st->retry_timer);
    hold_cancel(st);
    cursor_clear(&st->cursor);
    free(st);
}

/* cursor_emit_fn: a frame to the socket. */
static int emit(void *arg, const char *text, size_t len)
{
    sock_state_t *st = arg;
    return ws_send_text(st->sock, text, len);
}

/* The opening hold is over: what the cursor kept goes out, unless a resume came. */
static void on_hold_end(lws_sorted_usec_list_t *sul)
{
    sock_state_t *st = lws_container_of(sul, sock_state_t, hold_timer);
    st->hold_armed = false;
    cursor_open_end(&st->cursor, emit, st);
}

/* The socket's state, made on first use; NULL when out of memory. */
static sock_state_t *state_of(events_t *self, ws_socket_t *sock)
{
    sock_state_t *st = ws_socket_state(sock, WS_SLOT_EVENTS);
    if (st)
        return st;
    st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->events = self;
    st->sock = sock;
    /* A socket younger than the hold whose client has said nothing yet keeps its live
     * notifications until the hold ends. */
    lws_usec_t hold_left = ws_socket_opened_us(sock) + (lws_usec_t) EVENTS_OPEN_HOLD_MS * 1000
                           - lws_now_usecs();
    bool holding = hold_left > 0 && !ws_socket_has_spoken(sock);
    cursor_init(&st->cursor, holding);
    if (holding) {
        st->hold_armed = true;
        lws_sul_schedule(self->context, 0, &st->hold_timer, on_hold_end, hold_left);
    }
    ws_socket_set_state(sock, WS_SLOT_EVENTS, st, state_free);
    return st;
}

/* ---- live events ---- */

typedef struct {
    events_t *events;
    uint64_t id;
    const char *text;
    size_t len;
} delivery_t;

static void deliver_notification(void *arg, ws_socket_t *sock)
{
    delivery_t *d = arg;
    sock_state_t *st = state_of(d->events, sock);
    if (!st) {
        ws_socket_close(sock, WS_CLOSE_INTERNAL, NULL);
        return;
    }
    cursor_on_live(&st->cursor, d->id, d->text, d->len, emit, st);
}

static void deliver_frame(void *arg, ws_socket_t *sock)
{
    delivery_t *d = arg;
    ws_send_text(sock, d->text, d->len);
}

/* subscriber_deliver_fn: one event from the SUB socket. */
static void on_event(void *arg, const event_t *ev)
{
    events_t *self = arg;
    if (ev->kind == EVENT_USER_GONE) {
        for (size_t i = 0; i < ev->recipients; i++)
            ws_server_close_user(self->ws, (int64_t) event_recipient(ev, i), WS_CLOSE_USER_GONE);
        return;
    }
    /* Most events are for users held elsewhere: look before building a frame. */
    bool any = false;
    for (size_t i = 0; i < ev->recipients && !any; i++)
        any = ws_server_count(self->ws, (int64_t) event_recipient(ev, i)) > 0;
    if (!any)
        return;
    delivery_t d = { self, ev->id, NULL, 0 };
    char *text = event_frame_text(ev->kind, &ev->body, &d.len);
    if (!text) {
        log_warn("dropped a %s event whose body has the wrong shape", event_kind_name(ev->kind));
        return;
    }
    d.text = text;
    for (size_t i = 0; i < ev->recipients; i++)
        ws_server_each(self->ws, (int64_t) event_recipient(ev, i),
                       ev->kind == EVENT_NOTIFICATION ? deliver_notification : deliver_frame, &d);
    free(text);
}

/* ---- replay ---- */

static void on_retry(lws_sorted_usec_list_t *sul)
{
    sock_state_t *st = lws_container_of(sul, sock_state_t, retry_timer);
    st->retry_armed = false;
    ask_page(st);
}

static void retry_later(sock_state_t *st)
{
    st->retry_armed = true;
    lws_sul_schedule(st->events->context, 0, &st->retry_timer, on_retry,
                     (lws_usec_t) EVENTS_REPLAY_RETRY_MS * 1000);
}

/* The rows of one replay page go out through the cursor. Returns 0, or -1 when the
 * socket refused a frame (it is closing). */
static int send_rows(sock_state_t *st, const msgpack_object *results)
{
    for (uint32_t i = 0; i < results->via.array.size; i++) {
        const msgpack_object *row = &results->via.array.ptr[i];
        int64_t id = 0;
        if (proto_get_int(row, "id", &id) != PROTO_FIELD_OK || id <= 0)
            continue;
        if (!cursor_page_row(&st->cursor, st->generation, (uint64_t) id))
            continue;
        size_t len = 0;
        char *text = event_frame_text(EVENT_NOTIFICATION, row, &len);
        if (!text)
            continue;
        int rc = ws_send_text(st->sock, text, len);
        free(text);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* calls_done_fn: a replay page came back (or its deadline passed). */
static void on_page(void *arg, uint64_t id, const proto_msg_t *reply)
{
    sock_state_t *st = arg;
    (void) id;
    st->call = 0;
    const msgpack_object *results = reply ? proto_map_get(&reply->body, "results") : NULL;
    bool more = false;
    bool ok = reply && reply->status == PROTO_OK && results
              && results->type == MSGPACK_OBJECT_ARRAY
              && proto_get_bool(&reply->body, "more", &more) == PROTO_FIELD_OK;
    if (!ok) {
        cursor_page_end(&st->cursor, st->generation, false, true, emit, st);
        retry_later(st);
        return;
    }
    if (send_rows(st, results) != 0)
        return;                       /* closing: its state goes with it */
    if (cursor_page_end(&st->cursor, st->generation, more, false, emit, st) != 0)
        return;
    ask_page(st);
}

/* ws_drained_fn: the queue is low enough for the next page. */
static void on_drained(void *arg, ws_socket_t *sock)
{
    (void) sock;
    ask_page(arg);
}

/* Asks for the next replay page when the cursor wants one: now when the socket's
 * queue is low, else once it drains. */
static void ask_page(sock_state_t *st)
{
    if (!st->events->calls || st->call || st->retry_armed || !cursor_wants_page(&st->cursor))
        return;
    if (ws_socket_queued(st->sock) >= EVENTS_REPLAY_LOW_WATER) {
        ws_socket_on_drained(st->sock, EVENTS_REPLAY_LOW_WATER, on_drained, st);
        return;
    }
    events_t *self = st->events;
    uint64_t after = 0, call = 0;
    uint32_t generation = cursor_page_begin(&st->cursor, &after);
    msgpack_packer *pk = calls_begin(self->calls, "notification", "replay",
                                     (uint64_t) ws_socket_uid(st->sock), &call);
    msgpack_pack_map(pk, 2);
    proto_pack_kv_int(pk, "after", (int64_t) after);
    proto_pack_kv_int(pk, "limit", EVENTS_REPLAY_PAGE);
    if (calls_send(self->calls, self->config.call_timeout_ms, on_page, st) != 0) {
        cursor_page_end(&st->cursor, generation, false, true, emit, st);
        retry_later(st);
        return;
    }
    st->call = call;
    st->generation = generation;
}

/* ws_handler_fn: {"type": "notifications.resume", "after": <id >= 0>}. */
static void on_resume(void *arg, ws_socket_t *sock, const json_t *message)
{
    events_t *self = arg;
    const json_t *after = json_object_get(message, "after");
    if (!json_is_integer(after) || json_integer_value(after) < 0) {
        ws_send_error(sock, "\"after\" must be a notification id (an integer, 0 or more).");
        return;
    }
    sock_state_t *st = state_of(self, sock);
    if (!st) {
        ws_socket_close(sock, WS_CLOSE_INTERNAL, NULL);
        return;
    }
    calls_cancel(self->calls, st->call);   /* a page of an earlier resume */
    st->call = 0;
    if (st->retry_armed) {
        lws_sul_cancel(&st->retry_timer);
        st->retry_armed = false;
    }
    hold_cancel(st);                       /* what the hold kept is in the replay */
    ws_socket_on_drained(sock, 0, NULL, NULL);
    cursor_resume(&st->cursor, (uint64_t) json_integer_value(after));
    ask_page(st);
}

/* ws_message_fn: the client's first message other than a resume ends the opening hold
 * before it is handled, so what arrived before it is sent before its answer (a ping's
 * pong comes after every notification that had reached the gateway). */
static void on_message(void *arg, ws_socket_t *sock, const char *type)
{
    (void) arg;
    sock_state_t *st = ws_socket_state(sock, WS_SLOT_EVENTS);
    if (!st || !st->hold_armed || strcmp(type, "notifications.resume") == 0)
        return;
    hold_cancel(st);
    cursor_open_end(&st->cursor, emit, st);
}

/* ---- presence ---- */

/* calls_done_fn of a re-announcement: nothing to do; a failure is retried by the
 * next lease gap. */
static void announced_again(void *arg, uint64_t id, const proto_msg_t *reply)
{
    (void) arg;
    (void) id;
    (void) reply;
}

/* presence.open again for one socket's user (repeats are harmless: the service keeps
 * one row per gateway and user). */
static void announce(void *arg, ws_socket_t *sock)
{
    events_t *self = arg;
    uint64_t id = 0;
    ws_presence_open(self->calls, self->config.gateway_id, self->config.lease_ms,
                     ws_socket_uid(sock),
                     self->config.call_timeout_ms, announced_again, self, &id);
}

/* lease_lost_fn: this gateway's rows may have been swept: announce every user again. */
static void on_lease_lost(void *arg)
{
    events_t *self = arg;
    ws_server_each_socket(self->ws, announce, self);
}

/* lease_renewed_fn: the notification service answers: send again the closes it missed. */
static void on_lease_renewed(void *arg)
{
    events_t *self = arg;
    if (self->ws)
        ws_server_retry_closes(self->ws);
}

/* ws_drain_fn: SIGTERM: keep the rows for the lease, say so. */
static void on_drain(void *arg)
{
    lease_drain(((events_t *) arg)->lease);
}

events_t *events_new(struct lws_context *context, struct lws_vhost *vhost, calls_t *calls,
                     ws_server_t *ws, const events_config_t *config)
{
    events_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->context = context;
    self->calls = calls;
    self->ws = ws;
    self->config = *config;
    self->subscriber = subscriber_new(context, vhost, config->sub_endpoint, config->keys,
                                      on_event, self);
    if (!self->subscriber)
        goto fail;
    self->lease = lease_new(context, calls, config->gateway_id, config->lease_ms,
                            on_lease_lost, on_lease_renewed, self);
    if (!self->lease)
        goto fail;
    if (ws_dispatch_set(ws->dispatch, "notifications.resume", on_resume, self) != 0)
        goto fail;
    ws_dispatch_on_message(ws->dispatch, on_message, self);
    ws_server_on_drain(ws, on_drain, self);
    return self;
fail:
    log_error("cannot start the gateway's event path");
    events_destroy(&self);      /* no socket is open yet */
    return NULL;
}

void events_stop(events_t *self)
{
    if (!self)
        return;
    if (self->ws) {
        ws_dispatch_set(self->ws->dispatch, "notifications.resume", NULL, NULL);
        ws_dispatch_on_message(self->ws->dispatch, NULL, NULL);
        ws_server_on_drain(self->ws, NULL, NULL);
        self->ws = NULL;
    }
    lease_destroy(&self->lease);
    subscriber_destroy(&self->subscriber);
    self->calls = NULL;               /* calls_cancel(NULL, ...) does nothing */
}

void events_destroy(events_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    events_stop(*self_p);
    free(*self_p);
    *self_p = NULL;
}
