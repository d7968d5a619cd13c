/*  friend_fields.c: the friend routes' fields, as DRF reads them. See friend_fields.h.
 *
 *  DRF echoes values back with Python's str(), so this file renders msgpack values the
 *  way Python prints the JSON values they came from.
 */
#include "friend_fields.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "drf_messages.h"
#include "fixedbuf.h"
#include "proto.h"
#include "pyint.h"
#include "pyvalue.h"
#include "text.h"

/*  Appends a string's text; with `quoted`, as Python's repr() (inside a list or dict).
 *  Malformed UTF-8 bytes become U+FFFD; a NUL is always escaped. */
static void out_text(fixedbuf_t *out, const char *s, size_t len, bool quoted)
{
    char quote = '\'';
    if (quoted && memchr(s, '\'', len) && !memchr(s, '"', len))
        quote = '"';
    if (quoted)
        fixedbuf_putc(out, quote);
    for (size_t i = 0; i < len && !out->full;) {
        unsigned char c = (unsigned char) s[i];
        uint32_t cp;
        size_t n = utf8_next(s + i, len - i, &cp);
        char esc[2];
        if (n == 0) {
            fixedbuf_puts(out, "\xef\xbf\xbd");
            i++;
            continue;
        }
        if (quoted && (c == '\\' || c == (unsigned char) quote)) {
            esc[0] = '\\';
            esc[1] = (char) c;
            fixedbuf_append(out, esc, 2);
        } else if (c == '\n' && quoted) {
            fixedbuf_puts(out, "\\n");
        } else if (c == '\t' && quoted) {
            fixedbuf_puts(out, "\\t");
        } else if (c == '\r' && quoted) {
            fixedbuf_puts(out, "\\r");
        } else if (c == 0 || (quoted && (c < 0x20 || c == 0x7f))) {
            /* A NUL never travels raw inside a message; repr() escapes controls. */
            fixedbuf_printf(out, "\\x%02x", c);
        } else {
            fixedbuf_append(out, s + i, n);
        }
        i += n;
    }
    if (quoted)
        fixedbuf_putc(out, quote);
}

/* Appends Python's repr() of a double ("5.0", "5.5", "1e+16", "1e-05"). */
static void out_float(fixedbuf_t *out, double x)
{
    char buf[PYVALUE_FLOAT_MAX];
    if (pyvalue_float_repr(x, buf, sizeof buf) >= 0)
        fixedbuf_puts(out, buf);
}

/*  Appends Python's str() of a value (repr() when `quoted`, for the items of lists and
 *  dicts). Nesting deeper than a few levels is shown as "...". */
static void out_value(fixedbuf_t *out, const msgpack_object *v, bool quoted, int depth)
{
    switch (v->type) {
    case MSGPACK_OBJECT_NIL:
        fixedbuf_puts(out, "None");
        break;
    case MSGPACK_OBJECT_BOOLEAN:
        fixedbuf_puts(out, v->via.boolean ? "True" : "False");
        break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        fixedbuf_printf(out, "%" PRIu64, v->via.u64);
        break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        fixedbuf_printf(out, "%" PRId64, v->via.i64);
        break;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        out_float(out, v->via.f64);
        break;
    case MSGPACK_OBJECT_STR:
        out_text(out, v->via.str.ptr, v->via.str.size, quoted);
        break;
    case MSGPACK_OBJECT_ARRAY:
        if (depth > 4) {
            fixedbuf_puts(out, "[...]");
            break;
        }
        fixedbuf_puts(out, "[");
        for (uint32_t i = 0; i < v->via.array.size && !out->full; i++) {
            if (i > 0)
                fixedbuf_puts(out, ", ");
            out_value(out, &v->via.array.ptr[i], true, depth + 1);
        }
        fixedbuf_puts(out, "]");
        break;
    case MSGPACK_OBJECT_MAP:
        if (depth > 4) {
            fixedbuf_puts(out, "{...}");
            break;
        }
        fixedbuf_puts(out, "{");
        for (uint32_t i = 0; i < v->via.map.size && !out->full; i++) {
            if (i > 0)
                fixedbuf_puts(out, ", ");
            out_value(out, &v->via.map.ptr[i].key, true, depth + 1);
            fixedbuf_puts(out, ": ");
            out_value(out, &v->via.map.ptr[i].val, true, depth + 1);
        }
        fixedbuf_puts(out, "}");
        break;
    default:
        fixedbuf_puts(out, "b''");
        break;
    }
}

