/*  Unit tests of the gateway's pure modules: the routing table against the embedded
 *  OpenAPI document, route matching, query strings, DRF pagination and its links,
 *  CORS decisions, the Authorization header, the table of calls in flight, the bus
 *  request body and the reply-to-response mapping. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bearer.h"
#include "bus_body.h"
#include "cors.h"
#include "docs.h"
#include "pagination.h"
#include "pending.h"
#include "proto.h"
#include "proto_json.h"
#include "query.h"
#include "reply.h"
#include "request.h"
#include "response.h"
#include "routes.h"
#include "textbuf.h"
#include "url.h"

/* ---- the routing table and the OpenAPI document agree ---- */

static json_t *load_schema(void)
{
    json_error_t error;
    json_t *doc = json_loadb((const char *) openapi_json, openapi_json_len, 0, &error);
    cr_assert_not_null(doc, "openapi.json does not parse: %s (line %d)", error.text, error.line);
    return doc;
}

/* Lower-case OpenAPI operation key of a method. */
static const char *operation_key(http_method_t method)
{
    switch (method) {
    case HTTP_GET: return "get";
    case HTTP_POST: return "post";
    case HTTP_PUT: return "put";
    case HTTP_PATCH: return "patch";
    case HTTP_DELETE: return "delete";
    default: return "?";
    }
}

Test(schema, is_openapi_3)
{
    json_t *doc = load_schema();
    cr_assert_str_eq(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
    json_t *scheme = json_object_get(json_object_get(json_object_get(doc, "components"),
                                                     "securitySchemes"), "jwtAuth");
    cr_assert_str_eq(json_string_value(json_object_get(scheme, "scheme")), "bearer");
    json_decref(doc);
}

Test(schema, every_route_is_documented)
{
    json_t *doc = load_schema();
    json_t *paths = json_object_get(doc, "paths");
    size_t count;
    const route_t *routes = routes_table(&count);
    for (size_t i = 0; i < count; i++) {
        json_t *path = json_object_get(paths, routes[i].pattern);
        cr_assert_not_null(path, "%s is missing from openapi.json", routes[i].pattern);
        json_t *op = json_object_get(path, operation_key(routes[i].method));
        cr_assert_not_null(op, "%s %s is missing from openapi.json",
                           http_method_name(routes[i].method), routes[i].pattern);
        /* Public operations say so with an empty security list; protected ones
         * inherit the document's bearer requirement. */
        json_t *security = json_object_get(op, "security");
        if (routes[i].auth)
            cr_assert(security == NULL || json_array_size(security) > 0,
                      "%s %s is protected", operation_key(routes[i].method), routes[i].pattern);
        else
            cr_assert(json_is_array(security) && json_array_size(security) == 0,
                      "%s %s is public", operation_key(routes[i].method), routes[i].pattern);
        if (routes[i].paginated) {
            char *text = json_dumps(op, 0);
            cr_assert(strstr(text, "#/components/parameters/Page\""), "%s lacks page", routes[i].pattern);
            cr_assert(strstr(text, "#/components/parameters/PageSize\""), "%s lacks page_size",
                      routes[i].pattern);
            free(text);
        }
    }
    json_decref(doc);
}

Test(schema, every_documented_operation_is_routed)
{
    static const char *const keys[] = { "get", "post", "put", "patch", "delete", "head",
                                        "options", "trace" };
    json_t *doc = load_schema();
    json_t *paths = json_object_get(doc, "paths");
    size_t count;
    const route_t *routes = routes_table(&count);
    const char *name;
    json_t *item;
    json_object_foreach(paths, name, item) {
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            if (!json_object_get(item, keys[k]))
                continue;
            bool found = false;
            for (size_t i = 0; i < count && !found; i++)
                found = strcmp(routes[i].pattern, name) == 0
                        && strcmp(operation_key(routes[i].method), keys[k]) == 0;
            cr_assert(found, "openapi.json documents %s %s, which no route serves", keys[k], name);
        }
    }
    json_decref(doc);
}

Test(schema, table_rows_are_unique_and_well_formed)
{
    size_t count;
    const route_t *routes = routes_table(&count);
    for (size_t i = 0; i < count; i++) {
        cr_assert_eq(routes[i].pattern[0], '/');
        cr_assert_eq(routes[i].kind == ROUTE_BUS, routes[i].service != NULL);
        cr_assert_eq(routes[i].kind == ROUTE_BUS, routes[i].call != NULL);
        for (size_t j = i + 1; j < count; j++)
            cr_assert(routes[i].method != routes[j].method
                      || strcmp(routes[i].pattern, routes[j].pattern) != 0,
                      "duplicate row %s", routes[i].pattern);
    }
}

