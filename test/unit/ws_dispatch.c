/*  Unit tests of gateway/ws/dispatch.c: the type table, plugging a handler in, and
 *  the refusals (non-JSON, non-object, missing or unknown type, not available). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "dispatch.h"

static ws_dispatch_t *d;
static int calls;
static const char *seen_type;

static void handler(void *arg, struct ws_socket *sock, const json_t *message)
{
    (void) sock;
    calls++;
    seen_type = arg;
    cr_assert(json_is_object(message));
}

static void setup(void)
{
    d = ws_dispatch_new();
    cr_assert_not_null(d);
    calls = 0;
    seen_type = NULL;
}

static void teardown(void)
{
    ws_dispatch_destroy(&d);
    cr_assert_null(d);
}

TestSuite(ws_dispatch, .init = setup, .fini = teardown);

static ws_dispatch_status_t run(const char *text, char detail[WS_DETAIL_MAX])
{
    detail[0] = '\0';
    return ws_dispatch_run(d, NULL, text, strlen(text), detail);
}

Test(ws_dispatch, the_events_part_plugs_in_notifications_resume)
{
    char detail[WS_DETAIL_MAX];
    cr_assert_eq(run("{\"type\":\"notifications.resume\",\"after\":0}", detail),
                 WS_DISPATCH_REFUSED);
    cr_assert_str_eq(detail, "notifications.resume is not available.");
    cr_assert_eq(ws_dispatch_set(d, "notifications.resume", handler, "resume"), 0);
    cr_assert_eq(run("{\"type\":\"notifications.resume\",\"after\":0}", detail),
                 WS_DISPATCH_HANDLED);
    cr_assert_eq(calls, 1);
    cr_assert_str_eq(seen_type, "resume");
}

Test(ws_dispatch, chat_send_is_known_but_not_available)
{
    char detail[WS_DETAIL_MAX];
    cr_assert_eq(run("{\"type\":\"chat.send\",\"to\":2,\"text\":\"hi\"}", detail),
                 WS_DISPATCH_REFUSED);
    cr_assert_str_eq(detail, "chat.send is not available.");
}

Test(ws_dispatch, unknown_types_cannot_be_set)
{
    cr_assert_eq(ws_dispatch_set(d, "nope", handler, NULL), -1);
}

Test(ws_dispatch, ping_can_be_replaced)
{
    char detail[WS_DETAIL_MAX];
    cr_assert_eq(ws_dispatch_set(d, "ping", handler, "ping"), 0);
    cr_assert_eq(run("{\"type\":\"ping\"}", detail), WS_DISPATCH_HANDLED);
    cr_assert_str_eq(seen_type, "ping");
}

Test(ws_dispatch, refusals_say_why)
{
    char detail[WS_DETAIL_MAX];
    cr_assert_eq(run("not json", detail), WS_DISPATCH_REFUSED);
    cr_assert(strncmp(detail, "Invalid JSON: ", 14) == 0, "%s", detail);
    cr_assert_eq(run("[1, 2]", detail), WS_DISPATCH_REFUSED);
    cr_assert_str_eq(detail, "A message must be a JSON object.");
    cr_assert_eq(run("\"ping\"", detail), WS_DISPATCH_REFUSED);
    cr_assert_str_eq(detail, "A message must be a JSON object.");
    cr_assert_eq(run("{}", detail), WS_DISPATCH_REFUSED);
    cr_assert_str_eq(detail, "A message must have a \"type\" string.");
    cr_assert_eq(run("{\"type\": 3}", detail), WS_DISPATCH_REFUSED);
    cr_assert_str_eq(detail, "A message must have a \"type\" string.");
    cr_assert_eq(run("{\"type\":\"dance\"}", detail), WS_DISPATCH_REFUSED);
    cr_assert_str_eq(detail, "Unknown message type \"dance\".");
    cr_assert_eq(run("{\"type\":\"ping\",\"type\":\"ping\"}", detail), WS_DISPATCH_REFUSED,
                 "duplicate keys");
    cr_assert_eq(calls, 0);
}

Test(ws_dispatch, client_text_in_a_detail_is_escaped_or_left_out)
{
    char detail[WS_DETAIL_MAX];
    cr_assert_eq(run("{\"type\":\"a\\n\\u001b[31m\"}", detail), WS_DISPATCH_REFUSED);
    for (const char *p = detail; *p; p++)
        cr_assert((unsigned char) *p >= 0x20 && (unsigned char) *p < 0x7f, "%s", detail);
    char long_type[300];
    snprintf(long_type, sizeof long_type, "{\"type\":\"%0200d\"}", 0);
    cr_assert_eq(run(long_type, detail), WS_DISPATCH_REFUSED);
    cr_assert_str_eq(detail, "Unknown message type.");
    cr_assert_eq(run("\xff\xfe{", detail), WS_DISPATCH_REFUSED);
    for (const char *p = detail; *p; p++)
        cr_assert((unsigned char) *p >= 0x20 && (unsigned char) *p < 0x7f, "%s", detail);
}
