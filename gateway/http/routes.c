/*  routes.c: the routing table and its matcher. See routes.h.
 *
 *  To add an endpoint, add a row here and describe it in openapi.json (the unit test
 *  test/unit/routes.c checks both agree). A new kind of built-in handler also needs a
 *  route_kind_t value and a case in http.c.
 */
#include "routes.h"

#include <string.h>

static const route_t routes[] = {
/*    method       path                              kind            service   call              auth   paged */
    { HTTP_POST,   "/api/auth/register/",            ROUTE_BUS,      "auth",   "register",       false, false },
    { HTTP_POST,   "/api/auth/login/",               ROUTE_BUS,      "auth",   "login",          false, false },
    { HTTP_POST,   "/api/auth/refresh/",             ROUTE_BUS,      "auth",   "refresh",        false, false },
    { HTTP_POST,   "/api/auth/logout/",              ROUTE_BUS,      "auth",   "logout",         true,  false },
    { HTTP_GET,    "/api/users/",                    ROUTE_BUS,      "user",   "list",           true,  true  },
    { HTTP_GET,    "/api/users/me/",                 ROUTE_BUS,      "user",   "me",             true,  false },
    { HTTP_GET,    "/api/users/{id}/",               ROUTE_BUS,      "user",   "get",            true,  false },
    { HTTP_PUT,    "/api/users/{id}/",               ROUTE_BUS,      "user",   "update",         true,  false },
    { HTTP_PATCH,  "/api/users/{id}/",               ROUTE_BUS,      "user",   "partial_update", true,  false },
    { HTTP_POST,   "/api/friends/request/",          ROUTE_BUS,      "friend", "request_create", true,  false },
    { HTTP_PUT,    "/api/friends/request/{id}/",     ROUTE_BUS,      "friend", "request_answer", true,  false },
    { HTTP_DELETE, "/api/friends/request/{id}/",     ROUTE_BUS,      "friend", "request_cancel", true,  false },
    { HTTP_GET,    "/api/friends/requests/",         ROUTE_BUS,      "friend", "request_list",   true,  true  },
    { HTTP_GET,    "/api/friends/",                  ROUTE_BUS,      "friend", "list",           true,  true  },
    { HTTP_DELETE, "/api/friends/{id}/",             ROUTE_BUS,      "friend", "unfriend",       true,  false },
    { HTTP_GET,    "/api/notifications/",            ROUTE_BUS,      "notification", "list",      true,  true  },
    { HTTP_GET,    "/api/notifications/unread-count/", ROUTE_BUS,    "notification", "unread_count", true, false },
    { HTTP_PUT,    "/api/notifications/read-all/",   ROUTE_BUS,      "notification", "read_all",  true,  false },
    { HTTP_PUT,    "/api/notifications/{id}/read/",  ROUTE_BUS,      "notification", "read",      true,  false },
    { HTTP_DELETE, "/api/notifications/{id}/",       ROUTE_BUS,      "notification", "delete",    true,  false },
    { HTTP_GET,    "/api/chat/conversations/",       ROUTE_BUS,      "chat",   "conversations",  true,  true  },
    { HTTP_GET,    "/api/chat/{id}/messages/",       ROUTE_BUS,      "chat",   "history",        true,  false },
    { HTTP_POST,   "/api/chat/{id}/messages/",       ROUTE_BUS,      "chat",   "send",           true,  false },
    { HTTP_PUT,    "/api/chat/{id}/read/",           ROUTE_BUS,      "chat",   "read",           true,  false },
    { HTTP_GET,    "/healthz",                       ROUTE_HEALTHZ,  NULL,     NULL,             false, false },
    { HTTP_GET,    "/readyz",                        ROUTE_READYZ,   NULL,     NULL,             false, false },
    { HTTP_GET,    "/api/schema/",                   ROUTE_SCHEMA,   NULL,     NULL,             false, false },
    { HTTP_GET,    "/api/redoc/",                    ROUTE_REDOC,    NULL,     NULL,             false, false },
    { HTTP_GET,    "/api/redoc/redoc.standalone.js", ROUTE_REDOC_JS, NULL,     NULL,             false, false },
};

