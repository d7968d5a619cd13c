/*  field_errors.h: collects DRF-style validation errors and packs them as
 *  {"field": ["message", ...], ...} in the order fields were first reported.
 */
#ifndef FIELD_ERRORS_H_INCLUDED
#define FIELD_ERRORS_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>

#define FIELD_ERRORS_MAX 16

typedef struct {
    int count;                            /* entries used */
    struct {
        char field[48];                   /* field name, or "non_field_errors" */
        char message[256];                /* human-readable message, as DRF words it */
    } items[FIELD_ERRORS_MAX];
} field_errors_t;

void field_errors_init(field_errors_t *errors);
/* Adds one message (printf-style) for field; ignored past FIELD_ERRORS_MAX. */
void field_errors_add(field_errors_t *errors, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool field_errors_any(const field_errors_t *errors);
bool field_errors_has(const field_errors_t *errors, const char *field);
/* Packs the map of field -> [messages]. */
void field_errors_pack(const field_errors_t *errors, msgpack_packer *pk);

#endif
