/*  text_field.c: DRF's CharField rules for one field of a request. See text_field.h. */
#include "text_field.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

bool text_field_is_space(unsigned long cp)
{
    if ((cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20))
        return true;
    switch (cp) {
    case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029: case 0x202f:
    case 0x205f: case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200a;
    }
}

size_t text_field_decode(const char *s, size_t len, unsigned long *cp)
{
    const unsigned char *u = (const unsigned char *) s;
    size_t n = u[0] < 0x80 ? 1 : u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : 4;
    if (u[0] < 0xc0 || n > len) {
        *cp = u[0];
        return 1;
    }
    unsigned long value = u[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++)
        value = (value << 6) | (u[i] & 0x3f);
    *cp = value;
    return n;
}

long text_field_utf8_length(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *) s;
    long count = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = u[i];
        size_t n;
        unsigned long min;
        if (c < 0x80) {
            i++;
            count++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            min = 0x10000;
        } else {
            return -1;
        }
        if (i + n > len)
            return -1;
        unsigned long cp = c & (0x7f >> n);
        for (size_t k = 1; k < n; k++) {
            if ((u[i + k] & 0xc0) != 0x80)
                return -1;
            cp = (cp << 6) | (u[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return -1;
        i += n;
        count++;
    }
    return count;
}

int text_field_float_repr(double x, char *buf, size_t size)
{
    int n;
    if (isnan(x)) {
        n = snprintf(buf, size, "nan");
    } else if (isinf(x)) {
        n = snprintf(buf, size, "%sinf", x < 0 ? "-" : "");
    } else if (x > -1e16 && x < 1e16 && x == (double) (long long) x) {
        /* Integral and below 1e16: Python writes every digit and ".0". */
        n = snprintf(buf, size, "%.0f.0", x);
    } else {
        /* The shortest %g that reads back as the same double. It picks the exponent
         * form exactly when Python's repr does: below 1e-4, or at 1e16 and above
         * (a non-integral value needs more digits than its exponent). */
        n = -1;
        for (int precision = 1; precision <= 17; precision++) {
            n = snprintf(buf, size, "%.*g", precision, x);
            if (n < 0 || (size_t) n >= size || strtod(buf, NULL) == x)
                break;
        }
    }
    return n >= 0 && (size_t) n < size ? n : -1;
}

const char *text_field_type_name(const msgpack_object *value)
{
    switch (value->type) {
    case MSGPACK_OBJECT_NIL: return "NoneType";
    case MSGPACK_OBJECT_BOOLEAN: return "bool";
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
    case MSGPACK_OBJECT_NEGATIVE_INTEGER: return "int";
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64: return "float";
    case MSGPACK_OBJECT_STR: return "str";
    case MSGPACK_OBJECT_ARRAY: return "list";
    case MSGPACK_OBJECT_MAP: return "dict";
    default: return "bytes";
    }
}

/* Python's str() of a number into value->buf; -1 for any other type. */
static int number_to_text(const msgpack_object *obj, text_field_value_t *value)
{
    int n;
    if (obj->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
        n = snprintf(value->buf, sizeof value->buf, "%llu", (unsigned long long) obj->via.u64);
    else if (obj->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        n = snprintf(value->buf, sizeof value->buf, "%lld", (long long) obj->via.i64);
    else if (obj->type == MSGPACK_OBJECT_FLOAT32 || obj->type == MSGPACK_OBJECT_FLOAT64)
        n = text_field_float_repr(obj->via.f64, value->buf, sizeof value->buf);
    else
        return -1;
    if (n < 0)
        return -1;
    value->text = value->buf;
    value->len = (size_t) n;
    return 0;
}

/* Trims Python whitespace from both ends of value->text (valid UTF-8). */
static void trim(text_field_value_t *value)
{
    const char *s = value->text;
    size_t len = value->len;
    while (len > 0) {
        unsigned long cp;
        size_t n = text_field_decode(s, len, &cp);
        if (!text_field_is_space(cp))
            break;
        s += n;
        len -= n;
    }
    while (len > 0) {
        /* Step back to the first byte of the last code point. */
        size_t start = len - 1;
        while (start > 0 && ((unsigned char) s[start] & 0xc0) == 0x80)
            start--;
        unsigned long cp;
        text_field_decode(s + start, len - start, &cp);
        if (!text_field_is_space(cp))
            break;
        len = start;
    }
    value->text = s;
    value->len = len;
}

text_field_status_t text_field_read(const msgpack_object *data, const char *key,
                                    const text_field_rules_t *rules,
                                    text_field_value_t *value, field_errors_t *errors)
{
    const msgpack_object *obj = proto_map_get(data, key);
    if (!obj)
        return TEXT_FIELD_ABSENT;
    if (obj->type == MSGPACK_OBJECT_NIL) {
        field_errors_add(errors, key, "This field may not be null.");
        return TEXT_FIELD_REJECTED;
    }
    if (obj->type == MSGPACK_OBJECT_STR) {
        value->text = obj->via.str.ptr;
        value->len = obj->via.str.size;
        if (text_field_utf8_length(value->text, value->len) < 0) {
            field_errors_add(errors, key, "Not a valid string.");
            return TEXT_FIELD_REJECTED;
        }
    } else if (number_to_text(obj, value) != 0) {
        field_errors_add(errors, key, "Not a valid string.");
        return TEXT_FIELD_REJECTED;
    }
    trim(value);
    value->code_points = (size_t) text_field_utf8_length(value->text, value->len);
    if (value->len == 0) {
        if (rules->allow_blank)
            return TEXT_FIELD_OK;
        field_errors_add(errors, key, "This field may not be blank.");
        return TEXT_FIELD_REJECTED;
    }
    text_field_status_t status = TEXT_FIELD_OK;
    if (value->code_points > rules->max_length) {
        field_errors_add(errors, key, "Ensure this field has no more than %zu characters.",
                         rules->max_length);
        status = TEXT_FIELD_INVALID;
    }
    if (memchr(value->text, 0, value->len)) {
        field_errors_add(errors, key, "Null characters are not allowed.");
        status = TEXT_FIELD_INVALID;
    }
    return status;
}
