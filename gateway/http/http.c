/*  http.c: the HTTP protocol callback. See http.h. */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cors.h"
#include "docs.h"
#include "drf_messages.h"
#include "forward.h"
#include "log.h"
#include "readyz.h"
#include "request.h"
#include "server.h"
#include "session.h"
#include "writer.h"

static const char healthy_body[] = "{\"status\":\"ok\"}";

/* Sets the CORS fields of the response from the Origin header. */
static void apply_cors(http_server_t *srv, struct lws *wsi, session_t *s)
{
    if (!cors_enabled(srv->cors))
        return;
    s->response.vary_origin = true;
    s->response.cors_preflight = s->method == HTTP_OPTIONS;
    size_t len = 0;
    char *origin = request_header(wsi, WSI_TOKEN_ORIGIN, &len);
    if (origin)
        s->response.cors_origin = cors_allowed(srv->cors, origin, len);
    free(origin);
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

/* Writes {"detail": detail} with Connection: close at once (outside WRITEABLE) for
 * a connection about to be closed by returning -1 to lws. */
static void refuse_now(http_server_t *srv, struct lws *wsi, int status, const char *detail)
{
    response_t r;
    memset(&r, 0, sizeof r);
    response_set_detail(&r, status, detail);
    r.close = true;
    writer_send_now(srv, wsi, &r);
    response_clear(&r);
}

/*  True when lws parsed this request from input it had already buffered, that is
 *  when the client pipelined it behind an earlier request. lws does not expose a
 *  connection's buffered input, but lws_service_adjust_timeout() returns 0 when some
 *  connection holds buffered input lws is ready to parse, and while a pipelined
 *  request is being parsed its own connection is one of them (a fresh request is
 *  parsed straight from the socket read). Another connection holding pipelined
 *  input makes this true as well: callers use it only to refuse something, so a
 *  rare false positive costs a retry, never correctness. */
static bool parsed_from_buffer(struct lws *wsi)
{
    return lws_service_adjust_timeout(lws_get_context(wsi), 1, 0) == 0;
}

/* Answers with a static body. */
static int answer_static(session_t *s, const char *content_type, const char *body, size_t len)
{
    response_set_static(&s->response, 200, content_type, body, len);
    return session_respond(s);
}

/* Starts the bus call of a ROUTE_BUS request, after its body when it has one. */
static int start_call(http_server_t *srv, struct lws *wsi, session_t *s,
                      const request_framing_t *framing, const char *uri, size_t uri_len)
{
    if (s->match.route->paginated) {
        s->path = strndup(uri, uri_len);
        s->host = request_host(wsi, srv->settings->port);
        if (!s->path || !s->host) {
            response_set_internal(&s->response);
            return session_respond(s);
        }
    }
    bool takes_body = (s->method & (HTTP_POST | HTTP_PUT | HTTP_PATCH | HTTP_DELETE)) != 0;
    if (takes_body && framing->has_length && framing->length > 0) {
        s->body_expected = (size_t) framing->length;
        s->state = SESSION_BODY;
        return 0;
    }
    if (s->method == HTTP_POST && framing->has_length) {
        /* lws follows an explicit "Content-Length: 0" POST with an empty
         * HTTP_BODY and HTTP_BODY_COMPLETION right after this callback. */
        s->state = SESSION_BODY;
        return 0;
    }
    forward_request(srv, s, NULL);
    return 0;
}

/* LWS_CALLBACK_HTTP: a request's headers are in; `uri` is its decoded path. */
static int on_request(http_server_t *srv, struct lws *wsi, session_t *s, const char *uri,
                      size_t uri_len)
{
    session_release(srv, s);
    s->wsi = wsi;
    s->method = request_method(wsi);
    response_t *r = &s->response;
    request_framing_t framing;
    request_framing(wsi, &framing);
    /* lws waits for a body it cannot delimit (chunked, a bad length, or a POST, PUT
     * or PATCH without Content-Length, where it assumes 100 MB) or that is too big to
     * read: answer, then close instead of reading it. */
    if (framing.chunked || framing.bad_length
        || framing.length > (uint64_t) srv->settings->max_body
        || (!framing.has_length && (s->method & (HTTP_POST | HTTP_PUT | HTTP_PATCH))))
        r->close = true;
    if (!s->method)
        return -1;
    /*  libwebsockets 4.1.6 bug: for a request lws will read a body for, parsed from
     *  input it had buffered (a pipelined request), lws_http_action() reads that
     *  buffer again from its start as the body, then loops forever on a buffer no
     *  one consumes (or, if a body callback fails, uses the connection after freeing
     *  it); upstream later restricted that loop to HTTP/2 streams. Returning non-zero
     *  from this callback is the one exit before that loop, so such a request is
     *  refused here and its connection closed. Clients that wait for each response
     *  before sending the next request (all common ones) never meet this. */
    bool body_follows = framing.chunked || framing.bad_length || framing.length > 0
                        || (!framing.has_length
                            && (s->method & (HTTP_POST | HTTP_PUT | HTTP_PATCH)));
    if (body_follows && parsed_from_buffer(wsi)) {
        log_warn("refused a pipelined request with a body");
        refuse_now(srv, wsi, 400, "Pipelined requests with a body are not supported.");
        return -1;
    }
    r->keep_alive = request_http10_keep_alive(wsi);
    apply_cors(srv, wsi, s);
    if (s->method == HTTP_OPTIONS
        && lws_hdr_custom_length(wsi, CORS_PREFLIGHT_HEADER,
                                 (int) sizeof CORS_PREFLIGHT_HEADER - 1) >= 0) {
        response_set_empty(r, 200);
        return session_respond(s);
    }
    if (memchr(uri, '\0', uri_len))
        return reject(s, 400, DRF_NULL_CHARACTERS);
    s->query = query_new();
    query_status_t qs = s->query ? request_query(wsi, s->query) : QUERY_NOMEM;
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
        request_auth_t auth = request_authenticate(wsi, srv->settings->jwt_secret,
                                                   srv->settings->jwt_secret_len, &s->user_id);
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
        snprintf(detail, sizeof detail, DRF_METHOD_NOT_ALLOWED,
                 http_method_name(s->method));
        r->allow = s->match.allowed;
        return reject(s, 405, detail);
    }
    if (framing.chunked)
        return reject(s, 411, "A Content-Length header is required.");
    if (framing.bad_length)
        return reject(s, 400, "Invalid Content-Length header.");
    if (framing.length > (uint64_t) srv->settings->max_body)
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
        return start_call(srv, wsi, s, &framing, uri, uri_len);
    }
    response_set_internal(r);
    return session_respond(s);
}

