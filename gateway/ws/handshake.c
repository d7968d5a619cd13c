/*  handshake.c: the opening handshake. See handshake.h. */
#include "handshake.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Fields called name (any case), and the last one's value in *value / *len. */
static size_t count_fields(const head_t *head, const char *name, const char **value,
                           size_t *len)
{
    size_t n = 0, name_len = strlen(name);
    for (size_t i = 0; i < head->count; i++) {
        const head_field_t *f = &head->fields[i];
        if (f->name_len == name_len && strncasecmp(f->name, name, name_len) == 0) {
            n++;
            *value = f->value;
            *len = f->value_len;
        }
    }
    return n;
}

bool ws_handshake_wanted(const head_t *head, const char *path, size_t path_len)
{
    const char *value = NULL;
    size_t len = 0;
    if (count_fields(head, "upgrade", &value, &len) != 1 || len != 9
        || strncasecmp(value, "websocket", 9) != 0)
        return false;
    size_t base = sizeof WS_PATH - 2;          /* without the trailing slash */
    return (path_len == base || path_len == base + 1)
           && memcmp(path, WS_PATH, path_len) == 0;
}

/* True for the base64 of 16 bytes: 22 characters of the alphabet, then "==". */
static bool valid_key(const char *key, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (len != WS_KEY_LEN || key[22] != '=' || key[23] != '=')
        return false;
    for (size_t i = 0; i < 22; i++)
        if (!memchr(alphabet, key[i], sizeof alphabet - 1))
            return false;
    return true;
}

ws_handshake_status_t ws_handshake_check(const head_t *head, char key[WS_KEY_LEN + 1])
{
    const char *value = NULL;
    size_t len = 0;
    if (!head->method || strcmp(head->method, "GET") != 0 || head->major != 1 || head->minor < 1
        || head->chunked || (head->has_length && head->length > 0))
        return WS_HANDSHAKE_BAD;
    if (count_fields(head, "host", &value, &len) != 1 || len == 0)
        return WS_HANDSHAKE_BAD;
    if (!head_lists(head, "connection", "upgrade"))
        return WS_HANDSHAKE_BAD;
    if (count_fields(head, "sec-websocket-version", &value, &len) != 1)
        return WS_HANDSHAKE_BAD;
    if (len != 2 || memcmp(value, "13", 2) != 0)
        return WS_HANDSHAKE_VERSION;
    if (count_fields(head, "sec-websocket-key", &value, &len) != 1 || !valid_key(value, len))
        return WS_HANDSHAKE_BAD;
    memcpy(key, value, WS_KEY_LEN);
    key[WS_KEY_LEN] = '\0';
    return WS_HANDSHAKE_OK;
}

size_t ws_handshake_head(const char *key, char *out, size_t size)
{
    if (!valid_key(key, strnlen(key, WS_KEY_LEN + 1)))
        return 0;
    int n = snprintf(out, size,
                     "GET " WS_PATH " HTTP/1.1\r\n"
                     "Host: gateway\r\n"
                     "Upgrade: websocket\r\n"
                     "Connection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\n"
                     "Sec-WebSocket-Version: 13\r\n"
                     "\r\n", key);
    return n > 0 && (size_t) n < size ? (size_t) n : 0;
}
