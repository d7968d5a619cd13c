/*  calls.c: bus calls in flight. See calls.h. */
#include "calls.h"

#include "busio.h"
#include "bus_body.h"
#include "log.h"
#include "reply.h"

static const char ready_body[] = "{\"status\":\"ok\"}";

/* Deadline of a call made now. */
static int64_t deadline(const gateway_t *gw)
{
    return gateway_now_us() + gw->settings.request_timeout_ms * 1000;
}

/* Starts a packer writing a fresh envelope into gw->envelope. */
static void begin_envelope(gateway_t *gw, msgpack_packer *pk)
{
    msgpack_sbuffer_clear(&gw->envelope);
    msgpack_packer_init(pk, &gw->envelope, msgpack_sbuffer_write);
}

/* Records and sends the envelope in gw->envelope as call `id` of `wsi`. Returns 0,
 * or -1 when it could not be sent (nothing stays recorded then). */
static int send_call(gateway_t *gw, struct lws *wsi, const char *service, uint64_t id)
{
    if (gw->envelope.size > PROTO_MAX_MESSAGE) {
        log_warn("a request envelope of %zu bytes exceeds the bus limit", gw->envelope.size);
        return -1;
    }
    if (pending_add(gw->pending, id, wsi, deadline(gw)) != 0)
        return -1;
    if (bus_client_send(gw->bus, service, gw->envelope.data, gw->envelope.size) != 0) {
        pending_take(gw->pending, id);
        log_warn("the bus refused a request for %s (broker unreachable?)", service);
        return -1;
    }
    return 0;
}

void calls_dispatch(gateway_t *gw, session_t *s, const json_t *data)
{
    const route_t *route = s->match.route;
    uint64_t id = gw->next_id++;
    msgpack_packer pk;
    begin_envelope(gw, &pk);
    proto_request_begin(&pk, id, route->service, route->call, (uint64_t) s->user_id);
    if (bus_body_pack(&pk, &s->match, s->query, data, route->paginated ? &s->page : NULL)
        != 0) {
        response_set_detail(&s->response, 400,
                            "JSON parse error - Maximum nesting depth exceeded.");
        session_respond(s);
        return;
    }
    if (send_call(gw, s->wsi, route->service, id) != 0) {
        response_set_unavailable(&s->response);
        session_respond(s);
        return;
    }
    s->first_call = id;
    s->call_count = 1;
    s->state = SESSION_CALLING;
    busio_drain(gw);
}

void calls_probe(gateway_t *gw, session_t *s)
{
    const settings_t *settings = &gw->settings;
    if (settings->service_count == 0) {
        response_set_static(&s->response, 200, RESPONSE_JSON, ready_body,
                            sizeof ready_body - 1);
        session_respond(s);
        return;
    }
    s->first_call = gw->next_id;
    s->call_count = (unsigned) settings->service_count;
    s->probes_left = s->call_count;
    gw->next_id += settings->service_count;
    s->state = SESSION_CALLING;
    for (size_t i = 0; i < settings->service_count; i++) {
        msgpack_packer pk;
        begin_envelope(gw, &pk);
        proto_request_begin(&pk, s->first_call + i, settings->services[i], "ping", 0);
        msgpack_pack_nil(&pk);
        if (send_call(gw, s->wsi, settings->services[i], s->first_call + i) != 0) {
            session_cancel_calls(gw, s);
            response_set_unavailable(&s->response);
            session_respond(s);
            return;
        }
    }
    busio_drain(gw);
}

/* One /readyz ping came back. */
static void probe_reply(gateway_t *gw, session_t *s, const proto_msg_t *reply)
{
    if (reply->status != PROTO_OK) {
        session_cancel_calls(gw, s);
        response_set_unavailable(&s->response);
        session_respond(s);
        return;
    }
    if (--s->probes_left > 0)
        return;
    s->call_count = 0;
    response_set_static(&s->response, 200, RESPONSE_JSON, ready_body, sizeof ready_body - 1);
    session_respond(s);
}

void calls_on_reply(gateway_t *gw, const proto_msg_t *reply)
{
    struct lws *wsi = pending_take(gw->pending, reply->id);
    if (!wsi)
        return;                       /* late, cancelled or unknown: dropped */
    session_t *s = lws_wsi_user(wsi);
    if (!s || s->state != SESSION_CALLING)
        return;
    if (s->match.route->kind == ROUTE_READYZ) {
        probe_reply(gw, s, reply);
        return;
    }
    s->call_count = 0;
    if (s->match.route->paginated) {
        reply_links_t links = { s->host, s->path, s->query, s->page };
        reply_to_response(reply, &links, &s->response);
    } else {
        reply_to_response(reply, NULL, &s->response);
    }
    if (s->response.status == 500)
        log_error("%s.%s answered status %d: 500", s->match.route->service,
                  s->match.route->call, reply->status);
    session_respond(s);
}

void calls_expire(gateway_t *gw)
{
    int64_t now = gateway_now_us();
    uint64_t id;
    struct lws *wsi;
    while ((wsi = pending_expire(gw->pending, now, &id)) != NULL) {
        session_t *s = lws_wsi_user(wsi);
        if (!s || s->state != SESSION_CALLING)
            continue;
        const route_t *route = s->match.route;
        if (route->kind == ROUTE_READYZ)
            log_warn("a readiness ping timed out after %ld ms",
                     gw->settings.request_timeout_ms);
        else
            log_warn("%s.%s timed out after %ld ms", route->service, route->call,
                     gw->settings.request_timeout_ms);
        session_cancel_calls(gw, s);
        response_set_unavailable(&s->response);
        session_respond(s);
    }
}
