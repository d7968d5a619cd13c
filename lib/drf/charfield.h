/*  charfield.h: reads one field of a request the way DRF's CharField does.
 *
 *  DRF's order: a missing field is "This field is required." (when required), nil is
 *  "This field may not be null.", a boolean or container is "Not a valid string."
 *  while numbers are accepted and turned into text as Python's str() does; then
 *  surrounding whitespace is trimmed (trim_whitespace, Python's str.strip()), and an
 *  empty result is "This field may not be blank." (unless blank is allowed). Text that
 *  is not valid UTF-8 cannot come from JSON; it is "Not a valid string." too.
 *  charfield_check then runs the validators every CharField has, keeping all their
 *  messages: max_length (in code points) and "Null characters are not allowed.".
 *
 *  Used by every form of the services: auth's registration and login, user's profile.
 */
#ifndef CHARFIELD_H_INCLUDED
#define CHARFIELD_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>

#include "drf_messages.h"
#include "field_errors.h"

#define CHARFIELD_REQUIRED DRF_FIELD_REQUIRED
#define CHARFIELD_NULL DRF_FIELD_NULL
#define CHARFIELD_BLANK DRF_FIELD_BLANK
#define CHARFIELD_INVALID "Not a valid string."
#define CHARFIELD_NUL DRF_NULL_CHARACTERS
#define CHARFIELD_TOO_LONG "Ensure this field has no more than %zu characters."

typedef enum {
    CHARFIELD_OK,        /* a value was read */
    CHARFIELD_ABSENT,    /* optional field not given: no value, no error */
    CHARFIELD_ERROR,     /* an error was added under the field's name; no value */
} charfield_status_t;

typedef struct {
    bool required;       /* a missing field is an error */
    bool allow_blank;    /* "" (after trimming) is accepted */
} charfield_rules_t;

/*  The text of a field. ptr points into the request or into num: do not copy the
 *  struct, and use it only while the request lives. */
typedef struct {
    const char *ptr;     /* the trimmed text (valid UTF-8, may hold NUL bytes) */
    size_t len;          /* its length in bytes (it is not NUL-terminated) */
    char num[40];        /* storage for a number turned into text */
} charfield_t;

/*  Reads field `name` of `data` (a map, or NULL when the request had no data).
 *  Returns CHARFIELD_OK with *out filled, CHARFIELD_ABSENT, or CHARFIELD_ERROR after
 *  adding the message to errors. *out is empty text unless CHARFIELD_OK. */
charfield_status_t charfield_read(const msgpack_object *data, const char *name,
                                  const charfield_rules_t *rules, charfield_t *out,
                                  field_errors_t *errors);

/*  CharField's own validators on a read value: no more than max_length code points
 *  (0: no limit) and no NUL byte. Adds each failure under name; returns true when
 *  none failed. */
bool charfield_check(const charfield_t *field, const char *name, size_t max_length,
                     field_errors_t *errors);

#endif
