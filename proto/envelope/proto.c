/*  proto.c: the bus envelope: validation, encoding, decoding and status mapping. */
#include "proto.h"
#include "drf_messages.h"

#include <string.h>

/* Total elements accepted in one message, whatever its size: bounds the memory the
 * unpacker allocates (one msgpack_object per element). */
#define PROTO_MAX_ELEMENTS (1u << 20)

int proto_status_http(int status)
{
    switch (status) {
    case PROTO_OK: return 200;
    case PROTO_CREATED: return 201;
    case PROTO_NO_CONTENT: return 204;
    case PROTO_RESET_CONTENT: return 205;
    case PROTO_INVALID: return 400;
    case PROTO_UNAUTHORIZED: return 401;
    case PROTO_FORBIDDEN: return 403;
    case PROTO_NOT_FOUND: return 404;
    case PROTO_CONFLICT: return 409;
    case PROTO_TOO_LARGE: return 413;
    case PROTO_THROTTLED: return 429;
    case PROTO_UNAVAILABLE: return 503;
    default: return 500;
    }
}

const char *proto_status_detail(int status)
{
    switch (status) {
    case PROTO_INVALID: return "Invalid input.";
    case PROTO_UNAUTHORIZED: return DRF_NOT_AUTHENTICATED;
    case PROTO_FORBIDDEN: return DRF_PERMISSION_DENIED;
    case PROTO_NOT_FOUND: return DRF_NOT_FOUND;
    case PROTO_CONFLICT: return "Conflict.";
    case PROTO_TOO_LARGE: return "Request body too large.";
    case PROTO_THROTTLED: return "Request was throttled.";
    case PROTO_UNAVAILABLE: return "Service temporarily unavailable.";
    case PROTO_OK:
    case PROTO_CREATED:
    case PROTO_NO_CONTENT:
    case PROTO_RESET_CONTENT: return NULL;
    default: return DRF_SERVER_ERROR;
    }
}

bool proto_status_valid(int64_t status)
{
    switch (status) {
    case PROTO_OK: case PROTO_CREATED: case PROTO_NO_CONTENT: case PROTO_RESET_CONTENT:
    case PROTO_INVALID: case PROTO_UNAUTHORIZED: case PROTO_FORBIDDEN: case PROTO_NOT_FOUND:
    case PROTO_CONFLICT: case PROTO_TOO_LARGE: case PROTO_THROTTLED: case PROTO_INTERNAL:
    case PROTO_UNAVAILABLE:
        return true;
    default:
        return false;
    }
}

/* Reads a big-endian unsigned integer of `width` bytes. */
static uint64_t read_be(const unsigned char *p, int width)
{
    uint64_t value = 0;
    for (int i = 0; i < width; i++)
        value = (value << 8) | p[i];
    return value;
}

/*  Walks the bytes of one msgpack object without allocating. `open[d]` counts the
 *  elements still to read at depth d; their sum can never exceed the bytes left
 *  (every element takes at least one byte), which is what stops a five-byte array
 *  header from claiming four billion elements. */
