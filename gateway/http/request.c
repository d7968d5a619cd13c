/*  request.c: reading what lws parsed. See request.h. */
#include "request.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "bearer.h"
#include "token.h"

http_method_t request_method(struct lws *wsi)
{
    static const struct {
        enum lws_token_indexes token;   /* lws header index of the method's URI */
        http_method_t method;           /* the method */
    } methods[] = {
        { WSI_TOKEN_GET_URI, HTTP_GET },       { WSI_TOKEN_POST_URI, HTTP_POST },
        { WSI_TOKEN_PUT_URI, HTTP_PUT },       { WSI_TOKEN_PATCH_URI, HTTP_PATCH },
        { WSI_TOKEN_DELETE_URI, HTTP_DELETE }, { WSI_TOKEN_HEAD_URI, HTTP_HEAD },
        { WSI_TOKEN_OPTIONS_URI, HTTP_OPTIONS },
    };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (lws_hdr_total_length(wsi, methods[i].token) > 0)
            return methods[i].method;
    return 0;
}

char *request_header(struct lws *wsi, enum lws_token_indexes h, size_t *len)
{
    int total = lws_hdr_total_length(wsi, h);
    if (total <= 0)
        return NULL;
    char *buf = malloc((size_t) total + 1);
    if (!buf)
        return NULL;
    int n = lws_hdr_copy(wsi, buf, total + 1, h);
    if (n < 0) {
        free(buf);
        return NULL;
    }
    *len = (size_t) n;
    return buf;
}

void request_framing(struct lws *wsi, request_framing_t *framing)
{
    memset(framing, 0, sizeof *framing);
    framing->chunked = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
    size_t len = 0;
    char *text = request_header(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, &len);
    if (!text)
        return;
    framing->has_length = true;
    if (len == 0 || strspn(text, "0123456789") != len)
        framing->bad_length = true;
    for (size_t i = 0; i < len && !framing->bad_length; i++) {
        uint64_t digit = (uint64_t) (text[i] - '0');
        framing->length = framing->length > (UINT64_MAX - digit) / 10
                              ? UINT64_MAX : framing->length * 10 + digit;
    }
    free(text);
}

query_status_t request_query(struct lws *wsi, query_t *query)
{
    int total = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS);
    if (total <= 0)
        return QUERY_OK;
    char *buf = malloc((size_t) total + 1);
    if (!buf)
        return QUERY_NOMEM;
    query_status_t rc = QUERY_OK;
    for (int i = 0; rc == QUERY_OK; i++) {
        int n = lws_hdr_copy_fragment(wsi, buf, total + 1, WSI_TOKEN_HTTP_URI_ARGS, i);
        if (n < 0)
            break;
        rc = query_add_fragment(query, buf, (size_t) n);
    }
    free(buf);
    return rc;
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

char *request_host(struct lws *wsi, int port)
{
    size_t len = 0;
    char *host = request_header(wsi, WSI_TOKEN_HOST, &len);
    if (host && len < 256 && !memchr(host, '\0', len) && request_valid_host(host, len))
        return host;
    free(host);
    char fallback[32];
    snprintf(fallback, sizeof fallback, "localhost:%d", port);
    return strdup(fallback);
}

request_auth_t request_authenticate(struct lws *wsi, const unsigned char *secret,
                                    size_t secret_len, int64_t *user_id)
{
    size_t len = 0;
    char *header = request_header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, &len);
    if (!header)
        return REQUEST_AUTH_MISSING;
    request_auth_t result = REQUEST_AUTH_MISSING;
    const char *token;
    size_t token_len;
    if (bearer_token(header, len, &token, &token_len) == 0) {
        header[(size_t) (token - header) + token_len] = '\0';
        token_claims_t claims;
        if (token_verify(secret, secret_len, token, TOKEN_ACCESS, time(NULL), &claims) == 0) {
            *user_id = claims.user_id;
            result = REQUEST_AUTH_OK;
        } else {
            result = REQUEST_AUTH_INVALID;
        }
    }
    free(header);
    return result;
}

bool request_http10_keep_alive(struct lws *wsi)
{
    char version[16], connection[32];
    return lws_hdr_copy(wsi, version, sizeof version, WSI_TOKEN_HTTP) > 0
           && strcmp(version, "HTTP/1.0") == 0
           && lws_hdr_copy(wsi, connection, sizeof connection, WSI_TOKEN_CONNECTION) > 0
           && strcasecmp(connection, "keep-alive") == 0;
}

void request_client_address(struct lws *wsi, const client_proxies_t *proxies,
                            char out[CLIENT_ADDRESS_MAX])
{
    out[0] = '\0';
    struct sockaddr_storage peer;
    socklen_t peer_len = sizeof peer;
    int fd = lws_get_socket_fd(wsi);
    if (fd < 0 || getpeername(fd, (struct sockaddr *) &peer, &peer_len) != 0)
        return;
    size_t len = 0;
    char *forwarded = proxies->count > 0 ? request_header(wsi, WSI_TOKEN_X_FORWARDED_FOR, &len)
                                         : NULL;
    client_address_resolve(proxies, (struct sockaddr *) &peer, forwarded, len, out);
    free(forwarded);
}
