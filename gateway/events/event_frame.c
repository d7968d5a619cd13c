/*  event_frame.c: events as WebSocket frames. See event_frame.h. */
#include "event_frame.h"

#include <jansson.h>
#include <string.h>

#include "proto.h"
#include "proto_json.h"

/* {"type": type, key: body} for a body that must be an object. */
static json_t *wrapped(const char *type, const char *key, const msgpack_object *body)
{
    if (body->type != MSGPACK_OBJECT_MAP)
        return NULL;
    json_t *inner = proto_json_from_msgpack(body);
    if (!inner)
        return NULL;
    return json_pack("{s:s, s:o}", "type", type, key, inner);
}

/* {"type": "presence", "user_id": N, "status": S}, from exactly those two fields. */
static json_t *presence(const msgpack_object *body)
{
    int64_t user_id = 0;
    const char *status = NULL;
    size_t status_len = 0;
    if (proto_get_int(body, "user_id", &user_id) != PROTO_FIELD_OK || user_id <= 0
        || proto_get_str(body, "status", &status, &status_len) != PROTO_FIELD_OK)
        return NULL;
    const char *name = NULL;
    if (status_len == 6 && memcmp(status, "online", 6) == 0)
        name = "online";
    else if (status_len == 7 && memcmp(status, "offline", 7) == 0)
        name = "offline";
    if (!name)
        return NULL;
    return json_pack("{s:s, s:I, s:s}", "type", "presence", "user_id", (json_int_t) user_id,
                     "status", name);
}

char *event_frame_text(event_kind_t kind, const msgpack_object *body, size_t *len)
{
    json_t *frame = NULL;
    switch (kind) {
    case EVENT_NOTIFICATION:
        frame = wrapped("notification", "notification", body);
        break;
    case EVENT_CHAT_MESSAGE:
        frame = wrapped("chat.message", "message", body);
        break;
    case EVENT_PRESENCE:
        frame = presence(body);
        break;
    case EVENT_USER_GONE:
        break;
    }
    if (!frame)
        return NULL;
    char *text = json_dumps(frame, JSON_COMPACT);
    json_decref(frame);
    if (text)
        *len = strlen(text);
    return text;
}