int proto_validate(const void *data, size_t size)
{
    const unsigned char *p = data;
    size_t pos = 0;
    uint64_t open[PROTO_MAX_DEPTH + 1];
    int depth = 0;
    uint64_t pending = 1;          /* elements announced but not read yet */
    uint64_t elements = 0;
    open[0] = 1;

    if (!data || size == 0 || size > PROTO_MAX_MESSAGE)
        return -1;
    while (depth >= 0) {
        if (open[depth] == 0) {
            depth--;
            continue;
        }
        if (pos >= size)
            return -1;
        open[depth]--;
        pending--;
        if (++elements > PROTO_MAX_ELEMENTS)
            return -1;
        unsigned char b = p[pos++];
        uint64_t skip = 0;         /* payload bytes after the header */
        uint64_t children = 0;     /* elements of a container */
        int container = 0;
        int lenw = 0;              /* width of a length field */

        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
            /* fixint, nil, bool: nothing more */
        } else if (b >= 0x80 && b <= 0x8f) {
            container = 1; children = 2u * (b & 0x0f);
        } else if (b >= 0x90 && b <= 0x9f) {
            container = 1; children = b & 0x0f;
        } else if (b >= 0xa0 && b <= 0xbf) {
            skip = b & 0x1f;
        } else {
            switch (b) {
            case 0xc4: case 0xd9: lenw = 1; break;               /* bin8, str8 */
            case 0xc5: case 0xda: lenw = 2; break;               /* bin16, str16 */
            case 0xc6: case 0xdb: lenw = 4; break;               /* bin32, str32 */
            case 0xc7: lenw = 1; skip = 1; break;                /* ext8: + type */
            case 0xc8: lenw = 2; skip = 1; break;                /* ext16 */
            case 0xc9: lenw = 4; skip = 1; break;                /* ext32 */
            case 0xca: skip = 4; break;                          /* float32 */
            case 0xcb: skip = 8; break;                          /* float64 */
            case 0xcc: case 0xd0: skip = 1; break;
            case 0xcd: case 0xd1: skip = 2; break;
            case 0xce: case 0xd2: skip = 4; break;
            case 0xcf: case 0xd3: skip = 8; break;
            case 0xd4: skip = 2; break;                          /* fixext1 */
            case 0xd5: skip = 3; break;
            case 0xd6: skip = 5; break;
            case 0xd7: skip = 9; break;
            case 0xd8: skip = 17; break;
            case 0xdc: container = 1; lenw = 2; break;           /* array16 */
            case 0xdd: container = 1; lenw = 4; break;           /* array32 */
            case 0xde: container = 2; lenw = 2; break;           /* map16 */
            case 0xdf: container = 2; lenw = 4; break;           /* map32 */
            default: return -1;                                  /* 0xc1: never used */
            }
        }
        if (lenw) {
            if (size - pos < (size_t) lenw)
                return -1;
            uint64_t n = read_be(p + pos, lenw);
            pos += lenw;
            if (container)
                children = container == 2 ? 2 * n : n;
            else
                skip += n;
        }
        if (skip > size - pos)
            return -1;
        pos += skip;
        if (container && children > 0) {
            pending += children;
            if (pending > size - pos || depth + 1 > PROTO_MAX_DEPTH)
                return -1;
            open[++depth] = children;
        }
    }
    return pos == size ? 0 : -1;
}

/* Copies a msgpack string into a fixed buffer; -1 if it is not a string, is empty,
 * does not fit or holds a NUL. */
static int copy_name(const msgpack_object *obj, char *buf, size_t bufsize)
{
    if (!obj || obj->type != MSGPACK_OBJECT_STR || obj->via.str.size == 0
        || obj->via.str.size >= bufsize || memchr(obj->via.str.ptr, 0, obj->via.str.size))
        return -1;
    memcpy(buf, obj->via.str.ptr, obj->via.str.size);
    buf[obj->via.str.size] = 0;
    return 0;
}

