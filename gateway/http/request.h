/*  request.h: reading the parts of an HTTP request that libwebsockets parsed.
 *
 *  Everything here comes from outside: header copies are bounded by the header
 *  space lws allows, may contain NUL bytes (callers check), and nothing is assumed
 *  about their content.
 */
#ifndef REQUEST_H_INCLUDED
#define REQUEST_H_INCLUDED

#include <libwebsockets.h>

#include "client_address.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query.h"
#include "routes.h"

/* How the request body is framed. */
typedef struct {
    bool chunked;          /* a Transfer-Encoding header is present */
    bool has_length;       /* a Content-Length header is present */
    bool bad_length;       /* Content-Length is not a plain decimal number */
    uint64_t length;       /* its value (saturated) */
} request_framing_t;

typedef enum {
    REQUEST_AUTH_OK,       /* a valid access token: *user_id is set */
    REQUEST_AUTH_MISSING,  /* no header, or not "Bearer <token>" */
    REQUEST_AUTH_INVALID,  /* a token that token_verify refuses */
} request_auth_t;

/* The request method, or 0 when it is none the gateway serves. */
http_method_t request_method(struct lws *wsi);
/* A malloc'ed, NUL-terminated copy of header h and its length in *len (the copy may
 * hold NUL bytes that came from the wire), or NULL when absent or out of memory. */
char *request_header(struct lws *wsi, enum lws_token_indexes h, size_t *len);
/* Writes the client's address (client_address.h: the peer, or the last untrusted hop
 * of X-Forwarded-For behind a trusted proxy) into out; "" when it cannot be read. */
void request_client_address(struct lws *wsi, const client_proxies_t *proxies,
                            char out[CLIENT_ADDRESS_MAX]);
/* Reads Transfer-Encoding and Content-Length. */
void request_framing(struct lws *wsi, request_framing_t *framing);
/* Adds the query-string parameters (lws hands them over decoded, one fragment per
 * parameter). Returns QUERY_OK, QUERY_NUL or QUERY_NOMEM. */
query_status_t request_query(struct lws *wsi, query_t *query);
/* True when host[0..len) is a Host value Django accepts: [a-z0-9.-]+ (any case) or
 * a bracketed IPv6 address, then an optional :port. */
bool request_valid_host(const char *host, size_t len);
/* The Host to put in absolute links: the header when it is valid, else
 * "localhost:<port>". Returns a malloc'ed string or NULL when out of memory. */
char *request_host(struct lws *wsi, int port);
/* Checks "Authorization: Bearer <access token>" with the HS256 secret and sets
 * *user_id on success. */
request_auth_t request_authenticate(struct lws *wsi, const unsigned char *secret,
                                    size_t secret_len, int64_t *user_id);
/* True for an HTTP/1.0 request asking for keep-alive, whose response must then say
 * "Connection: keep-alive" (HTTP/1.1 keeps connections open by default). */
bool request_http10_keep_alive(struct lws *wsi);

#endif