/*  Renders Python's str() of v into buf (size > 4), ending with "..." and cut at a
 *  character boundary when it does not fit. */
static void show_value(const msgpack_object *v, char *buf, size_t size)
{
    fixedbuf_t out;
    fixedbuf_init(&out, buf, size - 3);
    out_value(&out, v, false, 0);
    if (out.full)
        strcat(buf, "...");
}

int friend_fields_receiver(const msgpack_object *data, friend_receiver_t *receiver,
                           field_errors_t *errors)
{
    const msgpack_object *v = proto_map_get(data, "receiver");
    receiver->id = 0;
    receiver->shown[0] = 0;
    if (!v) {
        field_errors_add(errors, "receiver", DRF_FIELD_REQUIRED);
        return -1;
    }
    /* Related fields take "" for null. */
    if (v->type == MSGPACK_OBJECT_NIL || (v->type == MSGPACK_OBJECT_STR && v->via.str.size == 0)) {
        field_errors_add(errors, "receiver", DRF_FIELD_NULL);
        return -1;
    }
    show_value(v, receiver->shown, sizeof receiver->shown);
    switch (v->type) {
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        receiver->id = v->via.u64 <= INT64_MAX ? (int64_t) v->via.u64 : 0;
        return 0;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return 0;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        /* Django's int() truncates a float; an infinite or NaN one cannot be a pk. */
        if (isfinite(v->via.f64)) {
            double x = v->via.f64;
            receiver->id = x >= 1 && x < 9.2e18 ? (int64_t) x : 0;
            return 0;
        }
        break;
    case MSGPACK_OBJECT_STR: {
        /* Django's int() of the text. Not positive, or past int64: no user has it. */
        int64_t id;
        int range;
        if (pyint_parse(v->via.str.ptr, v->via.str.size, &id, &range) == 0) {
            receiver->id = range == 0 && id > 0 ? id : 0;
            return 0;
        }
        break;
    }
    default:
        break;
    }
    field_errors_add(errors, "receiver", "Incorrect type. Expected pk value, received %s.",
                     pyvalue_type_name(v));
    return -1;
}

int friend_fields_status(const msgpack_object *data, const char **status,
                         field_errors_t *errors)
{
    static const char *const choices[] = { "accepted", "rejected" };
    const msgpack_object *v = proto_map_get(data, "status");
    if (!v) {
        field_errors_add(errors, "status", DRF_FIELD_REQUIRED);
        return -1;
    }
    if (v->type == MSGPACK_OBJECT_NIL) {
        field_errors_add(errors, "status", DRF_FIELD_NULL);
        return -1;
    }
    if (v->type == MSGPACK_OBJECT_STR)
        for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++)
            if (v->via.str.size == strlen(choices[i])
                && memcmp(v->via.str.ptr, choices[i], v->via.str.size) == 0) {
                *status = choices[i];
                return 0;
            }
    char shown[FRIEND_FIELDS_SHOWN_MAX + 1];
    show_value(v, shown, sizeof shown);
    field_errors_add(errors, "status", "\"%s\" is not a valid choice.", shown);
    return -1;
}

int friend_fields_direction(const msgpack_object *query, friend_direction_t *direction,
                            field_errors_t *errors)
{
    const msgpack_object *v = proto_map_get(query, "direction");
    *direction = FRIEND_DIRECTION_INCOMING;
    if (!v || v->type == MSGPACK_OBJECT_NIL)
        return 0;
    if (v->type == MSGPACK_OBJECT_STR) {
        const char *s = v->via.str.ptr;
        size_t n = v->via.str.size;
        if (n == 0 || (n == 8 && memcmp(s, "incoming", 8) == 0))
            return 0;
        if (n == 8 && memcmp(s, "outgoing", 8) == 0) {
            *direction = FRIEND_DIRECTION_OUTGOING;
            return 0;
        }
    }
    char shown[FRIEND_FIELDS_SHOWN_MAX + 1];
    show_value(v, shown, sizeof shown);
    field_errors_add(errors, "direction", "\"%s\" is not a valid choice.", shown);
    return -1;
}
