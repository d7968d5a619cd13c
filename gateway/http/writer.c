/*  writer.c: responses onto the socket. See writer.h. */
#include "writer.h"

#include <stdio.h>
#include <string.h>

#include "cors.h"
#include "routes.h"

/* Adds "name: value" for a header lws knows by token. Returns 0 or -1. */
static int add_token(struct lws *wsi, enum lws_token_indexes token, const char *value,
                     unsigned char **p, unsigned char *end)
{
    return lws_add_http_header_by_token(wsi, token, (const unsigned char *) value,
                                        (int) strlen(value), p, end) ? -1 : 0;
}

/* Adds "name: value" by name (name in lws form: lower case, with the colon). */
static int add_name(struct lws *wsi, const char *name, const char *value,
                    unsigned char **p, unsigned char *end)
{
    return lws_add_http_header_by_name(wsi, (const unsigned char *) name,
                                       (const unsigned char *) value, (int) strlen(value),
                                       p, end) ? -1 : 0;
}

/* The reason phrase of a status (Python's http.HTTPStatus wording, as Django sends). */
static const char *reason_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Request Entity Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

/*  Appends the status line and every header of r, then the blank line. Returns 0, or
 *  -1 when they do not fit before end. The status line is written here rather than by
 *  lws_add_http_header_status(), whose table lacks reason phrases for 201, 204 and
 *  205; the security headers Django's middleware adds come next. */
static int add_headers(struct lws *wsi, const response_t *r, unsigned char **p,
                       unsigned char *end)
{
    char number[32], line[64];
    int n = snprintf(line, sizeof line, "HTTP/1.1 %d %s", r->status, reason_phrase(r->status));
    if (lws_add_http_header_by_name(wsi, NULL, (const unsigned char *) line, n, p, end)
        || add_name(wsi, "x-content-type-options:", "nosniff", p, end)
        || add_name(wsi, "x-frame-options:", "DENY", p, end)
        || add_name(wsi, "referrer-policy:", "same-origin", p, end))
        return -1;
    if (r->content_type && add_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, r->content_type, p, end))
        return -1;
    /* 204 and 304 have no body by definition and must not carry a length. */
    if (r->status != 204 && r->status != 304) {
        snprintf(number, sizeof number, "%zu", r->body_len);
        if (add_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, number, p, end))
            return -1;
    }
    if (r->www_authenticate
        && add_token(wsi, WSI_TOKEN_HTTP_WWW_AUTHENTICATE, "Bearer realm=\"api\"", p, end))
        return -1;
    if (r->retry_after > 0) {
        snprintf(number, sizeof number, "%d", r->retry_after);
        if (add_token(wsi, WSI_TOKEN_HTTP_RETRY_AFTER, number, p, end))
            return -1;
    }
    if (r->allow) {
        char allow[80];
        routes_allow(r->allow, allow, sizeof allow);
        if (add_token(wsi, WSI_TOKEN_HTTP_ALLOW, allow, p, end))
            return -1;
    }
    if (r->cors_origin
        && add_token(wsi, WSI_TOKEN_HTTP_ACCESS_CONTROL_ALLOW_ORIGIN, r->cors_origin, p, end))
        return -1;
    if (r->cors_origin && r->cors_preflight
        && (add_name(wsi, "access-control-allow-headers:", CORS_ALLOW_HEADERS, p, end)
            || add_name(wsi, "access-control-allow-methods:", CORS_ALLOW_METHODS, p, end)
            || add_name(wsi, "access-control-max-age:", CORS_MAX_AGE, p, end)))
        return -1;
    if (r->vary_origin && add_token(wsi, WSI_TOKEN_HTTP_VARY, "Origin", p, end))
        return -1;
    if (r->close ? add_token(wsi, WSI_TOKEN_CONNECTION, "close", p, end)
                 : r->keep_alive && add_token(wsi, WSI_TOKEN_CONNECTION, "keep-alive", p, end))
        return -1;
    return lws_finalize_http_header(wsi, p, end) ? -1 : 0;
}

int writer_continue(http_server_t *srv, struct lws *wsi, response_t *r)
{
    unsigned char *start = srv->scratch + LWS_PRE, *p = start;
    unsigned char *end = start + HTTP_WRITE_CHUNK;
    enum lws_write_protocol mode = LWS_WRITE_HTTP;
    if (!r->headers_sent) {
        if (add_headers(wsi, r, &p, end) != 0)
            return -1;
        r->headers_sent = true;
        mode = LWS_WRITE_HTTP_HEADERS;
    }
    size_t total = r->head_only ? 0 : r->body_len;
    size_t room = (size_t) (end - p), left = total - r->sent;
    size_t n = left < room ? left : room;
    if (n) {
        memcpy(p, r->body + r->sent, n);
        p += n;
        r->sent += n;
    }
    size_t out = (size_t) (p - start);
    /* lws keeps whatever the socket does not take now and sends it before the next
     * WRITEABLE: a short write is never an error here. */
    if (out && lws_write(wsi, start, out, mode) != (int) out)
        return -1;
    return r->sent == total ? 1 : 0;
}

int writer_send_now(http_server_t *srv, struct lws *wsi, response_t *r)
{
    int rc = writer_continue(srv, wsi, r);
    return rc == 1 ? 0 : -1;
}
