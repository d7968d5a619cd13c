/*  request.h: reading the parts of a parsed request head (head.h) the gateway uses.
 *
 *  Everything here comes from outside: values may be empty or long, and nothing is
 *  assumed about their content beyond what head_parse() checked (no NUL, CR or LF).
 */
#ifndef REQUEST_H_INCLUDED
#define REQUEST_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "access_tokens.h"
#include "client_address.h"
#include "head.h"
#include "query.h"
#include "routes.h"

typedef enum {
    REQUEST_AUTH_OK,       /* a valid access token: *user_id is set */
    REQUEST_AUTH_MISSING,  /* no header, or not "Bearer <token>" */
    REQUEST_AUTH_INVALID,  /* a token that token_verify refuses */
} request_auth_t;

/* The request method, or 0 when it is none the gateway serves (its name is still
 * head->method). */
http_method_t request_method(const head_t *head);
/* The decoded path of the target (before '?'): %XX decoded, '+' kept. Returns a
 * malloc'ed string (its length in *len; it may hold a NUL decoded from the wire
 * only if the caller skipped head_parse's check), or NULL when out of memory. */
char *request_path(const head_t *head, size_t *len);
/* Adds the query-string parameters of the target (as Django's QueryDict reads
 * them). Returns QUERY_OK, QUERY_NUL or QUERY_NOMEM. */
query_status_t request_query(const head_t *head, query_t *query);
/* Writes the client's address (client_address.h: the peer, or the last untrusted hop
 * of X-Forwarded-For behind a trusted proxy; several such headers read as one list)
 * into out; "" when the peer is neither IPv4 nor IPv6. */
void request_client_address(const head_t *head, const struct sockaddr *peer,
                            const client_proxies_t *proxies, char out[CLIENT_ADDRESS_MAX]);
/* True when host[0..len) is a Host value Django accepts: [a-z0-9.-]+ (any case) or
 * a bracketed IPv6 address, then an optional :port. */
bool request_valid_host(const char *host, size_t len);
/* The Host to put in absolute links: the header when it is valid, else
 * "localhost:<port>". Returns a malloc'ed string or NULL when out of memory. */
char *request_host(const head_t *head, int port);
/* Checks "Authorization: Bearer <access token>" at time `now` and sets *user_id on
 * success. */
request_auth_t request_authenticate(const head_t *head, access_tokens_t *tokens, time_t now,
                                    int64_t *user_id);
/* True for an HTTP/1.0 request asking for keep-alive, whose response must then say
 * "Connection: keep-alive" (HTTP/1.1 keeps connections open by default). */
bool request_http10_keep_alive(const head_t *head);

#endif