/* ---- route matching ---- */

static route_result_t match(http_method_t method, const char *path, route_match_t *m)
{
    return routes_match(method, path, strlen(path), m);
}

Test(routes, trailing_slash_is_optional)
{
    route_match_t m;
    cr_assert_eq(match(HTTP_GET, "/api/users/me/", &m), ROUTE_FOUND);
    cr_assert_str_eq(m.route->call, "me");
    cr_assert_eq(match(HTTP_GET, "/api/users/me", &m), ROUTE_FOUND);
    cr_assert_str_eq(m.route->call, "me");
    cr_assert_eq(match(HTTP_GET, "/healthz", &m), ROUTE_FOUND);
    cr_assert_eq(match(HTTP_GET, "/healthz/", &m), ROUTE_FOUND);
    cr_assert_eq(match(HTTP_POST, "/api/auth/login", &m), ROUTE_FOUND);
    cr_assert_eq(match(HTTP_GET, "/api/users//", &m), ROUTE_NOT_FOUND);
}

Test(routes, ids_are_positive_int64)
{
    route_match_t m;
    cr_assert_eq(match(HTTP_GET, "/api/users/42/", &m), ROUTE_FOUND);
    cr_assert_str_eq(m.route->call, "get");
    cr_assert_eq(m.param_count, 1);
    cr_assert_eq(m.params[0].value, 42);
    cr_assert_eq(m.params[0].name_len, 2);
    cr_assert_eq(strncmp(m.params[0].name, "id", 2), 0);
    cr_assert_eq(match(HTTP_GET, "/api/users/007", &m), ROUTE_FOUND);
    cr_assert_eq(m.params[0].value, 7);
    cr_assert_eq(match(HTTP_GET, "/api/users/9223372036854775807/", &m), ROUTE_FOUND);
    cr_assert_eq(m.params[0].value, INT64_MAX);
    cr_assert_eq(match(HTTP_GET, "/api/users/9223372036854775808/", &m), ROUTE_NOT_FOUND);
    cr_assert_eq(match(HTTP_GET, "/api/users/0/", &m), ROUTE_NOT_FOUND);
    cr_assert_eq(match(HTTP_GET, "/api/users/-1/", &m), ROUTE_NOT_FOUND);
    cr_assert_eq(match(HTTP_GET, "/api/users/+1/", &m), ROUTE_NOT_FOUND);
    cr_assert_eq(match(HTTP_GET, "/api/users/1a/", &m), ROUTE_NOT_FOUND);
    cr_assert_eq(match(HTTP_GET, "/api/users/ 1/", &m), ROUTE_NOT_FOUND);
    cr_assert_eq(match(HTTP_GET, "/api/users/1/extra/", &m), ROUTE_NOT_FOUND);
}

Test(routes, unknown_paths_are_404)
{
    route_match_t m;
    cr_assert_eq(match(HTTP_GET, "/", &m), ROUTE_NOT_FOUND);
    cr_assert_eq(match(HTTP_GET, "/api/", &m), ROUTE_NOT_FOUND);
    cr_assert_eq(match(HTTP_GET, "/api/userz/", &m), ROUTE_NOT_FOUND);
    cr_assert_eq(match(HTTP_GET, "/API/users/", &m), ROUTE_NOT_FOUND);
    cr_assert_eq(match(HTTP_GET, "/healthzz", &m), ROUTE_NOT_FOUND);
}

