/*  http.c: the HTTP protocol callback. See http.h. */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conn.h"
#include "cors.h"
#include "docs.h"
#include "drf_messages.h"
#include "forward.h"
#include "log.h"
#include "readyz.h"
#include "request.h"
#include "response.h"
#include "server.h"
#include "session.h"
#include "upgrade.h"

static const char healthy_body[] = "{\"status\":\"ok\"}";

/* Sets the CORS fields of the response from the Origin header. */
static void apply_cors(http_server_t *srv, const head_t *head, session_t *s)
{
    if (!cors_enabled(srv->cors))
        return;
    s->response.vary_origin = true;
    s->response.cors_preflight = s->method == HTTP_OPTIONS;
    size_t len = 0;
    const char *origin = head_field(head, "origin", &len);
    if (origin)
        s->response.cors_origin = cors_allowed(srv->cors, origin, len);
}

/* Answers with {"detail": detail}. */
static int reject(session_t *s, int status, const char *detail)
{
    response_set_detail(&s->response, status, detail);
    return session_respond(s);
}

/* Answers 400 "JSON parse error - <reason>" with the parser's text made printable. */
static int reject_json(session_t *s, const char *reason)
{
    char detail[200];
    int n = snprintf(detail, sizeof detail, "JSON parse error - %s", reason);
    for (int i = 0; i < n && i < (int) sizeof detail - 1; i++)
        if ((unsigned char) detail[i] < 0x20 || (unsigned char) detail[i] >= 0x7f)
            detail[i] = '?';
    return reject(s, 400, detail);
}

/* Answers with a static body. */
static int answer_static(session_t *s, const char *content_type, const char *body, size_t len)
{
    response_set_static(&s->response, 200, content_type, body, len);
    return session_respond(s);
}

/* Starts the bus call of a ROUTE_BUS request, after its body when it has one. */
static int start_call(http_server_t *srv, const head_t *head, session_t *s,
                      const char *uri, size_t uri_len)
{
    if (s->match.route->paginated) {
        s->path = strndup(uri, uri_len);
        s->host = request_host(head, srv->settings->port);
        if (!s->path || !s->host) {
            response_set_internal(&s->response);
            return session_respond(s);
        }
    }
    bool takes_body = (s->method & (HTTP_POST | HTTP_PUT | HTTP_PATCH | HTTP_DELETE)) != 0;
    if (takes_body && head->length > 0) {
        s->body_expected = (size_t) head->length;
        s->state = SESSION_BODY;
        return 0;
    }
    forward_request(srv, s, NULL);
    return 0;
}

/* The checks of a request whose head has arrived, up to its body. */
static int on_request(http_server_t *srv, session_t *s, const head_t *head,
                      const char *uri, size_t uri_len)
{
    response_t *r = &s->response;
    /* A body that is not read (chunked, or too big) leaves the rest of the
     * connection unframed: answer, then close. */
    if (head->chunked || head->length > (uint64_t) srv->settings->max_body
        || !head->keep_alive)
        r->close = true;
    r->keep_alive = !r->close && request_http10_keep_alive(head);
    apply_cors(srv, head, s);
    size_t preflight_len = 0;
    if (s->method == HTTP_OPTIONS && head_field(head, "access-control-request-method", &preflight_len)) {
        response_set_empty(r, 200);
        return session_respond(s);
    }
    if (memchr(uri, '\0', uri_len))
        return reject(s, 400, DRF_NULL_CHARACTERS);
    s->query = query_new();
    query_status_t qs = s->query ? request_query(head, s->query) : QUERY_NOMEM;
    if (qs == QUERY_NUL)
        return reject(s, 400, DRF_NULL_CHARACTERS);
    if (qs != QUERY_OK) {
        response_set_internal(r);
        return session_respond(s);
    }
    route_result_t found = routes_match(s->method, uri, uri_len, &s->match);
    if (found == ROUTE_NOT_FOUND)
        return reject(s, 404, DRF_NOT_FOUND);
    if (s->method == HTTP_OPTIONS) {
        r->allow = s->match.allowed;
        response_set_empty(r, 200);
        return session_respond(s);
    }
    if (s->match.auth) {
        request_auth_t auth = request_authenticate(head, srv->tokens, time(NULL), &s->user_id);
        if (auth != REQUEST_AUTH_OK) {
            r->www_authenticate = true;
            if (auth == REQUEST_AUTH_MISSING)
                return reject(s, 401, DRF_NOT_AUTHENTICATED);
            response_set_detail_code(r, 401, DRF_TOKEN_INVALID,
                                     DRF_TOKEN_INVALID_CODE);
            return session_respond(s);
        }
    }
    if (found == ROUTE_METHOD_NOT_ALLOWED) {
        char detail[64];
        snprintf(detail, sizeof detail, DRF_METHOD_NOT_ALLOWED, s->method_name);
        r->allow = s->match.allowed;
        return reject(s, 405, detail);
    }
    if (head->chunked)
        return reject(s, 411, "A Content-Length header is required.");
    if (head->length > (uint64_t) srv->settings->max_body)
        return reject(s, 413, "Request body too large.");
    const route_t *route = s->match.route;
    r->head_only = s->method == HTTP_HEAD;
    if (route->paginated && pagination_parse(s->query, &s->page) != 0)
        return reject(s, 404, DRF_INVALID_PAGE);
    size_t len = 0;
    const char *body;
    switch (route->kind) {
    case ROUTE_HEALTHZ:
        return answer_static(s, RESPONSE_JSON, healthy_body, sizeof healthy_body - 1);
    case ROUTE_READYZ:
        readyz_start(srv, s);
        return 0;
    case ROUTE_SCHEMA:
        body = docs_schema(&len);
        return answer_static(s, RESPONSE_JSON, body, len);
    case ROUTE_REDOC:
        body = docs_redoc_page(&len);
        return answer_static(s, DOCS_HTML, body, len);
    case ROUTE_REDOC_JS:
        body = docs_redoc_bundle(srv->docs, &len);
        if (!body)
            return reject(s, 404, DRF_NOT_FOUND);
        return answer_static(s, DOCS_JAVASCRIPT, body, len);
    case ROUTE_BUS:
        return start_call(srv, head, s, uri, uri_len);
    }
    response_set_internal(r);
    return session_respond(s);
}

