/*  upgrade.c: the HTTP side of a WebSocket handshake. See upgrade.h. */
#include "upgrade.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cors.h"
#include "drf_messages.h"
#include "endpoint.h"
#include "handshake.h"
#include "log.h"
#include "presence.h"
#include "reply.h"
#include "request.h"
#include "response.h"

/* Answers status {"detail": detail}; the connection closes after it. */
static void refuse(session_t *s, int status, const char *detail)
{
    response_set_detail(&s->response, status, detail);
    s->response.close = true;
    session_respond(s);
}

/* Completion of presence.open: hands the socket over, or refuses as the service
 * did (401 when the user no longer exists), 503 without an answer in time. */
static void on_opened(void *arg, uint64_t id, const proto_msg_t *reply)
{
    (void) id;
    session_t *s = arg;
    http_server_t *srv = s->srv;
    s->call = 0;
    s->ws_opening = false;
    if (!reply) {
        log_warn("notification.presence.open timed out after %ld ms",
                 srv->settings->request_timeout_ms);
        response_set_unavailable(&s->response);
    } else if (reply->status == PROTO_OK && srv->ws->draining) {
        response_set_unavailable(&s->response);
        /* Announced, so releasing the place sends the presence.close it needs. */
        ws_server_announced(srv->ws, s->user_id);
    } else if (reply->status == PROTO_OK) {
        ws_server_announced(srv->ws, s->user_id);
        session_upgrade(s);
        return;
    } else {
        reply_to_response(reply, NULL, &s->response);
        s->response.www_authenticate = s->response.status == 401;
    }
    s->response.close = true;
    session_respond(s);
}

void upgrade_start(http_server_t *srv, session_t *s, const head_t *head)
{
    response_t *r = &s->response;
    switch (ws_handshake_check(head, s->ws_key)) {
    case WS_HANDSHAKE_OK:
        break;
    case WS_HANDSHAKE_VERSION:
        r->ws_version = true;
        refuse(s, 426, "Unsupported WebSocket version: use 13.");
        return;
    case WS_HANDSHAKE_BAD:
        refuse(s, 400, "Bad request.");
        return;
    }
    s->query = query_new();
    query_status_t qs = s->query ? request_query(head, s->query) : QUERY_NOMEM;
    if (qs == QUERY_NUL) {
        refuse(s, 400, DRF_NULL_CHARACTERS);
        return;
    }
    if (qs != QUERY_OK) {
        response_set_internal(r);
        r->close = true;
        session_respond(s);
        return;
    }
    const char *token = query_get(s->query, "token");
    if (!token || !*token) {
        r->www_authenticate = true;
        refuse(s, 401, DRF_NOT_AUTHENTICATED);
        return;
    }
    int64_t uid = 0;
    if (access_tokens_verify(srv->tokens, token, strlen(token), time(NULL), &uid) != 0) {
        r->www_authenticate = true;
        response_set_detail_code(r, 401, DRF_TOKEN_INVALID, DRF_TOKEN_INVALID_CODE);
        r->close = true;
        session_respond(s);
        return;
    }
    size_t origin_len = 0;
    const char *origin = head_field(head, "origin", &origin_len);
    if (cors_enabled(srv->cors) && origin && !cors_allowed(srv->cors, origin, origin_len)) {
        refuse(s, 403, DRF_PERMISSION_DENIED);
        return;
    }
    if (srv->ws->draining) {
        response_set_unavailable(r);
        r->close = true;
        session_respond(s);
        return;
    }
    bool announce = false;
    switch (ws_server_reserve(srv->ws, uid, &announce)) {
    case WS_RESERVE_OK:
        break;
    case WS_RESERVE_FULL:
        refuse(s, 429, "Too many WebSockets open for this user.");
        return;
    case WS_RESERVE_NOMEM:
        response_set_internal(r);
        r->close = true;
        session_respond(s);
        return;
    }
    s->user_id = uid;
    s->ws_reserved = true;
    if (!announce) {
        session_upgrade(s);
        return;
    }
    uint64_t id = 0;
    if (ws_presence_open(srv->calls, srv->ws->limits.gateway_id, srv->ws->limits.lease_ms,
                         s->user_id, srv->settings->request_timeout_ms, on_opened, s,
                         &id) != 0) {
        response_set_unavailable(r);
        r->close = true;
        session_respond(s);
        return;
    }
    s->call = id;
    s->ws_opening = true;
    s->state = SESSION_CALLING;
}

void upgrade_hand_over(http_server_t *srv, session_t *s, int fd, const char *extra,
                       size_t extra_len)
{
    if (!s->ws_reserved) {            /* cannot happen: SESSION_UPGRADING holds one */
        close(fd);
        return;
    }
    s->ws_reserved = false;           /* the place goes with the socket */
    ws_server_accept(srv->ws, fd, s->user_id, s->ws_key, extra, extra_len);
}

void upgrade_release(http_server_t *srv, session_t *s)
{
    if (!s->ws_reserved)
        return;
    /* A presence.open withdrawn in flight may still reach the service: count the
     * user as announced, so that the last release sends presence.close. */
    if (s->ws_opening)
        ws_server_announced(srv->ws, s->user_id);
    s->ws_opening = false;
    s->ws_reserved = false;
    ws_server_release(srv->ws, s->user_id);
}
