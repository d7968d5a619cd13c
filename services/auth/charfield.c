/*  charfield.c: DRF CharField semantics for request fields. See charfield.h. */
#include "charfield.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "text.h"

/* Room for the significant digits of a double (17) and a little more. */
#define DIGITS_MAX 24

void charfield_format_float(double value, char *out, size_t outsize)
{
    char buf[48], digits[DIGITS_MAX];
    size_t ndigits = 0;
    int exponent = 0, precision;

    if (isnan(value)) {
        snprintf(out, outsize, "nan");
        return;
    }
    if (isinf(value)) {
        snprintf(out, outsize, "%s", value < 0 ? "-inf" : "inf");
        return;
    }
    /* The shortest digit string that reads back as the same double, as repr() picks. */
    for (precision = 1; precision < 17; precision++) {
        snprintf(buf, sizeof buf, "%.*e", precision - 1, value);
        if (strtod(buf, NULL) == value)
            break;
    }
    snprintf(buf, sizeof buf, "%.*e", precision - 1, value);
    const char *p = buf;
    bool negative = *p == '-';
    if (negative)
        p++;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && ndigits < sizeof digits - 1)
            digits[ndigits++] = *p;
    if (*p == 'e')
        exponent = atoi(p + 1);
    while (ndigits > 1 && digits[ndigits - 1] == '0')
        ndigits--;
    digits[ndigits] = 0;

    /* repr() writes positional notation for 1e-4 <= |x| < 1e16, else an exponent. */
    int point = exponent + 1;          /* digits before the decimal point */
    size_t used = 0;
    char text[64];
    if (negative)
        text[used++] = '-';
    if (point > -4 && point <= 16) {
        if (point <= 0) {
            text[used++] = '0';
            text[used++] = '.';
            for (int i = 0; i < -point; i++)
                text[used++] = '0';
            memcpy(text + used, digits, ndigits);
            used += ndigits;
        } else if ((size_t) point >= ndigits) {
            memcpy(text + used, digits, ndigits);
            used += ndigits;
            for (size_t i = ndigits; i < (size_t) point; i++)
                text[used++] = '0';
            text[used++] = '.';
            text[used++] = '0';
        } else {
            memcpy(text + used, digits, (size_t) point);
            used += (size_t) point;
            text[used++] = '.';
            memcpy(text + used, digits + point, ndigits - (size_t) point);
            used += ndigits - (size_t) point;
        }
        text[used] = 0;
    } else {
        text[used++] = digits[0];
        if (ndigits > 1) {
            text[used++] = '.';
            memcpy(text + used, digits + 1, ndigits - 1);
            used += ndigits - 1;
        }
        snprintf(text + used, sizeof text - used, "e%c%02d", exponent < 0 ? '-' : '+',
                 abs(exponent));
    }
    snprintf(out, outsize, "%s", text);
}

const char *charfield_type_name(const msgpack_object *value)
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

charfield_status_t charfield_read(const msgpack_object *data, const char *name,
                                  const charfield_rules_t *rules, charfield_t *out,
                                  field_errors_t *errors)
{
    const msgpack_object *value = data ? proto_map_get(data, name) : NULL;

    out->ptr = out->num;
    out->len = 0;
    out->num[0] = 0;
    if (!value) {
        if (!rules->required)
            return CHARFIELD_ABSENT;
        field_errors_add(errors, name, CHARFIELD_REQUIRED);
        return CHARFIELD_ERROR;
    }
    switch (value->type) {
    case MSGPACK_OBJECT_NIL:
        field_errors_add(errors, name, CHARFIELD_NULL);
        return CHARFIELD_ERROR;
    case MSGPACK_OBJECT_STR:
        if (!text_utf8_valid(value->via.str.ptr, value->via.str.size)) {
            field_errors_add(errors, name, CHARFIELD_INVALID);
            return CHARFIELD_ERROR;
        }
        out->ptr = value->via.str.ptr;
        out->len = value->via.str.size;
        break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        snprintf(out->num, sizeof out->num, "%" PRIu64, value->via.u64);
        out->len = strlen(out->num);
        break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        snprintf(out->num, sizeof out->num, "%" PRId64, value->via.i64);
        out->len = strlen(out->num);
        break;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        charfield_format_float(value->via.f64, out->num, sizeof out->num);
        out->len = strlen(out->num);
        break;
    default:
        /* bool, list, dict, bytes: DRF refuses to guess how to write them. */
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
    if (max_length > 0 && text_length(field->ptr, field->len) > max_length) {
        field_errors_add(errors, name, "Ensure this field has no more than %zu characters.",
                         max_length);
        ok = false;
    }
    if (memchr(field->ptr, 0, field->len)) {
        field_errors_add(errors, name, CHARFIELD_NUL);
        ok = false;
    }
    return ok;
}