Test(routes, wrong_method_is_405_with_allow_and_auth)
{
    route_match_t m;
    cr_assert_eq(match(HTTP_DELETE, "/api/users/3/", &m), ROUTE_METHOD_NOT_ALLOWED);
    cr_assert_null(m.route);
    cr_assert(m.auth);
    cr_assert_eq(m.allowed, HTTP_GET | HTTP_PUT | HTTP_PATCH | HTTP_HEAD | HTTP_OPTIONS);
    char allow[80];
    routes_allow(m.allowed, allow, sizeof allow);
    cr_assert_str_eq(allow, "GET, PUT, PATCH, HEAD, OPTIONS");
    cr_assert_eq(match(HTTP_GET, "/api/auth/login/", &m), ROUTE_METHOD_NOT_ALLOWED);
    cr_assert_not(m.auth);
    routes_allow(m.allowed, allow, sizeof allow);
    cr_assert_str_eq(allow, "POST, OPTIONS");
    cr_assert_eq(match(HTTP_PATCH, "/api/auth/logout/", &m), ROUTE_METHOD_NOT_ALLOWED);
    cr_assert(m.auth);
    cr_assert_eq(match(HTTP_PUT, "/api/friends/request/", &m), ROUTE_METHOD_NOT_ALLOWED);
    routes_allow(m.allowed, allow, sizeof allow);
    cr_assert_str_eq(allow, "POST, OPTIONS");
    cr_assert_eq(match(HTTP_GET, "/api/friends/request/5/", &m), ROUTE_METHOD_NOT_ALLOWED);
    routes_allow(m.allowed, allow, sizeof allow);
    cr_assert_str_eq(allow, "PUT, DELETE, OPTIONS");
}

Test(routes, head_is_get_and_options_is_known)
{
    route_match_t m;
    cr_assert_eq(match(HTTP_HEAD, "/api/users/", &m), ROUTE_FOUND);
    cr_assert_eq(m.route->method, HTTP_GET);
    cr_assert(m.route->paginated);
    cr_assert_eq(match(HTTP_HEAD, "/api/auth/login/", &m), ROUTE_METHOD_NOT_ALLOWED);
    cr_assert_eq(match(HTTP_OPTIONS, "/api/users/1/", &m), ROUTE_METHOD_NOT_ALLOWED);
    cr_assert(m.allowed & HTTP_OPTIONS);
    cr_assert_eq(match(HTTP_OPTIONS, "/nowhere/", &m), ROUTE_NOT_FOUND);
}

Test(routes, table_maps_the_api)
{
    static const struct {
        http_method_t method;
        const char *path;
        const char *service;
        const char *call;
        bool auth;
        bool paginated;
    } expected[] = {
        { HTTP_POST, "/api/auth/register/", "auth", "register", false, false },
        { HTTP_POST, "/api/auth/login/", "auth", "login", false, false },
        { HTTP_POST, "/api/auth/refresh/", "auth", "refresh", false, false },
        { HTTP_POST, "/api/auth/logout/", "auth", "logout", true, false },
        { HTTP_GET, "/api/users/", "user", "list", true, true },
        { HTTP_GET, "/api/users/me/", "user", "me", true, false },
        { HTTP_GET, "/api/users/5/", "user", "get", true, false },
        { HTTP_PUT, "/api/users/5/", "user", "update", true, false },
        { HTTP_PATCH, "/api/users/5/", "user", "partial_update", true, false },
        { HTTP_POST, "/api/friends/request/", "friend", "request_create", true, false },
        { HTTP_PUT, "/api/friends/request/5/", "friend", "request_answer", true, false },
        { HTTP_DELETE, "/api/friends/request/5/", "friend", "request_cancel", true, false },
        { HTTP_GET, "/api/friends/requests/", "friend", "request_list", true, true },
        { HTTP_GET, "/api/friends/", "friend", "list", true, true },
        { HTTP_DELETE, "/api/friends/5/", "friend", "unfriend", true, false },
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        route_match_t m;
        cr_assert_eq(match(expected[i].method, expected[i].path, &m), ROUTE_FOUND, "%s",
                     expected[i].path);
        cr_assert_eq(m.route->kind, ROUTE_BUS);
        cr_assert_str_eq(m.route->service, expected[i].service);
        cr_assert_str_eq(m.route->call, expected[i].call);
        cr_assert_eq(m.route->auth, expected[i].auth, "%s", expected[i].path);
        cr_assert_eq(m.route->paginated, expected[i].paginated, "%s", expected[i].path);
    }
    route_match_t m;
    cr_assert_eq(match(HTTP_GET, "/readyz", &m), ROUTE_FOUND);
    cr_assert_eq(m.route->kind, ROUTE_READYZ);
    cr_assert_eq(match(HTTP_GET, "/api/schema/", &m), ROUTE_FOUND);
    cr_assert_eq(m.route->kind, ROUTE_SCHEMA);
    cr_assert_eq(match(HTTP_GET, "/api/redoc/", &m), ROUTE_FOUND);
    cr_assert_eq(m.route->kind, ROUTE_REDOC);
    cr_assert_eq(match(HTTP_GET, "/api/redoc/redoc.standalone.js", &m), ROUTE_FOUND);
    cr_assert_eq(m.route->kind, ROUTE_REDOC_JS);
}

