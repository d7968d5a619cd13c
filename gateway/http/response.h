/*  response.h: one HTTP response waiting to be written.
 *
 *  Holds the status, the body (owned or borrowed) and the few extra headers the API
 *  needs. The writer (writer.c) turns it into bytes on the socket; this module only
 *  builds it, so it knows nothing of libwebsockets.
 */
#ifndef RESPONSE_H_INCLUDED
#define RESPONSE_H_INCLUDED

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RESPONSE_JSON "application/json; charset=utf-8"

typedef struct {
    int status;                  /* HTTP status code, 0 while none is set */
    const char *content_type;    /* Content-Type, NULL when there is no body */
    const char *body;            /* body bytes: owned when body_owned, else static */
    size_t body_len;             /* body size */
    bool body_owned;             /* body is malloc'ed and freed with the response */
    int retry_after;             /* Retry-After seconds, 0 for none */
    bool www_authenticate;       /* WWW-Authenticate: Bearer realm="api" */
    unsigned allow;              /* http_method_t set for an Allow header, 0 for none */
    const char *cors_origin;     /* Access-Control-Allow-Origin value, NULL for none */
    bool cors_preflight;         /* the preflight Access-Control-Allow-* headers */
    bool vary_origin;            /* Vary: Origin (a CORS allow list is configured) */
    bool head_only;              /* HEAD: headers (with the body's length) only */
    bool close;                  /* Connection: close, and close after writing */
    bool keep_alive;             /* Connection: keep-alive (HTTP/1.0 clients asking) */
    bool ws_version;             /* Sec-WebSocket-Version: 13 (a 426 to a WebSocket handshake) */
    bool headers_sent;           /* the header block has been written */
    size_t sent;                 /* body bytes written so far */
} response_t;

/* Frees an owned body and zeroes every field. */
void response_clear(response_t *self);
/* Sets status and a JSON body serialized from value (compact, like DRF). Out of
 * memory turns it into a 500. */
void response_set_json(response_t *self, int status, const json_t *value);
/* Sets status and {"detail": detail}. */
void response_set_detail(response_t *self, int status, const char *detail);
/* Sets status and {"detail": detail, "code": code}. */
void response_set_detail_code(response_t *self, int status, const char *detail,
                              const char *code);
/* Sets status and a static body that outlives the response. */
void response_set_static(response_t *self, int status, const char *content_type,
                         const char *body, size_t len);
/* Sets status and no body (204 sends no Content-Length, others send 0). */
void response_set_empty(response_t *self, int status);
/* The 500 every internal failure becomes (its body never says more). */
void response_set_internal(response_t *self);
/* Sets the 503 of an unavailable or late service: detail plus Retry-After: 1. */
void response_set_unavailable(response_t *self);

#endif
