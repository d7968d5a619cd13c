/*  proto_json.c: JSON (jansson) <-> msgpack mapping. */
#include "proto_json.h"

#include <math.h>
#include <string.h>

#include "proto.h"

/*  Packs one JSON value found inside `depth` containers, refusing a container that
 *  would make more than PROTO_MAX_DEPTH of them open at once (what proto_validate
 *  accepts, so whatever is packed here can be read back). */
static int pack_value(msgpack_packer *pk, const json_t *value, int depth)
{
    if ((json_is_object(value) || json_is_array(value)) && depth >= PROTO_MAX_DEPTH)
        return -1;
    switch (json_typeof(value)) {
    case JSON_OBJECT: {
        msgpack_pack_map(pk, json_object_size(value));
        const char *key;
        json_t *member;
        json_object_foreach((json_t *) value, key, member) {
            proto_pack_str(pk, key);
            if (pack_value(pk, member, depth + 1) != 0)
                return -1;
        }
        return 0;
    }
    case JSON_ARRAY: {
        msgpack_pack_array(pk, json_array_size(value));
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item) {
            if (pack_value(pk, item, depth + 1) != 0)
                return -1;
        }
        return 0;
    }
    case JSON_STRING:
        proto_pack_strn(pk, json_string_value(value), json_string_length(value));
        return 0;
    case JSON_INTEGER:
        msgpack_pack_int64(pk, json_integer_value(value));
        return 0;
    case JSON_REAL:
        msgpack_pack_double(pk, json_real_value(value));
        return 0;
    case JSON_TRUE:
        msgpack_pack_true(pk);
        return 0;
    case JSON_FALSE:
        msgpack_pack_false(pk);
        return 0;
    case JSON_NULL:
    default:
        msgpack_pack_nil(pk);
        return 0;
    }
}

int proto_json_pack(msgpack_packer *pk, const json_t *value)
{
    return pack_value(pk, value, 0);
}

int proto_json_pack_nested(msgpack_packer *pk, const json_t *value, int enclosing)
{
    return pack_value(pk, value, enclosing);
}

/* The bytes of a msgpack string: msgpack-c gives an empty string a NULL pointer in
 * some positions (a lone "" at the top level), which jansson would refuse. */
static const char *str_bytes(const msgpack_object *str)
{
    return str->via.str.size > 0 ? str->via.str.ptr : "";
}

/* Converts one msgpack object, refusing types JSON cannot carry. */
static json_t *from_msgpack(const msgpack_object *obj, int depth)
{
    if (depth > PROTO_MAX_DEPTH)
        return NULL;
    switch (obj->type) {
    case MSGPACK_OBJECT_NIL:
        return json_null();
    case MSGPACK_OBJECT_BOOLEAN:
        return json_boolean(obj->via.boolean);
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        if (obj->via.u64 > (uint64_t) INT64_MAX)
            return NULL;
        return json_integer((json_int_t) obj->via.u64);
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return json_integer((json_int_t) obj->via.i64);
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        if (!isfinite(obj->via.f64))
            return NULL;
        return json_real(obj->via.f64);
    case MSGPACK_OBJECT_STR:
        return json_stringn(str_bytes(obj), obj->via.str.size);
    case MSGPACK_OBJECT_ARRAY: {
        json_t *array = json_array();
        for (uint32_t i = 0; array && i < obj->via.array.size; i++) {
            json_t *item = from_msgpack(&obj->via.array.ptr[i], depth + 1);
            if (!item || json_array_append_new(array, item) != 0) {
                json_decref(array);
                return NULL;
            }
        }
        return array;
    }
    case MSGPACK_OBJECT_MAP: {
        json_t *object = json_object();
        for (uint32_t i = 0; object && i < obj->via.map.size; i++) {
            const msgpack_object *key = &obj->via.map.ptr[i].key;
            json_t *value = NULL;
            if (key->type == MSGPACK_OBJECT_STR)
                value = from_msgpack(&obj->via.map.ptr[i].val, depth + 1);
            if (!value
                || json_object_setn_new(object, str_bytes(key), key->via.str.size, value)
                       != 0) {
                json_decref(object);
                return NULL;
            }
        }
        return object;
    }
    default:
        return NULL;
    }
}

json_t *proto_json_from_msgpack(const msgpack_object *obj)
{
    if (!obj)
        return NULL;
    return from_msgpack(obj, 0);
}