/* LWS_CALLBACK_HTTP_BODY: appends a piece of the body being collected. */
static int on_body(session_t *s, const char *in, size_t len)
{
    if (s->state != SESSION_BODY || len == 0)
        return 0;
    if (len > s->body_expected - s->body_len) {
        s->response.close = true;
        return reject(s, 413, "Request body too large.");
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
            return session_respond(s);
        }
        s->body = grown;
        s->body_cap = cap;
    }
    memcpy(s->body + s->body_len, in, len);
    s->body_len += len;
    return 0;
}

/* LWS_CALLBACK_HTTP_BODY_COMPLETION: parses the body and makes the call. */
static int on_body_complete(http_server_t *srv, session_t *s)
{
    if (s->state != SESSION_BODY)
        return 0;
    json_t *data = NULL;
    if (s->body_len > 0) {
        json_error_t error;
        data = json_loadb(s->body, s->body_len, 0, &error);
        if (!data)
            return reject_json(s, error.text);
        if (!json_is_object(data)) {
            json_decref(data);
            return reject_json(s, "Expected a JSON object.");
        }
    }
    free(s->body);
    s->body = NULL;
    s->body_len = s->body_cap = 0;
    forward_request(srv, s, data);
    json_decref(data);
    return 0;
}

/* LWS_CALLBACK_HTTP_WRITEABLE: writes the next piece of the response; when it is all
 * out, finishes the transaction (keep-alive) or closes. */
