/*  writer.c: response header blocks. See writer.h. */
#include "writer.h"

#include <stdio.h>
#include <string.h>

#include "cors.h"
#include "routes.h"
#include "textbuf.h"

const char *writer_reason(int status)
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
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

/* Appends "name: value\r\n". */
static void add(textbuf_t *out, const char *name, const char *value)
{
    textbuf_puts(out, name);
    textbuf_puts(out, ": ");
    textbuf_puts(out, value);
    textbuf_puts(out, "\r\n");
}

/*  The security headers Django's middleware adds come right after the status
 *  line; 204 and 304 have no body by definition and carry no length. */
char *writer_head(const response_t *r, size_t *len)
{
    textbuf_t out;
    textbuf_init(&out);
    char line[64];
    snprintf(line, sizeof line, "HTTP/1.1 %d %s\r\n", r->status, writer_reason(r->status));
    textbuf_puts(&out, line);
    add(&out, "X-Content-Type-Options", "nosniff");
    add(&out, "X-Frame-Options", "DENY");
    add(&out, "Referrer-Policy", "same-origin");
    if (r->content_type)
        add(&out, "Content-Type", r->content_type);
    if (r->status != 204 && r->status != 304) {
        snprintf(line, sizeof line, "%zu", r->body_len);
        add(&out, "Content-Length", line);
    }
    if (r->www_authenticate)
        add(&out, "WWW-Authenticate", "Bearer realm=\"api\"");
    if (r->retry_after > 0) {
        snprintf(line, sizeof line, "%d", r->retry_after);
        add(&out, "Retry-After", line);
    }
    if (r->ws_version)
        add(&out, "Sec-WebSocket-Version", "13");
    if (r->allow) {
        char allow[80];
        routes_allow(r->allow, allow, sizeof allow);
        add(&out, "Allow", allow);
    }
    if (r->cors_origin) {
        add(&out, "Access-Control-Allow-Origin", r->cors_origin);
        if (r->cors_preflight) {
            add(&out, "Access-Control-Allow-Headers", CORS_ALLOW_HEADERS);
            add(&out, "Access-Control-Allow-Methods", CORS_ALLOW_METHODS);
            add(&out, "Access-Control-Max-Age", CORS_MAX_AGE);
        }
    }
    if (r->vary_origin)
        add(&out, "Vary", "Origin");
    if (r->close)
        add(&out, "Connection", "close");
    else if (r->keep_alive)
        add(&out, "Connection", "keep-alive");
    textbuf_puts(&out, "\r\n");
    return textbuf_take(&out, len);
}
