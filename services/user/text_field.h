/*  text_field.h: DRF's CharField rules for one field of a request's data.
 *
 *  As DRF does: null is "This field may not be null."; a bool, list or map is
 *  "Not a valid string."; an int or float is turned into its Python str(); leading and
 *  trailing whitespace (Python's str.strip()) is trimmed; an empty result is
 *  "This field may not be blank." unless blanks are allowed; then the validators run
 *  and all their messages are kept: more than max_length code points is
 *  "Ensure this field has no more than N characters.", a NUL character is
 *  "Null characters are not allowed.". Text that is not valid UTF-8 is
 *  "Not a valid string.".
 */
#ifndef TEXT_FIELD_H_INCLUDED
#define TEXT_FIELD_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>

#include "field_errors.h"

typedef struct {
    size_t max_length;      /* most code points allowed after trimming */
    bool allow_blank;       /* true: "" (after trimming) is a valid value */
} text_field_rules_t;

typedef enum {
    TEXT_FIELD_ABSENT,      /* the key is not in the data: nothing reported */
    TEXT_FIELD_OK,          /* *value holds the valid, trimmed text */
    TEXT_FIELD_REJECTED,    /* null, wrong type or blank: reported; no value */
    TEXT_FIELD_INVALID,     /* text that failed a validator: reported; *value is set so
                             * that further validators may add their messages */
} text_field_status_t;

typedef struct {
    const char *text;       /* the trimmed text (points into the request or into buf) */
    size_t len;             /* its length in bytes (it is not NUL-terminated) */
    size_t code_points;     /* its length in code points */
    char buf[40];           /* holds the text of a number turned into a string */
} text_field_value_t;

/*  Reads data[key] under `rules`, reporting errors under `key`. `data` must be a
 *  map (or nil, which has no keys). */
text_field_status_t text_field_read(const msgpack_object *data, const char *key,
                                    const text_field_rules_t *rules,
                                    text_field_value_t *value, field_errors_t *errors);

/*  Writes Python's repr() of a double (shortest round-trip digits, "1.0", "1e+16",
 *  "1e-05", "inf", "nan") into buf. Returns the length, or -1 if buf is too small. */
int text_field_float_repr(double x, char *buf, size_t size);

/*  Checks that [s, s+len) is well-formed UTF-8 (no overlong forms, surrogates or
 *  code points past U+10FFFF). Returns the number of code points, or -1. */
long text_field_utf8_length(const char *s, size_t len);

/*  Python's str.isspace() for one code point. */
bool text_field_is_space(unsigned long cp);

/*  Decodes the code point at s (well-formed UTF-8 of at least 1 byte, len bytes left)
 *  into *cp; returns its length in bytes (1 for a malformed byte). */
size_t text_field_decode(const char *s, size_t len, unsigned long *cp);

/*  Python's type(x).__name__ for a msgpack value: "str", "int", "float", "bool",
 *  "list", "dict", "NoneType", "bytes". */
const char *text_field_type_name(const msgpack_object *value);

#endif
