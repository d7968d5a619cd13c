/*  Unit tests of gateway/ws/handshake.c: which upgrades are the endpoint's, the
 *  RFC 6455 fields, and the head lws is given. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "handshake.h"

static char buf[4096];
static head_t head;

/* Parses a head built from lines (each ending in CRLF, then the blank line). */
static void parse(const char *request_line, const char *fields)
{
    snprintf(buf, sizeof buf, "%s\r\n%s\r\n", request_line, fields);
    cr_assert_eq(head_parse(buf, strlen(buf), &head), HEAD_OK, "%s", buf);
}

#define GOOD_FIELDS "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" \
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"

Test(ws_handshake, only_websocket_upgrades_of_the_endpoint_are_wanted)
{
    parse("GET /ws/main/?token=x HTTP/1.1", GOOD_FIELDS);
    cr_assert(ws_handshake_wanted(&head, "/ws/main/", 9));
    cr_assert(ws_handshake_wanted(&head, "/ws/main", 8));
    cr_assert_not(ws_handshake_wanted(&head, "/api/users/", 11));
    cr_assert_not(ws_handshake_wanted(&head, "/ws/main/x", 10));
    parse("GET /ws/main/ HTTP/1.1", "Host: x\r\nUpgrade: foo\r\nConnection: Upgrade\r\n");
    cr_assert_not(ws_handshake_wanted(&head, "/ws/main/", 9));
    parse("GET /ws/main/ HTTP/1.1", "Host: x\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n");
    cr_assert_not(ws_handshake_wanted(&head, "/ws/main/", 9));
    parse("GET /ws/main/ HTTP/1.1",
          "Host: x\r\nUpgrade: websocket\r\nUpgrade: foo\r\nConnection: Upgrade\r\n");
    cr_assert_not(ws_handshake_wanted(&head, "/ws/main/", 9), "two Upgrade fields");
    parse("GET /ws/main/ HTTP/1.1", "Host: x\r\nUpgrade: WebSocket\r\n");
    cr_assert(ws_handshake_wanted(&head, "/ws/main/", 9));
}

Test(ws_handshake, a_good_handshake_gives_its_key)
{
    char key[WS_KEY_LEN + 1];
    parse("GET /ws/main/ HTTP/1.1", GOOD_FIELDS);
    cr_assert_eq(ws_handshake_check(&head, key), WS_HANDSHAKE_OK);
    cr_assert_str_eq(key, "dGhlIHNhbXBsZSBub25jZQ==");
    parse("GET /ws/main/ HTTP/1.1", "Host: x\r\nUpgrade: websocket\r\n"
          "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n");
    cr_assert_eq(ws_handshake_check(&head, key), WS_HANDSHAKE_OK);
}

Test(ws_handshake, malformed_handshakes_are_refused)
{
    char key[WS_KEY_LEN + 1];
    parse("POST /ws/main/ HTTP/1.1", GOOD_FIELDS);
    cr_assert_eq(ws_handshake_check(&head, key), WS_HANDSHAKE_BAD);
    parse("GET /ws/main/ HTTP/1.0", GOOD_FIELDS);
    cr_assert_eq(ws_handshake_check(&head, key), WS_HANDSHAKE_BAD);
    parse("GET /ws/main/ HTTP/1.1", "Upgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
    cr_assert_eq(ws_handshake_check(&head, key), WS_HANDSHAKE_BAD, "no Host");
    parse("GET /ws/main/ HTTP/1.1", "Host: x\r\nUpgrade: websocket\r\nConnection: close\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
    cr_assert_eq(ws_handshake_check(&head, key), WS_HANDSHAKE_BAD, "no Connection: upgrade");
    parse("GET /ws/main/ HTTP/1.1", "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: short==\r\nSec-WebSocket-Version: 13\r\n");
    cr_assert_eq(ws_handshake_check(&head, key), WS_HANDSHAKE_BAD, "bad key");
    parse("GET /ws/main/ HTTP/1.1", "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
    cr_assert_eq(ws_handshake_check(&head, key), WS_HANDSHAKE_BAD, "two keys");
    parse("GET /ws/main/ HTTP/1.1", "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
    cr_assert_eq(ws_handshake_check(&head, key), WS_HANDSHAKE_BAD, "no version");
    parse("GET /ws/main/ HTTP/1.1", "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n");
    cr_assert_eq(ws_handshake_check(&head, key), WS_HANDSHAKE_VERSION);
    parse("GET /ws/main/ HTTP/1.1", GOOD_FIELDS "Content-Length: 3\r\n");
    cr_assert_eq(ws_handshake_check(&head, key), WS_HANDSHAKE_BAD, "a body");
}

Test(ws_handshake, the_head_lws_gets_holds_only_our_fields)
{
    char out[WS_HEAD_MAX];
    size_t len = ws_handshake_head("dGhlIHNhbXBsZSBub25jZQ==", out, sizeof out);
    cr_assert_gt(len, 0);
    cr_assert_eq(len, strlen(out));
    cr_assert(strncmp(out, "GET /ws/main/ HTTP/1.1\r\n", 24) == 0);
    cr_assert_not_null(strstr(out, "\r\nUpgrade: websocket\r\n"));
    cr_assert_not_null(strstr(out, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
    cr_assert(strcmp(out + len - 4, "\r\n\r\n") == 0);
    cr_assert_null(strstr(out, "token"));
    cr_assert_eq(ws_handshake_head("bad key\r\nX: y", out, sizeof out), 0);
    cr_assert_eq(ws_handshake_head("dGhlIHNhbXBsZSBub25jZQ==", out, 20), 0);
}