static int on_writeable(http_server_t *srv, struct lws *wsi, session_t *s)
{
    if (s->state != SESSION_RESPONDING || !s->response.status)
        return 0;
    int rc = writer_continue(srv, wsi, &s->response);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        lws_callback_on_writable(wsi);
        return 0;
    }
    bool close = s->response.close;
    log_debug("%s %s %d", http_method_name(s->method),
              s->match.route ? s->match.route->pattern : "-", s->response.status);
    session_release(srv, s);
    if (close)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/*  LWS_CALLBACK_HTTP_CONFIRM_UPGRADE, written around a libwebsockets 4.1.6 bug.
 *
 *  In lws_handshake_server() (lib/roles/http/server/server.c), an Upgrade header
 *  that is neither "websocket" nor "h2c" is answered 403 and, on a keep-alive
 *  connection, lws_http_transaction_completed() detaches the header table (freeing
 *  it, or resetting it when a pipelined request follows). lws then still calls this
 *  callback with `in` pointing into that table, and if the callback returns 0 it
 *  reads the freed Upgrade value again (strcasecmp) and goes on to serve the request
 *  with no headers (upstream fixed in 4.3.7). No callback runs before that path, so
 *  the guard has to be here:
 *    - `in` is never read: the Upgrade header is read again through the wsi, which
 *      yields nothing once the table is gone or reset;
 *    - anything but an intact "websocket" or "h2c" header means lws already answered
 *      403: return -1, so lws hangs up without touching the table again;
 *    - h2c is refused (the gateway speaks HTTP/1.1), and so is every WebSocket
 *      upgrade for now. When the "ws" protocol exists, an upgrade to "websocket" on
 *      /ws/main/ (read with lws_hdr_copy(WSI_TOKEN_GET_URI)) returns 0 here so lws
 *      completes the handshake; every other path keeps getting this 403.
 */
static int on_confirm_upgrade(http_server_t *srv, struct lws *wsi)
{
    char upgrade[16];
    int n = lws_hdr_total_length(wsi, WSI_TOKEN_UPGRADE);
    if (n <= 0 || n >= (int) sizeof upgrade
        || lws_hdr_copy(wsi, upgrade, sizeof upgrade, WSI_TOKEN_UPGRADE) != n)
        return -1;
    if (strcasecmp(upgrade, "websocket") != 0 && strcasecmp(upgrade, "h2c") != 0)
        return -1;
    refuse_now(srv, wsi, 403, DRF_PERMISSION_DENIED);
    return -1;
}

int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                  size_t len)
{
    http_server_t *srv = http_server_of(wsi);
    session_t *s = user;
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        return s ? on_request(srv, wsi, s, in, len) : -1;
    case LWS_CALLBACK_HTTP_BODY:
        return s ? on_body(s, in, len) : -1;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        return s ? on_body_complete(srv, s) : -1;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return s ? on_writeable(srv, wsi, s) : 0;
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        return on_confirm_upgrade(srv, wsi);
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
    case LWS_CALLBACK_CLOSED_HTTP:
        if (s)
            session_release(srv, s);
        return 0;
    case LWS_CALLBACK_WSI_DESTROY:
        /* Sent to protocols[0] for every wsi: only ours hold a session. */
        if (s && lws_get_protocol(wsi) && lws_get_protocol(wsi)->callback == http_callback)
            session_release(srv, s);
        return 0;
    case LWS_CALLBACK_RAW_ADOPT:
    case LWS_CALLBACK_RAW_RX:
        /* A CONNECT request turns the connection raw on protocols[0]: refuse. */
        return -1;
    default:
        return 0;
    }
}
