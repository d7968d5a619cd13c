/*  Unit tests of event frames: each kind's JSON, and bodies of the wrong shape. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "event_frame.h"
#include "proto_json.h"

/* The frame of an event of `kind` whose body is the JSON `body` (NULL: nil). */
static char *frame_of(event_kind_t kind, uint64_t id, const char *body)
{
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    uint64_t to[] = { 1 };
    event_pack_begin(&pk, kind, to, 1, id);
    if (body) {
        json_t *value = json_loads(body, JSON_DECODE_ANY, NULL);
        cr_assert_not_null(value);
        cr_assert_eq(proto_json_pack(&pk, value), 0);
        json_decref(value);
    } else {
        msgpack_pack_nil(&pk);
    }
    event_t ev;
    cr_assert_eq(event_decode(buf.data, buf.size, &ev), 0);
    size_t len = 0;
    char *text = event_frame_text(ev.kind, &ev.body, &len);
    if (text)
        cr_assert_eq(len, strlen(text));
    event_release(&ev);
    msgpack_sbuffer_destroy(&buf);
    return text;
}

Test(event_frame, notification)
{
    char *text = frame_of(EVENT_NOTIFICATION, 5, "{\"id\": 5, \"text\": \"h\\u00e9\"}");
    cr_assert_str_eq(text, "{\"type\":\"notification\",\"notification\":{\"id\":5,\"text\":\"h\xc3\xa9\"}}");
    free(text);
}

Test(event_frame, chat_message)
{
    char *text = frame_of(EVENT_CHAT_MESSAGE, 0, "{\"id\": 8}");
    cr_assert_str_eq(text, "{\"type\":\"chat.message\",\"message\":{\"id\":8}}");
    free(text);
}

Test(event_frame, presence)
{
    char *text = frame_of(EVENT_PRESENCE, 0, "{\"user_id\": 3, \"status\": \"online\"}");
    cr_assert_str_eq(text, "{\"type\":\"presence\",\"user_id\":3,\"status\":\"online\"}");
    free(text);
    text = frame_of(EVENT_PRESENCE, 0, "{\"status\": \"offline\", \"user_id\": 4, \"x\": 1}");
    cr_assert_str_eq(text, "{\"type\":\"presence\",\"user_id\":4,\"status\":\"offline\"}",
                     "only the two fields");
    free(text);
}

Test(event_frame, wrong_shapes_give_no_frame)
{
    cr_assert_null(frame_of(EVENT_NOTIFICATION, 5, "[1]"));
    cr_assert_null(frame_of(EVENT_NOTIFICATION, 5, NULL));
    cr_assert_null(frame_of(EVENT_PRESENCE, 0, "{\"user_id\": 3, \"status\": \"away\"}"));
    cr_assert_null(frame_of(EVENT_PRESENCE, 0, "{\"user_id\": 0, \"status\": \"online\"}"));
    cr_assert_null(frame_of(EVENT_PRESENCE, 0, "{\"status\": \"online\"}"));
    cr_assert_null(frame_of(EVENT_USER_GONE, 0, NULL));
}