/* ---- query strings ---- */

/* A query parsed from raw text (asserting it parses). */
static query_t *parsed(const char *raw)
{
    query_t *q = query_new();
    cr_assert_not_null(q);
    cr_assert_eq(query_parse(q, raw, strlen(raw)), QUERY_OK, "%s", raw);
    return q;
}

Test(query, parses_and_decodes)
{
    query_t *q = parsed("a=1&b=x+y%21&a=2&&flag&=v&e=");
    cr_assert_eq(q->count, 6);
    cr_assert_str_eq(query_get(q, "a"), "2");
    cr_assert_str_eq(query_get(q, "b"), "x y!");
    cr_assert_str_eq(query_get(q, "flag"), "");
    cr_assert_str_eq(query_get(q, ""), "v");
    cr_assert_str_eq(query_get(q, "e"), "");
    cr_assert_null(query_get(q, "missing"));
    cr_assert_eq(query_distinct(q), 5);
    query_destroy(&q);
    cr_assert_null(q);
}

Test(query, encoded_separators_stay_in_values)
{
    query_t *q = parsed("s=a%26b%3Dc&t=%zz%2");
    cr_assert_str_eq(query_get(q, "s"), "a&b=c");
    cr_assert_str_eq(query_get(q, "t"), "%zz%2");
    query_destroy(&q);
}

Test(query, nul_is_refused)
{
    query_t *q = query_new();
    const char *raw = "search=a%00b";
    cr_assert_eq(query_parse(q, raw, strlen(raw)), QUERY_NUL);
    cr_assert_eq(query_add_fragment(q, "x=\0", 3), QUERY_NUL);
    query_destroy(&q);
}

Test(query, fragments_as_lws_gives_them)
{
    query_t *q = query_new();
    cr_assert_eq(query_add_fragment(q, "page=2", 6), QUERY_OK);
    cr_assert_eq(query_add_fragment(q, "", 0), QUERY_OK);
    cr_assert_eq(query_add_fragment(q, "x=a=b", 5), QUERY_OK);
    cr_assert_eq(query_add_fragment(q, "solo", 4), QUERY_OK);
    cr_assert_eq(q->count, 3);
    cr_assert_str_eq(query_get(q, "x"), "a=b");
    cr_assert_str_eq(query_get(q, "solo"), "");
    query_destroy(&q);
}

Test(query, invalid_utf8_becomes_replacement_characters)
{
    /* A truncated 3-byte sequence is one U+FFFD; a stray continuation byte is one. */
    query_t *q = parsed("s=%E2%82x%80%C3%A9");
    cr_assert_str_eq(query_get(q, "s"), "\xEF\xBF\xBDx\xEF\xBF\xBD\xC3\xA9");
    query_destroy(&q);
}

Test(query, encode_like_drf)
{
    query_t *q = parsed("search=caf%C3%A9+au+lait&page=3&a=2&page_size=5&a=1");
    char *s = query_encode(q, "page", "4");
    cr_assert_str_eq(s, "a=2&a=1&page=4&page_size=5&search=caf%C3%A9+au+lait");
    free(s);
    s = query_encode(q, "page", NULL);
    cr_assert_str_eq(s, "a=2&a=1&page_size=5&search=caf%C3%A9+au+lait");
    free(s);
    query_destroy(&q);
    q = query_new();
    s = query_encode(q, "page", NULL);
    cr_assert_str_eq(s, "");
    free(s);
    s = query_encode(q, "page", "2");
    cr_assert_str_eq(s, "page=2");
    free(s);
    query_destroy(&q);
}

Test(url, quoting)
{
    textbuf_t b;
    textbuf_init(&b);
    url_quote_plus(&b, "a b/~_.-*'", 10);
    url_quote_path(&b, "|/api/x y/:@&+$,!*'()~", 22);
    char *s = textbuf_take(&b, NULL);
    cr_assert_str_eq(s, "a+b%2F~_.-%2A%27%7C/api/x%20y/:@&+$,!*'()~");
    free(s);
}

/* ---- pagination ---- */

