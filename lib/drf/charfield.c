/*  charfield.c: DRF CharField semantics for request fields. See charfield.h. */
#include "charfield.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "pyvalue.h"
#include "text.h"

/*  Writes Python's str() of a number value into out->num. Returns false for any other
 *  type (bool, list, dict, bytes: DRF refuses to guess how to write them). */
static bool number_text(const msgpack_object *value, charfield_t *out)
{
    int n;
    switch (value->type) {
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        n = snprintf(out->num, sizeof out->num, "%" PRIu64, value->via.u64);
        break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        n = snprintf(out->num, sizeof out->num, "%" PRId64, value->via.i64);
        break;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        n = pyvalue_float_repr(value->via.f64, out->num, sizeof out->num);
        break;
    default:
        return false;
    }
    if (n < 0 || (size_t) n >= sizeof out->num)
        return false;
    out->ptr = out->num;
    out->len = (size_t) n;
    return true;
}

charfield_status_t charfield_read(const msgpack_object *data, const char *name,
                                  const charfield_rules_t *rules, charfield_t *out,
                                  field_errors_t *errors)
{
    const msgpack_object *value = proto_map_get(data, name);

    out->ptr = out->num;
    out->len = 0;
    out->num[0] = 0;
    if (!value) {
        if (!rules->required)
            return CHARFIELD_ABSENT;
        field_errors_add(errors, name, CHARFIELD_REQUIRED);
        return CHARFIELD_ERROR;
    }
    if (value->type == MSGPACK_OBJECT_NIL) {
        field_errors_add(errors, name, CHARFIELD_NULL);
        return CHARFIELD_ERROR;
    }
    if (value->type == MSGPACK_OBJECT_STR) {
        if (!utf8_valid(value->via.str.ptr, value->via.str.size)) {
            field_errors_add(errors, name, CHARFIELD_INVALID);
            return CHARFIELD_ERROR;
        }
        out->ptr = value->via.str.ptr;
        out->len = value->via.str.size;
    } else if (!number_text(value, out)) {
        field_errors_add(errors, name, CHARFIELD_INVALID);
        return CHARFIELD_ERROR;
    }
    text_strip(&out->ptr, &out->len);
    if (out->len == 0 && !rules->allow_blank) {
        field_errors_add(errors, name, CHARFIELD_BLANK);
        return CHARFIELD_ERROR;
    }
    return CHARFIELD_OK;
}

bool charfield_check(const charfield_t *field, const char *name, size_t max_length,
                     field_errors_t *errors)
{
    bool ok = true;
    if (max_length > 0 && utf8_length(field->ptr, field->len) > max_length) {
        field_errors_add(errors, name, CHARFIELD_TOO_LONG, max_length);
        ok = false;
    }
    if (memchr(field->ptr, 0, field->len)) {
        field_errors_add(errors, name, CHARFIELD_NUL);
        ok = false;
    }
    return ok;
}
