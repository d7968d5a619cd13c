/*  forward.c: an HTTP request as a bus call. See forward.h. */
#include "forward.h"

#include "bus_body.h"
#include "calls.h"
#include "drf_messages.h"
#include "log.h"
#include "reply.h"

/* Completion of the call: answers the session with the reply, or 503 when the
 * deadline passed. */
static void on_reply(void *arg, uint64_t id, const proto_msg_t *reply)
{
    (void) id;
    session_t *s = arg;
    http_server_t *srv = s->srv;
    const route_t *route = s->match.route;
    s->call = 0;
    if (!reply) {
        log_warn("%s.%s timed out after %ld ms", route->service, route->call,
                 srv->settings->request_timeout_ms);
        response_set_unavailable(&s->response);
        session_respond(s);
        return;
    }
    if (route->paginated) {
        reply_links_t links = { s->host, s->path, s->query, s->page };
        reply_to_response(reply, &links, &s->response);
    } else {
        reply_to_response(reply, NULL, &s->response);
    }
    if (s->response.status == 500)
        log_error("%s.%s answered status %d: 500", route->service, route->call,
                  reply->status);
    session_respond(s);
}

void forward_request(http_server_t *srv, session_t *s, const json_t *data)
{
    const route_t *route = s->match.route;
    uint64_t id;
    msgpack_packer *pk = calls_begin_from(srv->calls, route->service, route->call,
                                          (uint64_t) s->user_id, s->client, &id);
    if (bus_body_pack(pk, &s->match, s->query, data, route->paginated ? &s->page : NULL)
        != 0) {
        response_set_detail(&s->response, 400, DRF_JSON_TOO_DEEP);
        session_respond(s);
        return;
    }
    if (calls_send(srv->calls, srv->settings->request_timeout_ms, on_reply, s) != 0) {
        response_set_unavailable(&s->response);
        session_respond(s);
        return;
    }
    s->call = id;
    s->state = SESSION_CALLING;
}