Test(pagination, python_int)
{
    int64_t v;
    int range;
    cr_assert_eq(pagination_parse_int(" 42\t", &v, &range), 0);
    cr_assert_eq(v, 42);
    cr_assert_eq(pagination_parse_int("+7", &v, &range), 0);
    cr_assert_eq(v, 7);
    cr_assert_eq(pagination_parse_int("-3", &v, &range), 0);
    cr_assert_eq(v, -3);
    cr_assert_eq(pagination_parse_int("1_000", &v, &range), 0);
    cr_assert_eq(v, 1000);
    cr_assert_eq(pagination_parse_int("007", &v, &range), 0);
    cr_assert_eq(v, 7);
    cr_assert_eq(pagination_parse_int("99999999999999999999", &v, &range), 0);
    cr_assert_eq(range, 1);
    cr_assert_eq(pagination_parse_int("-99999999999999999999", &v, &range), 0);
    cr_assert_eq(range, -1);
    cr_assert_eq(pagination_parse_int("9223372036854775807", &v, &range), 0);
    cr_assert_eq(range, 0);
    cr_assert_eq(v, INT64_MAX);
    cr_assert_eq(pagination_parse_int("9223372036854775808", &v, &range), 0);
    cr_assert_eq(range, 1);
    static const char *const bad[] = { "", " ", "abc", "1.0", "1e3", "_1", "1_", "1__0",
                                       "0x10", "+", "- 1", "1 2" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(pagination_parse_int(bad[i], &v, &range), -1, "\"%s\"", bad[i]);
}

/* Parses `raw` as a query and then its pagination. */
static int paginate(const char *raw, page_request_t *p)
{
    query_t *q = query_new();
    cr_assert_eq(query_parse(q, raw, strlen(raw)), QUERY_OK);
    int rc = pagination_parse(q, p);
    query_destroy(&q);
    return rc;
}

Test(pagination, drf_rules)
{
    page_request_t p;
    cr_assert_eq(paginate("", &p), 0);
    cr_assert_eq(p.page, 1);
    cr_assert_eq(p.size, 20);
    cr_assert_eq(paginate("page=3&page_size=7", &p), 0);
    cr_assert_eq(p.page, 3);
    cr_assert_eq(p.size, 7);
    cr_assert_eq(paginate("page=", &p), 0);               /* `... or 1` */
    cr_assert_eq(p.page, 1);
    cr_assert_eq(paginate("page=2&page=5", &p), 0);       /* last value wins */
    cr_assert_eq(p.page, 5);
    cr_assert_eq(paginate("page=+2", &p), 0);             /* '+' is a space: " 2" */
    cr_assert_eq(p.page, 2);
    static const char *const invalid[] = { "page=0", "page=-1", "page=abc", "page=1.5",
                                           "page=99999999999999999999", "page=last" };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        cr_assert_eq(paginate(invalid[i], &p), -1, "%s", invalid[i]);
    cr_assert_eq(paginate("page_size=0", &p), 0);
    cr_assert_eq(p.size, 20);
    cr_assert_eq(paginate("page_size=-4", &p), 0);
    cr_assert_eq(p.size, 20);
    cr_assert_eq(paginate("page_size=x", &p), 0);
    cr_assert_eq(p.size, 20);
    cr_assert_eq(paginate("page_size=", &p), 0);
    cr_assert_eq(p.size, 20);
    cr_assert_eq(paginate("page_size=101", &p), 0);
    cr_assert_eq(p.size, 100);
    cr_assert_eq(paginate("page_size=99999999999999999999", &p), 0);
    cr_assert_eq(p.size, 100);
    cr_assert_eq(paginate("page_size=100", &p), 0);
    cr_assert_eq(p.size, 100);
}

Test(pagination, has_next)
{
    page_request_t p = { 1, 20 };
    cr_assert_not(pagination_has_next(&p, 0));
    cr_assert_not(pagination_has_next(&p, 20));
    cr_assert(pagination_has_next(&p, 21));
    p.page = 2;
    cr_assert_not(pagination_has_next(&p, 40));
    cr_assert(pagination_has_next(&p, 41));
    p = (page_request_t) { 1, 100 };
    cr_assert(pagination_has_next(&p, INT64_MAX));
}

Test(pagination, links_like_drf)
{
    query_t *q = parsed("search=bo&page=2&page_size=1");
    char *next = pagination_link("example.com:8000", "/api/users/", q, 3);
    cr_assert_str_eq(next, "http://example.com:8000/api/users/?page=3&page_size=1&search=bo");
    char *previous = pagination_link("example.com:8000", "/api/users/", q, 1);
    cr_assert_str_eq(previous, "http://example.com:8000/api/users/?page_size=1&search=bo");
    free(next);
    free(previous);
    query_destroy(&q);
    q = query_new();
    previous = pagination_link("h", "/api/friends", q, 1);
    cr_assert_str_eq(previous, "http://h/api/friends");
    free(previous);
    query_destroy(&q);
}

/* ---- CORS ---- */

Test(cors, allow_list)
{
    cors_t *c = cors_new(" https://app.example.com , http://localhost:3000,");
    cr_assert_not_null(c);
    cr_assert(cors_enabled(c));
    const char *o = "https://app.example.com";
    cr_assert_str_eq(cors_allowed(c, o, strlen(o)), "https://app.example.com");
    o = "HTTPS://app.example.com";
    cr_assert_not_null(cors_allowed(c, o, strlen(o)));
    o = "http://localhost:3000";
    cr_assert_not_null(cors_allowed(c, o, strlen(o)));
    static const char *const refused[] = { "https://evil.example.com", "http://app.example.com",
                                           "https://app.example.com:443", "http://localhost",
                                           "null", "", "https://app.example.com/" };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        cr_assert_null(cors_allowed(c, refused[i], strlen(refused[i])), "%s", refused[i]);
    cr_assert_null(cors_allowed(c, "https://app.example.com\0x", 25));
    cors_destroy(&c);
    cr_assert_null(c);
}

Test(cors, empty_and_invalid_lists)
{
    cors_t *c = cors_new("");
    cr_assert_not_null(c);
    cr_assert_not(cors_enabled(c));
    cr_assert_null(cors_allowed(c, "http://a", 8));
    cors_destroy(&c);
    c = cors_new(NULL);
    cr_assert_not(cors_enabled(c));
    cors_destroy(&c);
    cr_assert_null(cors_new("app.example.com"));
    cr_assert_null(cors_new("https://app.example.com/path"));
    cr_assert_null(cors_new("1http://x"));
}

/* ---- Host header ---- */

Test(request, host_validation_like_django)
{
    static const char *const good[] = { "example.com", "API.Example.com:8000", "127.0.0.1",
                                        "localhost:1", "[::1]", "[::1]:8000", "[2001:db8::1]",
                                        "a-b.c" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        cr_assert(request_valid_host(good[i], strlen(good[i])), "%s", good[i]);
    static const char *const bad[] = { "", ":80", "exa mple.com", "example.com:", "ex_ample.com",
                                       "example.com:80a", "[::1", "[]", "[zz::1]", "[1.2.3.4]",
                                       "evil.com/path", "a\"b", "\xc3\xa9.com" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_not(request_valid_host(bad[i], strlen(bad[i])), "%s", bad[i]);
}

/* ---- Authorization header ---- */

Test(bearer, simplejwt_rules)
{
    const char *token;
    size_t len;
    const char *h = "Bearer abc.def.ghi";
    cr_assert_eq(bearer_token(h, strlen(h), &token, &len), 0);
    cr_assert_eq(len, 11);
    cr_assert_eq(strncmp(token, "abc.def.ghi", len), 0);
    h = "Bearer   tok \t";
    cr_assert_eq(bearer_token(h, strlen(h), &token, &len), 0);
    cr_assert_eq(len, 3);
    static const char *const bad[] = { "", "Bearer", "Bearer ", "bearer tok", "Basic tok",
                                       "Bearer a b", "Token tok", "Bearertok" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(bearer_token(bad[i], strlen(bad[i]), &token, &len), -1, "\"%s\"", bad[i]);
    cr_assert_eq(bearer_token("Bearer a\0b", 10, &token, &len), -1);
}

/* ---- calls in flight ---- */

Test(pending, take_and_expire)
{
    pending_t *p = pending_new();
    int owners[300];
    for (int i = 0; i < 300; i++)
        cr_assert_eq(pending_add(p, (uint64_t) i + 1, &owners[i], 1000 + i), 0);
    cr_assert_eq(pending_size(p), 300);
    cr_assert_eq(pending_take(p, 150), &owners[149]);
    cr_assert_null(pending_take(p, 150));
    cr_assert_null(pending_take(p, 999));
    uint64_t id;
    cr_assert_null(pending_expire(p, 999, &id));
    cr_assert_eq(pending_expire(p, 1001, &id), &owners[0]);
    cr_assert_eq(id, 1);
    cr_assert_eq(pending_expire(p, 1001, &id), &owners[1]);
    cr_assert_null(pending_expire(p, 1001, &id));
    cr_assert_eq(pending_take(p, 300), &owners[299]);
    cr_assert_eq(pending_size(p), 296);
    int expired = 0;
    while (pending_expire(p, 1 << 20, &id))
        expired++;
    cr_assert_eq(expired, 296);
    cr_assert_eq(pending_size(p), 0);
    pending_add(p, 7, &owners[0], 5);
    pending_destroy(&p);
    cr_assert_null(p);
}

/* ---- the bus request body ---- */

Test(bus_body, packs_path_query_data_and_page)
{
    route_match_t m;
    cr_assert_eq(match(HTTP_PUT, "/api/friends/request/12/", &m), ROUTE_FOUND);
    query_t *q = parsed("x=1&x=2&y=");
    json_t *data = json_pack("{s:s, s:i}", "status", "accepted", "n", 3);
    page_request_t page = { 2, 50 };
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    cr_assert_eq(bus_body_pack(&pk, &m, q, data, &page), 0);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    cr_assert_eq(msgpack_unpack_next(&u, sb.data, sb.size, NULL), MSGPACK_UNPACK_SUCCESS);
    const msgpack_object *body = &u.data;
    cr_assert_eq(body->via.map.size, 5);
    int64_t v;
    cr_assert_eq(proto_get_int(proto_map_get(body, "path"), "id", &v), PROTO_FIELD_OK);
    cr_assert_eq(v, 12);
    const char *s;
    size_t len;
    const msgpack_object *query = proto_map_get(body, "query");
    cr_assert_eq(query->via.map.size, 2);
    cr_assert_eq(proto_get_str(query, "x", &s, &len), PROTO_FIELD_OK);
    cr_assert_eq(len, 1);
    cr_assert_eq(s[0], '2');
    cr_assert_eq(proto_get_str(query, "y", &s, &len), PROTO_FIELD_OK);
    cr_assert_eq(len, 0);
    cr_assert_eq(proto_get_str(proto_map_get(body, "data"), "status", &s, &len), PROTO_FIELD_OK);
    cr_assert_eq(proto_get_int(body, "page", &v), PROTO_FIELD_OK);
    cr_assert_eq(v, 2);
    cr_assert_eq(proto_get_int(body, "page_size", &v), PROTO_FIELD_OK);
    cr_assert_eq(v, 50);
    msgpack_unpacked_destroy(&u);
    msgpack_sbuffer_destroy(&sb);
    json_decref(data);
    query_destroy(&q);
}

Test(bus_body, minimal_body_has_only_query)
{
    route_match_t m;
    cr_assert_eq(match(HTTP_GET, "/api/users/me/", &m), ROUTE_FOUND);
    query_t *q = query_new();
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    cr_assert_eq(bus_body_pack(&pk, &m, q, NULL, NULL), 0);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    cr_assert_eq(msgpack_unpack_next(&u, sb.data, sb.size, NULL), MSGPACK_UNPACK_SUCCESS);
    cr_assert_eq(u.data.via.map.size, 1);
    cr_assert_eq(proto_map_get(&u.data, "query")->via.map.size, 0);
    msgpack_unpacked_destroy(&u);
    msgpack_sbuffer_destroy(&sb);
    query_destroy(&q);
}

/* ---- reply to response ---- */

/* Decodes a reply with `status` and a body given as JSON text (NULL: nil). */
static void make_reply(int status, const char *body_json, proto_msg_t *msg,
                       msgpack_sbuffer *sb)
{
    msgpack_sbuffer_init(sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
    proto_reply_begin(&pk, 9, status);
    if (body_json) {
        json_t *v = json_loads(body_json, JSON_DECODE_ANY, NULL);
        cr_assert_not_null(v);
        cr_assert_eq(proto_json_pack(&pk, v), 0);
        json_decref(v);
    } else {
        msgpack_pack_nil(&pk);
    }
    cr_assert_eq(proto_reply_decode(sb->data, sb->size, msg), 0);
}

/* Runs reply_to_response and returns the response (caller clears it). */
static response_t convert(int status, const char *body_json, const reply_links_t *links)
{
    proto_msg_t msg;
    msgpack_sbuffer sb;
    make_reply(status, body_json, &msg, &sb);
    response_t r;
    memset(&r, 0, sizeof r);
    reply_to_response(&msg, links, &r);
    proto_msg_release(&msg);
    msgpack_sbuffer_destroy(&sb);
    return r;
}

/* The response body as a string (for comparisons). */
static char *body_of(const response_t *r)
{
    return strndup(r->body ? r->body : "", r->body_len);
}

Test(reply, statuses_and_bodies)
{
    response_t r = convert(PROTO_OK, "{\"id\":1,\"name\":\"caf\\u00e9\"}", NULL);
    char *b = body_of(&r);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(b, "{\"id\":1,\"name\":\"caf\xC3\xA9\"}");
    free(b);
    response_clear(&r);

    r = convert(PROTO_CREATED, "{\"id\":2}", NULL);
    cr_assert_eq(r.status, 201);
    response_clear(&r);

    r = convert(PROTO_NO_CONTENT, NULL, NULL);
    cr_assert_eq(r.status, 204);
    cr_assert_eq(r.body_len, 0);
    cr_assert_null(r.content_type);
    response_clear(&r);

    r = convert(PROTO_RESET_CONTENT, "{\"ignored\":1}", NULL);
    cr_assert_eq(r.status, 205);
    cr_assert_eq(r.body_len, 0);
    response_clear(&r);

    r = convert(PROTO_INVALID, "{\"email\":[\"Enter a valid email address.\"]}", NULL);
    b = body_of(&r);
    cr_assert_eq(r.status, 400);
    cr_assert_str_eq(b, "{\"email\":[\"Enter a valid email address.\"]}");
    free(b);
    response_clear(&r);

    r = convert(PROTO_NOT_FOUND, NULL, NULL);
    b = body_of(&r);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(b, "{\"detail\":\"Not found.\"}");
    free(b);
    response_clear(&r);

    r = convert(PROTO_UNAUTHORIZED, "{\"detail\":\"User not found\",\"code\":\"user_not_found\"}", NULL);
    cr_assert_eq(r.status, 401);
    cr_assert(r.www_authenticate);
    response_clear(&r);

    r = convert(PROTO_UNAVAILABLE, NULL, NULL);
    b = body_of(&r);
    cr_assert_eq(r.status, 503);
    cr_assert_eq(r.retry_after, 1);
    cr_assert_str_eq(b, "{\"detail\":\"Service temporarily unavailable.\"}");
    free(b);
    response_clear(&r);

    r = convert(PROTO_THROTTLED,
                "{\"detail\":\"Request was throttled. Expected available in 17 seconds.\"}", NULL);
    cr_assert_eq(r.status, 429);
    cr_assert_eq(r.retry_after, 17);
    response_clear(&r);
}

Test(reply, internal_errors_never_show_their_body)
{
    response_t r = convert(PROTO_INTERNAL, "{\"detail\":\"SELECT * FROM secrets\"}", NULL);
    char *b = body_of(&r);
    cr_assert_eq(r.status, 500);
    cr_assert_str_eq(b, "{\"detail\":\"A server error occurred.\"}");
    free(b);
    response_clear(&r);
    /* An error with a non-map body falls back to the default detail. */
    r = convert(PROTO_FORBIDDEN, "[\"oops\"]", NULL);
    b = body_of(&r);
    cr_assert_eq(r.status, 403);
    cr_assert_str_eq(b, "{\"detail\":\"You do not have permission to perform this action.\"}");
    free(b);
    response_clear(&r);
}

Test(reply, paginated_links)
{
    query_t *q = parsed("page=2&page_size=2");
    reply_links_t links = { "api.test", "/api/users/", q, { 2, 2 } };
    response_t r = convert(PROTO_OK, "{\"count\":5,\"results\":[{\"id\":3},{\"id\":4}]}", &links);
    char *b = body_of(&r);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(b, "{\"count\":5,\"next\":\"http://api.test/api/users/?page=3&page_size=2\","
                        "\"previous\":\"http://api.test/api/users/?page_size=2\","
                        "\"results\":[{\"id\":3},{\"id\":4}]}");
    free(b);
    response_clear(&r);
    links.page = (page_request_t) { 1, 20 };
    r = convert(PROTO_OK, "{\"count\":0,\"results\":[]}", &links);
    b = body_of(&r);
    cr_assert_str_eq(b, "{\"count\":0,\"next\":null,\"previous\":null,\"results\":[]}");
    free(b);
    response_clear(&r);
    r = convert(PROTO_OK, "{\"results\":[]}", &links);
    cr_assert_eq(r.status, 500);
    response_clear(&r);
    /* Errors of paginated routes pass through like any other. */
    r = convert(PROTO_NOT_FOUND, "{\"detail\":\"Invalid page.\"}", &links);
    b = body_of(&r);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(b, "{\"detail\":\"Invalid page.\"}");
    free(b);
    response_clear(&r);
    query_destroy(&q);
}
