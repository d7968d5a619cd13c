/*  event.c: packing and validating events. See event.h. */
#include "event.h"

#include <string.h>

#include "proto.h"

static const char *const kind_names[] = {
    [EVENT_NOTIFICATION] = "notification",
    [EVENT_PRESENCE] = "presence",
    [EVENT_USER_GONE] = "user_gone",
    [EVENT_CHAT_MESSAGE] = "chat.message",
};
#define KIND_COUNT (sizeof kind_names / sizeof kind_names[0])

const char *event_kind_name(event_kind_t kind)
{
    return (size_t) kind < KIND_COUNT ? kind_names[kind] : "";
}

int event_kind_parse(const char *name, event_kind_t *kind)
{
    for (size_t k = 0; k < KIND_COUNT; k++)
        if (strcmp(name, kind_names[k]) == 0) {
            *kind = (event_kind_t) k;
            return 0;
        }
    return -1;
}

void event_pack_begin(msgpack_packer *pk, event_kind_t kind, const uint64_t *to,
                      size_t count, uint64_t id)
{
    msgpack_pack_map(pk, 4);
    proto_pack_kv_str(pk, "kind", event_kind_name(kind));
    proto_pack_str(pk, "to");
    msgpack_pack_array(pk, (uint32_t) count);
    for (size_t i = 0; i < count; i++)
        msgpack_pack_uint64(pk, to[i]);
    msgpack_pack_str(pk, 2);
    msgpack_pack_str_body(pk, "id", 2);
    msgpack_pack_uint64(pk, id);
    proto_pack_str(pk, "body");
}

/* The kind named by a string object, or -1. */
static int kind_of(const msgpack_object *name)
{
    if (!name || name->type != MSGPACK_OBJECT_STR)
        return -1;
    for (size_t k = 0; k < KIND_COUNT; k++)
        if (name->via.str.size == strlen(kind_names[k])
            && memcmp(name->via.str.ptr, kind_names[k], name->via.str.size) == 0)
            return (int) k;
    return -1;
}

int event_decode(const void *data, size_t size, event_t *ev)
{
    memset(ev, 0, sizeof *ev);
    msgpack_unpacked_init(&ev->unpacked);
    ev->body.type = MSGPACK_OBJECT_NIL;
    if (proto_validate(data, size) != 0)
        return -1;
    size_t offset = 0;
    if (msgpack_unpack_next(&ev->unpacked, data, size, &offset) != MSGPACK_UNPACK_SUCCESS)
        return -1;
    const msgpack_object *root = &ev->unpacked.data;
    if (root->type != MSGPACK_OBJECT_MAP)
        return -1;
    int kind = kind_of(proto_map_get(root, "kind"));
    if (kind < 0)
        return -1;
    ev->kind = (event_kind_t) kind;
    const msgpack_object *to = proto_map_get(root, "to");
    if (!to || to->type != MSGPACK_OBJECT_ARRAY || to->via.array.size == 0
        || to->via.array.size > EVENT_MAX_RECIPIENTS)
        return -1;
    for (uint32_t i = 0; i < to->via.array.size; i++) {
        const msgpack_object *r = &to->via.array.ptr[i];
        if (r->type != MSGPACK_OBJECT_POSITIVE_INTEGER || r->via.u64 == 0
            || r->via.u64 > INT64_MAX)
            return -1;
    }
    ev->to = to->via.array.ptr;
    ev->recipients = to->via.array.size;
    const msgpack_object *id = proto_map_get(root, "id");
    if (id) {
        if (id->type != MSGPACK_OBJECT_POSITIVE_INTEGER || id->via.u64 > INT64_MAX)
            return -1;
        ev->id = id->via.u64;
    }
    if (ev->kind == EVENT_NOTIFICATION && ev->id == 0)
        return -1;
    const msgpack_object *body = proto_map_get(root, "body");
    if (body)
        ev->body = *body;
    return 0;
}

uint64_t event_recipient(const event_t *ev, size_t i)
{
    return i < ev->recipients ? ev->to[i].via.u64 : 0;
}

void event_release(event_t *ev)
{
    if (!ev)
        return;
    msgpack_unpacked_destroy(&ev->unpacked);
    msgpack_unpacked_init(&ev->unpacked);
    ev->to = NULL;
    ev->recipients = 0;
    ev->body.type = MSGPACK_OBJECT_NIL;
}
