/*  Unit tests of gateway/chat/send_reply.c: what a chat.send's reply becomes on the
 *  sending socket (nothing, the stored message, or an error frame with the client_id). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "send_reply.h"
#include "testdata.h"

/* The frame for a reply with `status` (-1: none came) and a body given as JSON (NULL: nil), as
 * compact JSON text ("" when nothing is sent); client_id as JSON text or NULL. */
static char *frame_for(int status, const char *body_json, const char *client_id_json)
{
    proto_msg_t msg;
    testdata_t data;
    testdata_reply(&data, status < 0 ? PROTO_OK : status, body_json, &msg);
    json_t *client_id = client_id_json ? json_loads(client_id_json, JSON_DECODE_ANY, NULL) : NULL;
    json_t *frame = NULL;
    cr_assert_eq(send_reply_frame(status < 0 ? NULL : &msg, client_id, &frame), 0);
    char *text = frame ? json_dumps(frame, JSON_COMPACT | JSON_SORT_KEYS) : strdup("");
    json_decref(frame);
    json_decref(client_id);
    proto_msg_release(&msg);
    testdata_free(&data);
    return text;
}

static void expect(int status, const char *body, const char *client_id, const char *want)
{
    char *got = frame_for(status, body, client_id);
    cr_assert_str_eq(got, want);
    free(got);
}

#define MESSAGE "{\"id\":5,\"sender\":1,\"receiver\":2,\"text\":\"h\\u00e9\",\"client_id\":\"k\"}"

Test(send_reply, stored_is_left_to_the_event_path)
{
    expect(PROTO_CREATED, MESSAGE, "\"k\"", "");
}

Test(send_reply, a_resend_echoes_the_stored_message)
{
    expect(PROTO_OK, MESSAGE, "\" k \"",
           "{\"message\":{\"client_id\":\"k\",\"id\":5,\"receiver\":2,\"sender\":1,"
           "\"text\":\"h\xC3\xA9\"},\"type\":\"chat.message\"}");
}

Test(send_reply, refusals_carry_the_detail_status_and_client_id)
{
    expect(PROTO_FORBIDDEN, NULL, "\"k\"",
           "{\"client_id\":\"k\",\"detail\":\"You do not have permission to perform this "
           "action.\",\"status\":403,\"type\":\"error\"}");
    expect(PROTO_NOT_FOUND, "{\"detail\":\"Not found.\"}", NULL,
           "{\"client_id\":null,\"detail\":\"Not found.\",\"status\":404,\"type\":\"error\"}");
    expect(PROTO_UNAUTHORIZED, "{\"detail\":\"User not found\",\"code\":\"user_not_found\"}",
           "7", "{\"client_id\":7,\"detail\":\"User not found\",\"status\":401,\"type\":\"error\"}");
}

Test(send_reply, field_errors_name_the_first_field)
{
    expect(PROTO_INVALID, "{\"text\":[\"This field may not be blank.\"],\"client_id\":[\"x\"]}",
           "\"k\"",
           "{\"client_id\":\"k\",\"detail\":\"text: This field may not be blank.\","
           "\"errors\":{\"client_id\":[\"x\"],\"text\":[\"This field may not be blank.\"]},"
           "\"status\":400,\"type\":\"error\"}");
    expect(PROTO_INVALID, "{\"non_field_errors\":[\"You cannot send a message to yourself.\"]}",
           NULL,
           "{\"client_id\":null,\"detail\":\"You cannot send a message to yourself.\","
           "\"errors\":{\"non_field_errors\":[\"You cannot send a message to yourself.\"]},"
           "\"status\":400,\"type\":\"error\"}");
    /* A 400 body of no known shape: DRF's default detail, no errors. */
    expect(PROTO_INVALID, "[1]", NULL,
           "{\"client_id\":null,\"detail\":\"Invalid input.\",\"status\":400,\"type\":\"error\"}");
}

Test(send_reply, failures_reveal_nothing)
{
    expect(PROTO_INTERNAL, "{\"detail\":\"secret internals\"}", "\"k\"",
           "{\"client_id\":\"k\",\"detail\":\"A server error occurred.\",\"status\":500,"
           "\"type\":\"error\"}");
    expect(PROTO_UNAVAILABLE, NULL, NULL,
           "{\"client_id\":null,\"detail\":\"Service temporarily unavailable.\","
           "\"status\":503,\"type\":\"error\"}");
    /* A 200 whose body is not a Message. */
    expect(PROTO_OK, "\"text\"", NULL,
           "{\"client_id\":null,\"detail\":\"A server error occurred.\",\"status\":500,"
           "\"type\":\"error\"}");
}

Test(send_reply, no_answer_in_time_is_a_503)
{
    expect(-1, NULL, "\"k\"",
           "{\"client_id\":\"k\",\"detail\":\"Service temporarily unavailable.\","
           "\"status\":503,\"type\":\"error\"}");
}