/* Reads a non-negative integer object. */
static int get_u64(const msgpack_object *obj, uint64_t *value)
{
    if (!obj || obj->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return -1;
    *value = obj->via.u64;
    return 0;
}

/* Validates and unpacks one envelope, checking the fields both kinds share. */
static int decode_common(const void *data, size_t size, proto_msg_t *msg)
{
    memset(msg, 0, sizeof *msg);
    msgpack_unpacked_init(&msg->unpacked);
    msg->body.type = MSGPACK_OBJECT_NIL;
    if (proto_validate(data, size) != 0)
        return -1;
    size_t offset = 0;
    if (msgpack_unpack_next(&msg->unpacked, data, size, &offset) != MSGPACK_UNPACK_SUCCESS)
        return -1;
    const msgpack_object *root = &msg->unpacked.data;
    if (root->type != MSGPACK_OBJECT_MAP)
        return -1;
    uint64_t version = 0;
    if (get_u64(proto_map_get(root, "v"), &version) != 0 || version != PROTO_VERSION)
        return -1;
    if (get_u64(proto_map_get(root, "id"), &msg->id) != 0)
        return -1;
    const msgpack_object *body = proto_map_get(root, "body");
    if (body)
        msg->body = *body;
    return 0;
}

int proto_request_decode(const void *data, size_t size, proto_msg_t *msg)
{
    if (decode_common(data, size, msg) != 0)
        return -1;
    const msgpack_object *root = &msg->unpacked.data;
    if (copy_name(proto_map_get(root, "svc"), msg->service, sizeof msg->service) != 0
        || copy_name(proto_map_get(root, "method"), msg->method, sizeof msg->method) != 0)
        return -1;
    const msgpack_object *uid = proto_map_get(root, "uid");
    if (uid && get_u64(uid, &msg->user_id) != 0)
        return -1;
    const msgpack_object *client = proto_map_get(root, "addr");
    if (client && copy_name(client, msg->client, sizeof msg->client) != 0)
        return -1;
    return 0;
}

int proto_reply_decode(const void *data, size_t size, proto_msg_t *msg)
{
    if (decode_common(data, size, msg) != 0)
        return -1;
    uint64_t status = 0;
    if (get_u64(proto_map_get(&msg->unpacked.data, "status"), &status) != 0
        || !proto_status_valid((int64_t) status))
        return -1;
    msg->status = (int) status;
    return 0;
}

void proto_msg_release(proto_msg_t *msg)
{
    if (!msg)
        return;
    msgpack_unpacked_destroy(&msg->unpacked);
    msgpack_unpacked_init(&msg->unpacked);
    msg->body.type = MSGPACK_OBJECT_NIL;
}

void proto_request_begin(msgpack_packer *pk, uint64_t id, const char *service,
                         const char *method, uint64_t user_id)
{
    proto_request_begin_from(pk, id, service, method, user_id, NULL);
}

void proto_request_begin_from(msgpack_packer *pk, uint64_t id, const char *service,
                              const char *method, uint64_t user_id, const char *client)
{
    bool has_client = client && *client;
    msgpack_pack_map(pk, has_client ? 7 : 6);
    if (has_client)
        proto_pack_kv_str(pk, "addr", client);
    proto_pack_str(pk, "v");
    msgpack_pack_uint64(pk, PROTO_VERSION);
    proto_pack_str(pk, "id");
    msgpack_pack_uint64(pk, id);
    proto_pack_kv_str(pk, "svc", service);
    proto_pack_kv_str(pk, "method", method);
    proto_pack_str(pk, "uid");
    msgpack_pack_uint64(pk, user_id);
    proto_pack_str(pk, "body");
}

void proto_reply_begin(msgpack_packer *pk, uint64_t id, int status)
{
    msgpack_pack_map(pk, 4);
    proto_pack_str(pk, "v");
    msgpack_pack_uint64(pk, PROTO_VERSION);
    proto_pack_str(pk, "id");
    msgpack_pack_uint64(pk, id);
    proto_pack_str(pk, "status");
    msgpack_pack_uint64(pk, (uint64_t) status);
    proto_pack_str(pk, "body");
}

const msgpack_object *proto_map_get(const msgpack_object *map, const char *key)
{
    if (!map || map->type != MSGPACK_OBJECT_MAP)
        return NULL;
    size_t keylen = strlen(key);
    /* Last duplicate wins, as in JSON parsers. */
    const msgpack_object *found = NULL;
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object *k = &map->via.map.ptr[i].key;
        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == keylen
            && memcmp(k->via.str.ptr, key, keylen) == 0)
            found = &map->via.map.ptr[i].val;
    }
    return found;
}

/* Looks a field up and classifies absent / nil before type checks. */
static proto_field_t lookup(const msgpack_object *map, const char *key,
                            const msgpack_object **value)
{
    *value = proto_map_get(map, key);
    if (!*value)
        return PROTO_FIELD_MISSING;
    if ((*value)->type == MSGPACK_OBJECT_NIL)
        return PROTO_FIELD_NULL;
    return PROTO_FIELD_OK;
}