void http_on_body(session_t *s, const char *in, size_t len)
{
    if (s->state != SESSION_BODY || len == 0)
        return;
    if (len > s->body_expected - s->body_len) {
        s->response.close = true;
        reject(s, 413, "Request body too large.");
        return;
    }
    if (s->body_len + len > s->body_cap) {
        size_t cap = s->body_cap ? s->body_cap : 4096;
        while (cap < s->body_len + len)
            cap *= 2;
        if (cap > s->body_expected)
            cap = s->body_expected;
        char *grown = realloc(s->body, cap);
        if (!grown) {
            s->response.close = true;
            response_set_internal(&s->response);
            session_respond(s);
            return;
        }
        s->body = grown;
        s->body_cap = cap;
    }
    memcpy(s->body + s->body_len, in, len);
    s->body_len += len;
}

void http_on_body_complete(http_server_t *srv, session_t *s)
{
    if (s->state != SESSION_BODY)
        return;
    json_t *data = NULL;
    if (s->body_len > 0) {
        json_error_t error;
        data = json_loadb(s->body, s->body_len, 0, &error);
        if (!data) {
            reject_json(s, error.text);
            return;
        }
        if (!json_is_object(data)) {
            json_decref(data);
            reject_json(s, "Expected a JSON object.");
            return;
        }
    }
    free(s->body);
    s->body = NULL;
    s->body_len = s->body_cap = 0;
    forward_request(srv, s, data);
    json_decref(data);
}

void http_on_head(http_server_t *srv, session_t *s, const head_t *head)
{
    session_release(srv, s);
    s->method = request_method(head);
    s->method_name = head->method;
    request_client_address(head, conn_peer(s->conn), &srv->settings->trusted_proxies,
                           s->client);
    size_t uri_len = 0;
    char *uri = request_path(head, &uri_len);
    if (!uri) {
        s->response.close = true;
        response_set_internal(&s->response);
        session_respond(s);
        return;
    }
    /*  Upgrades: "Upgrade: websocket" on /ws/main/ is the WebSocket endpoint
     *  (upgrade.c: checks, then the socket goes to lws with a head we write). Every
     *  other upgrade (h2c, websocket elsewhere, anything else) is refused with 403
     *  and its connection closed, so lws never sees an unknown upgrade (its 4.1.6
     *  use-after-free). */
    size_t upgrade_len = 0;
    if (head_field(head, "upgrade", &upgrade_len)) {
        if (srv->ws && ws_handshake_wanted(head, uri, uri_len)) {
            upgrade_start(srv, s, head);
        } else {
            s->response.close = true;
            reject(s, 403, DRF_PERMISSION_DENIED);
        }
        free(uri);
        return;
    }
    on_request(srv, s, head, uri, uri_len);
    free(uri);
}

void http_refuse_head(session_t *s, head_status_t status)
{
    response_clear(&s->response);
    switch (status) {
    case HEAD_NUL:
        response_set_detail(&s->response, 400, DRF_NULL_CHARACTERS);
        break;
    case HEAD_BAD_LENGTH:
        response_set_detail(&s->response, 400, "Invalid Content-Length header.");
        break;
    case HEAD_TOO_LARGE:
        response_set_detail(&s->response, 431, "Request header fields too large.");
        break;
    default:
        response_set_detail(&s->response, 400, "Bad request.");
        break;
    }
    s->response.close = true;
    /* The head was not read, so no Origin is known: no CORS headers, but the answer
     * still varies with Origin like every other (docs/api.md, CORS). */
    s->response.vary_origin = cors_enabled(s->srv->cors);
    session_respond(s);
}
