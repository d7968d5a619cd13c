/*  pyvalue.c: Python's type names and float repr() for msgpack values. See pyvalue.h. */
#include "pyvalue.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixedbuf.h"

/* Significant digits that always identify a double (DBL_DECIMAL_DIG). */
#define DIGITS_MAX 17

/* The decimal form of a finite double, as repr() picks it. */
typedef struct {
    bool negative;              /* the sign bit is set (-0.0 included) */
    char digits[DIGITS_MAX];    /* significant digits, no trailing zeros (one at least) */
    size_t count;               /* how many of digits are used */
    int point;                  /* digits before the decimal point (may be <= 0) */
} decimal_t;

const char *pyvalue_type_name(const msgpack_object *value)
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

/*  Fills *dec with the shortest digit string that reads back as value (repr()'s
 *  choice): tries 1, 2, ... significant digits, 17 always being enough. */
static void shortest_decimal(double value, decimal_t *dec)
{
    char buf[48];
    int precision;
    for (precision = 1; precision < DIGITS_MAX; precision++) {
        snprintf(buf, sizeof buf, "%.*e", precision - 1, value);
        if (strtod(buf, NULL) == value)
            break;
    }
    snprintf(buf, sizeof buf, "%.*e", precision - 1, value);

    /* buf is [-]d[.ddd]e[+-]xx */
    const char *p = buf;
    dec->negative = *p == '-';
    if (dec->negative)
        p++;
    dec->count = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && dec->count < DIGITS_MAX)
            dec->digits[dec->count++] = *p;
    dec->point = (*p == 'e' ? atoi(p + 1) : 0) + 1;
    while (dec->count > 1 && dec->digits[dec->count - 1] == '0')
        dec->count--;
}

/*  Appends the decimal in repr()'s layout to text: positional for 1e-4 <= |x| < 1e16,
 *  an exponent otherwise. */
static void layout(const decimal_t *dec, fixedbuf_t *text)
{
    if (dec->negative)
        fixedbuf_putc(text, '-');
    if (dec->point > -4 && dec->point <= 16) {
        if (dec->point <= 0) {
            /* 0.000ddd */
            fixedbuf_puts(text, "0.");
            for (int i = 0; i < -dec->point; i++)
                fixedbuf_putc(text, '0');
            fixedbuf_append(text, dec->digits, dec->count);
        } else if ((size_t) dec->point >= dec->count) {
            /* ddd000.0 */
            fixedbuf_append(text, dec->digits, dec->count);
            for (size_t i = dec->count; i < (size_t) dec->point; i++)
                fixedbuf_putc(text, '0');
            fixedbuf_puts(text, ".0");
        } else {
            /* ddd.ddd */
            size_t whole = (size_t) dec->point;
            fixedbuf_append(text, dec->digits, whole);
            fixedbuf_putc(text, '.');
            fixedbuf_append(text, dec->digits + whole, dec->count - whole);
        }
        return;
    }
    /* d[.ddd]e[+-]xx, at least two exponent digits */
    fixedbuf_append(text, dec->digits, 1);
    if (dec->count > 1) {
        fixedbuf_putc(text, '.');
        fixedbuf_append(text, dec->digits + 1, dec->count - 1);
    }
    int exponent = dec->point - 1;
    fixedbuf_printf(text, "e%c%02d", exponent < 0 ? '-' : '+', abs(exponent));
}

int pyvalue_float_repr(double value, char *out, size_t outsize)
{
    fixedbuf_t text;
    fixedbuf_init(&text, out, outsize);
    if (isnan(value)) {
        fixedbuf_puts(&text, "nan");
    } else if (isinf(value)) {
        fixedbuf_puts(&text, value < 0 ? "-inf" : "inf");
    } else {
        decimal_t dec;
        shortest_decimal(value, &dec);
        layout(&dec, &text);
    }
    if (text.full) {
        if (outsize > 0)
            out[0] = 0;
        return -1;
    }
    return (int) text.len;
}