/* Method names in DRF's order (http_method_names), used for Allow. */
static const struct {
    http_method_t method;      /* the method */
    const char *name;          /* its name on the wire */
} method_names[] = {
    { HTTP_GET, "GET" }, { HTTP_POST, "POST" }, { HTTP_PUT, "PUT" },
    { HTTP_PATCH, "PATCH" }, { HTTP_DELETE, "DELETE" }, { HTTP_HEAD, "HEAD" },
    { HTTP_OPTIONS, "OPTIONS" },
};

const char *http_method_name(http_method_t method)
{
    for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++)
        if (method_names[i].method == method)
            return method_names[i].name;
    return "";
}

const route_t *routes_table(size_t *count)
{
    *count = sizeof routes / sizeof routes[0];
    return routes;
}

/* Parses an id segment: ASCII digits only, value 1..INT64_MAX. Returns 0 or -1. */
static int parse_id(const char *text, size_t len, int64_t *value)
{
    if (len == 0)
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        int digit = text[i] - '0';
        if (v > (INT64_MAX - digit) / 10)
            return -1;
        v = v * 10 + digit;
    }
    if (v < 1)
        return -1;
    *value = v;
    return 0;
}

/*  Matches one pattern against a path, both without their trailing '/'. Captures
 *  "{name}" segments into params. Returns the number of parameters, or -1. */
static int match_pattern(const char *pattern, size_t plen, const char *path, size_t len,
                         route_param_t *params)
{
    int count = 0;
    size_t i = 0, j = 0;
    while (i < plen && j < len) {
        if (pattern[i] != '/' || path[j] != '/')
            return -1;
        i++;
        j++;
        size_t pend = i, send = j;
        while (pend < plen && pattern[pend] != '/')
            pend++;
        while (send < len && path[send] != '/')
            send++;
        size_t pseg = pend - i, sseg = send - j;
        if (pseg >= 2 && pattern[i] == '{' && pattern[pend - 1] == '}') {
            if (count == ROUTE_MAX_PARAMS || parse_id(path + j, sseg, &params[count].value) != 0)
                return -1;
            params[count].name = pattern + i + 1;
            params[count].name_len = pseg - 2;
            count++;
        } else if (pseg != sseg || memcmp(pattern + i, path + j, pseg) != 0) {
            return -1;
        }
        i = pend;
        j = send;
    }
    return i == plen && j == len ? count : -1;
}

route_result_t routes_match(http_method_t method, const char *path, size_t len,
                            route_match_t *match)
{
    memset(match, 0, sizeof *match);
    http_method_t wanted = method == HTTP_HEAD ? HTTP_GET : method;
    if (len > 1 && path[len - 1] == '/')
        len--;
    bool known = false;
    for (size_t r = 0; r < sizeof routes / sizeof routes[0]; r++) {
        const route_t *row = &routes[r];
        size_t plen = strlen(row->pattern);
        if (plen > 1 && row->pattern[plen - 1] == '/')
            plen--;
        route_param_t params[ROUTE_MAX_PARAMS];
        int count = match_pattern(row->pattern, plen, path, len, params);
        if (count < 0)
            continue;
        known = true;
        match->allowed |= row->method;
        match->auth = match->auth || row->auth;
        if (row->method == wanted && !match->route) {
            match->route = row;
            match->param_count = (size_t) count;
            memcpy(match->params, params, (size_t) count * sizeof params[0]);
        }
    }
    if (!known)
        return ROUTE_NOT_FOUND;
    if (match->allowed & HTTP_GET)
        match->allowed |= HTTP_HEAD;
    match->allowed |= HTTP_OPTIONS;
    if (method == HTTP_OPTIONS)
        match->route = NULL;
    return match->route ? ROUTE_FOUND : ROUTE_METHOD_NOT_ALLOWED;
}

size_t routes_allow(unsigned methods, char *buf, size_t size)
{
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++) {
        if (!(methods & method_names[i].method))
            continue;
        const char *sep = used ? ", " : "";
        size_t need = strlen(sep) + strlen(method_names[i].name);
        if (used + need + 1 > size)
            break;
        memcpy(buf + used, sep, strlen(sep));
        memcpy(buf + used + strlen(sep), method_names[i].name, strlen(method_names[i].name));
        used += need;
        buf[used] = '\0';
    }
    return used;
}
