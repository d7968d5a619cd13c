/*  request.c: reading a parsed request head. See request.h. */
#include "request.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "bearer.h"

http_method_t request_method(const head_t *head)
{
    static const struct {
        const char *name;               /* method name on the wire */
        http_method_t method;           /* the method */
    } methods[] = {
        { "GET", HTTP_GET },       { "POST", HTTP_POST },     { "PUT", HTTP_PUT },
        { "PATCH", HTTP_PATCH },   { "DELETE", HTTP_DELETE }, { "HEAD", HTTP_HEAD },
        { "OPTIONS", HTTP_OPTIONS },
    };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (head->method && strcmp(head->method, methods[i].name) == 0)
            return methods[i].method;
    return 0;
}

/* Length of the target's path part (up to '?' or '#'). */
static size_t path_length(const head_t *head)
{
    size_t n = 0;
    while (n < head->target_len && head->target[n] != '?' && head->target[n] != '#')
        n++;
    return n;
}

/* The value of a hex digit, or -1. */
static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char) tolower((unsigned char) c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *request_path(const head_t *head, size_t *len)
{
    size_t n = path_length(head);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *t = head->target;
        int hi, lo;
        if (t[i] == '%' && i + 2 < n && (hi = hex(t[i + 1])) >= 0
            && (lo = hex(t[i + 2])) >= 0) {
            out[o++] = (char) (hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = t[i];
        }
    }
    out[o] = '\0';
    *len = o;
    return out;
}

query_status_t request_query(const head_t *head, query_t *query)
{
    const char *q = memchr(head->target, '?', head->target_len);
    if (!q)
        return QUERY_OK;
    size_t start = (size_t) (q - head->target) + 1;
    const char *hash = memchr(q, '#', head->target_len - start + 1);
    size_t stop = hash ? (size_t) (hash - head->target) : head->target_len;
    return query_parse(query, head->target + start, stop - start);
}

bool request_valid_host(const char *host, size_t len)
{
    size_t i = 0;
    if (len && host[0] == '[') {
        const char *close = memchr(host, ']', len);
        if (!close || close == host + 1)
            return false;
        bool colon = false;
        for (i = 1; host + i < close; i++) {
            char c = (char) tolower((unsigned char) host[i]);
            colon = colon || c == ':';
            if (!isxdigit((unsigned char) c) && c != ':' && c != '.')
                return false;
        }
        if (!colon)
            return false;
        i++;
    } else {
        while (i < len && (isalnum((unsigned char) host[i]) || host[i] == '.' || host[i] == '-'))
            i++;
        if (i == 0)
            return false;
    }
    if (i == len)
        return true;
    if (host[i] != ':' || i + 1 == len)
        return false;
    for (i++; i < len; i++)
        if (!isdigit((unsigned char) host[i]))
            return false;
    return true;
}

char *request_host(const head_t *head, int port)
{
    size_t len = 0;
    const char *host = head_field(head, "host", &len);
    if (host && len < 256 && request_valid_host(host, len))
        return strndup(host, len);
    char fallback[32];
    snprintf(fallback, sizeof fallback, "localhost:%d", port);
    return strdup(fallback);
}

request_auth_t request_authenticate(const head_t *head, access_tokens_t *tokens, time_t now,
                                    int64_t *user_id)
{
    size_t len = 0;
    const char *value = head_field(head, "authorization", &len);
    const char *token;
    size_t token_len;
    if (!value || bearer_token(value, len, &token, &token_len) != 0)
        return REQUEST_AUTH_MISSING;
    return access_tokens_verify(tokens, token, token_len, now, user_id) == 0
               ? REQUEST_AUTH_OK : REQUEST_AUTH_INVALID;
}

bool request_http10_keep_alive(const head_t *head)
{
    return head->major == 1 && head->minor == 0 && head->keep_alive;
}

void request_client_address(const head_t *head, const struct sockaddr *peer,
                            const client_proxies_t *proxies, char out[CLIENT_ADDRESS_MAX])
{
    /* X-Forwarded-For given several times is one list, in order (RFC 9110 5.3). */
    char joined[HEAD_MAX];
    size_t len = 0;
    for (size_t i = 0; proxies->count > 0 && i < head->count; i++) {
        const head_field_t *f = &head->fields[i];
        if (f->name_len != sizeof "x-forwarded-for" - 1
            || strncasecmp(f->name, "x-forwarded-for", f->name_len) != 0)
            continue;
        if (len > 0 && len < sizeof joined)
            joined[len++] = ',';
        size_t n = f->value_len < sizeof joined - len ? f->value_len : sizeof joined - len;
        memcpy(joined + len, f->value, n);
        len += n;
    }
    client_address_resolve(proxies, peer, joined, len, out);
}