proto_field_t proto_get_str(const msgpack_object *map, const char *key, const char **str,
                            size_t *len)
{
    const msgpack_object *v;
    proto_field_t rc = lookup(map, key, &v);
    if (rc != PROTO_FIELD_OK)
        return rc;
    if (v->type != MSGPACK_OBJECT_STR)
        return PROTO_FIELD_WRONG_TYPE;
    /* msgpack-c may give an empty string a NULL pointer: callers get "" instead. */
    *str = v->via.str.size > 0 ? v->via.str.ptr : "";
    *len = v->via.str.size;
    return PROTO_FIELD_OK;
}

proto_field_t proto_get_int(const msgpack_object *map, const char *key, int64_t *value)
{
    const msgpack_object *v;
    proto_field_t rc = lookup(map, key, &v);
    if (rc != PROTO_FIELD_OK)
        return rc;
    if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        *value = v->via.i64;
    else if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && v->via.u64 <= INT64_MAX)
        *value = (int64_t) v->via.u64;
    else
        return PROTO_FIELD_WRONG_TYPE;
    return PROTO_FIELD_OK;
}

proto_field_t proto_get_bool(const msgpack_object *map, const char *key, bool *value)
{
    const msgpack_object *v;
    proto_field_t rc = lookup(map, key, &v);
    if (rc != PROTO_FIELD_OK)
        return rc;
    if (v->type != MSGPACK_OBJECT_BOOLEAN)
        return PROTO_FIELD_WRONG_TYPE;
    *value = v->via.boolean;
    return PROTO_FIELD_OK;
}

proto_field_t proto_copy_str(const msgpack_object *map, const char *key, char *buf,
                             size_t bufsize)
{
    const char *s;
    size_t len;
    proto_field_t rc = proto_get_str(map, key, &s, &len);
    if (rc != PROTO_FIELD_OK)
        return rc;
    if (len >= bufsize || memchr(s, 0, len))
        return PROTO_FIELD_WRONG_TYPE;
    memcpy(buf, s, len);
    buf[len] = 0;
    return PROTO_FIELD_OK;
}

void proto_pack_strn(msgpack_packer *pk, const char *s, size_t len)
{
    msgpack_pack_str(pk, len);
    msgpack_pack_str_body(pk, s, len);
}

void proto_pack_str(msgpack_packer *pk, const char *s)
{
    proto_pack_strn(pk, s, strlen(s));
}

void proto_pack_kv_str(msgpack_packer *pk, const char *key, const char *value)
{
    proto_pack_str(pk, key);
    proto_pack_str(pk, value);
}

void proto_pack_kv_strn(msgpack_packer *pk, const char *key, const char *value, size_t len)
{
    proto_pack_str(pk, key);
    proto_pack_strn(pk, value, len);
}

void proto_pack_kv_str_or_nil(msgpack_packer *pk, const char *key, const char *value)
{
    proto_pack_str(pk, key);
    if (value)
        proto_pack_str(pk, value);
    else
        msgpack_pack_nil(pk);
}

void proto_pack_kv_int(msgpack_packer *pk, const char *key, int64_t value)
{
    proto_pack_str(pk, key);
    msgpack_pack_int64(pk, value);
}

void proto_pack_kv_bool(msgpack_packer *pk, const char *key, bool value)
{
    proto_pack_str(pk, key);
    if (value)
        msgpack_pack_true(pk);
    else
        msgpack_pack_false(pk);
}

void proto_pack_kv_nil(msgpack_packer *pk, const char *key)
{
    proto_pack_str(pk, key);
    msgpack_pack_nil(pk);
}

void proto_pack_detail(msgpack_packer *pk, const char *detail)
{
    msgpack_pack_map(pk, 1);
    proto_pack_kv_str(pk, "detail", detail);
}

void proto_pack_detail_code(msgpack_packer *pk, const char *detail, const char *code)
{
    msgpack_pack_map(pk, 2);
    proto_pack_kv_str(pk, "detail", detail);
    proto_pack_kv_str(pk, "code", code);
}

void proto_pack_field_error(msgpack_packer *pk, const char *field, const char *message)
{
    msgpack_pack_map(pk, 1);
    proto_pack_str(pk, field);
    msgpack_pack_array(pk, 1);
    proto_pack_str(pk, message);
}
