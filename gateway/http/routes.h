/*  routes.h: the gateway's routing table, the API at a glance.
 *
 *  Each row maps one HTTP method on one path pattern to who answers it: a service
 *  method on the bus, or a built-in handler. Patterns end in '/', which requests may
 *  omit; a "{name}" segment matches a positive integer that fits int64 (anything else
 *  means the row does not match, hence 404). HEAD is answered wherever GET is, and
 *  OPTIONS on every known path.
 */
#ifndef ROUTES_H_INCLUDED
#define ROUTES_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* HTTP methods, as bits so a set of them fits one unsigned. */
typedef enum {
    HTTP_GET = 1 << 0,
    HTTP_POST = 1 << 1,
    HTTP_PUT = 1 << 2,
    HTTP_PATCH = 1 << 3,
    HTTP_DELETE = 1 << 4,
    HTTP_HEAD = 1 << 5,
    HTTP_OPTIONS = 1 << 6,
} http_method_t;

/* "GET", "POST", ...; "" for anything else. */
const char *http_method_name(http_method_t method);

/* Who answers a route. */
typedef enum {
    ROUTE_BUS,           /* service.method on the bus */
    ROUTE_HEALTHZ,       /* the gateway runs */
    ROUTE_READYZ,        /* every backend service answers a ping */
    ROUTE_SCHEMA,        /* the embedded OpenAPI document */
    ROUTE_REDOC,         /* the ReDoc HTML page */
    ROUTE_REDOC_JS,      /* the ReDoc bundle read from REDOC_JS */
} route_kind_t;

typedef struct {
    http_method_t method;      /* the one method this row answers */
    const char *pattern;       /* path pattern, e.g. "/api/users/{id}/" */
    route_kind_t kind;         /* who answers */
    const char *service;       /* bus service (ROUTE_BUS), else NULL */
    const char *call;          /* bus method name (ROUTE_BUS), else NULL */
    bool auth;                 /* a valid access token is required */
    bool paginated;            /* DRF PageNumberPagination applies */
} route_t;

#define ROUTE_MAX_PARAMS 2

typedef struct {
    const char *name;          /* parameter name, points into the pattern */
    size_t name_len;           /* its length */
    int64_t value;             /* the id, >= 1 */
} route_param_t;

typedef enum {
    ROUTE_FOUND,               /* match->route answers the request */
    ROUTE_NOT_FOUND,           /* no pattern matches the path: 404 */
    ROUTE_METHOD_NOT_ALLOWED,  /* the path is known, the method is not: 405 */
} route_result_t;

typedef struct {
    const route_t *route;                    /* the row to run (ROUTE_FOUND only) */
    unsigned allowed;                        /* methods the path answers (Allow) */
    bool auth;                               /* some row of the path requires a token */
    size_t param_count;                      /* path parameters captured */
    route_param_t params[ROUTE_MAX_PARAMS];  /* their values */
} route_match_t;

/* The whole table and its size (for the schema test and the docs). */
const route_t *routes_table(size_t *count);
/* Matches a request. `path` is the decoded path without the query string. */
route_result_t routes_match(http_method_t method, const char *path, size_t len,
                            route_match_t *match);
/* Writes the Allow header value for a method set in DRF's order
 * ("GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"). Returns its length. */
size_t routes_allow(unsigned methods, char *buf, size_t size);

#endif
