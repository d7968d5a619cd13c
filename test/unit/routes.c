/*  Unit tests of routes.c: the routing table against the embedded OpenAPI
 *  document (docs.h), and route matching. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "docs.h"
#include "routes.h"

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
