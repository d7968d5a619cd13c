/*  send_reply.c: a chat.send's reply as the sending socket sees it. See send_reply.h. */
#include "send_reply.h"

#include <stdio.h>
#include <string.h>

#include "proto_json.h"

json_t *send_reply_error(int status, const char *detail, const json_t *client_id)
{
    return json_pack("{s:s, s:s, s:i, s:O}", "type", "error", "detail", detail,
                     "status", status, "client_id",
                     client_id ? (json_t *) client_id : json_null());
}

/*  The first message of a 400's field errors, {"field": ["message", ...], ...}, into
 *  buf: "field: message", or the message alone for non_field_errors. Returns false
 *  when the body has none. */
static bool first_field_error(const msgpack_object *body, char *buf, size_t size)
{
    if (body->type != MSGPACK_OBJECT_MAP)
        return false;
    for (uint32_t i = 0; i < body->via.map.size; i++) {
        const msgpack_object *key = &body->via.map.ptr[i].key;
        const msgpack_object *list = &body->via.map.ptr[i].val;
        if (key->type != MSGPACK_OBJECT_STR || list->type != MSGPACK_OBJECT_ARRAY
            || list->via.array.size == 0 || list->via.array.ptr[0].type != MSGPACK_OBJECT_STR)
            continue;
        const msgpack_object_str *field = &key->via.str;
        const msgpack_object_str *text = &list->via.array.ptr[0].via.str;
        bool bare = field->size == 16 && memcmp(field->ptr, "non_field_errors", 16) == 0;
        if (bare)
            snprintf(buf, size, "%.*s", (int) text->size, text->ptr);
        else
            snprintf(buf, size, "%.*s: %.*s", (int) field->size, field->ptr,
                     (int) text->size, text->ptr);
        return true;
    }
    return false;
}

/* The error frame of a refused send: the REST route's detail, its field errors. */
static json_t *refusal(const proto_msg_t *reply, const json_t *client_id)
{
    int status = reply->status;
    if (!proto_status_valid(status) || status == PROTO_INTERNAL)
        return send_reply_error(500, proto_status_detail(PROTO_INTERNAL), client_id);
    int http = proto_status_http(status);
    const msgpack_object *body = &reply->body;
    const char *given;
    size_t len;
    char detail[512];
    bool fields = false;
    if (proto_get_str(body, "detail", &given, &len) == PROTO_FIELD_OK) {
        snprintf(detail, sizeof detail, "%.*s", (int) (len < 400 ? len : 400), given);
    } else if (status == PROTO_INVALID && first_field_error(body, detail, sizeof detail)) {
        fields = true;
    } else {
        const char *fallback = proto_status_detail(status);
        snprintf(detail, sizeof detail, "%s", fallback ? fallback : "");
    }
    json_t *frame = send_reply_error(http, detail, client_id);
    if (frame && fields) {
        json_t *errors = proto_json_from_msgpack(body);
        if (!errors || json_object_set_new(frame, "errors", errors) != 0) {
            json_decref(frame);
            return NULL;
        }
    }
    return frame;
}

int send_reply_frame(const proto_msg_t *reply, const json_t *client_id, json_t **frame)
{
    *frame = NULL;
    if (!reply) {
        *frame = send_reply_error(503, proto_status_detail(PROTO_UNAVAILABLE), client_id);
        return *frame ? 0 : -1;
    }
    if (reply->status == PROTO_CREATED)
        return 0;
    if (reply->status == PROTO_OK) {
        json_t *message = reply->body.type == MSGPACK_OBJECT_MAP
                              ? proto_json_from_msgpack(&reply->body) : NULL;
        if (!message) {
            *frame = send_reply_error(500, proto_status_detail(PROTO_INTERNAL), client_id);
            return *frame ? 0 : -1;
        }
        *frame = json_pack("{s:s, s:o}", "type", "chat.message", "message", message);
        return *frame ? 0 : -1;
    }
    *frame = refusal(reply, client_id);
    return *frame ? 0 : -1;
}
