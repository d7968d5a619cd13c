/*  field_errors.c: DRF-style validation error collection. See field_errors.h. */
#include "field_errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"

void field_errors_init(field_errors_t *errors)
{
    errors->count = 0;
}

void field_errors_add(field_errors_t *errors, const char *field, const char *fmt, ...)
{
    if (errors->count >= FIELD_ERRORS_MAX)
        return;
    int i = errors->count++;
    snprintf(errors->items[i].field, sizeof errors->items[i].field, "%s", field);
    va_list args;
    va_start(args, fmt);
    vsnprintf(errors->items[i].message, sizeof errors->items[i].message, fmt, args);
    va_end(args);
}

bool field_errors_any(const field_errors_t *errors)
{
    return errors->count > 0;
}

bool field_errors_has(const field_errors_t *errors, const char *field)
{
    for (int i = 0; i < errors->count; i++)
        if (strcmp(errors->items[i].field, field) == 0)
            return true;
    return false;
}

/* True when items[i] is the first entry for its field. */
static bool first_of_field(const field_errors_t *errors, int i)
{
    for (int j = 0; j < i; j++)
        if (strcmp(errors->items[j].field, errors->items[i].field) == 0)
            return false;
    return true;
}

void field_errors_pack(const field_errors_t *errors, msgpack_packer *pk)
{
    size_t fields = 0;
    for (int i = 0; i < errors->count; i++)
        fields += first_of_field(errors, i);
    msgpack_pack_map(pk, fields);
    for (int i = 0; i < errors->count; i++) {
        if (!first_of_field(errors, i))
            continue;
        size_t messages = 0;
        for (int j = i; j < errors->count; j++)
            messages += strcmp(errors->items[j].field, errors->items[i].field) == 0;
        proto_pack_str(pk, errors->items[i].field);
        msgpack_pack_array(pk, messages);
        for (int j = i; j < errors->count; j++)
            if (strcmp(errors->items[j].field, errors->items[i].field) == 0)
                proto_pack_str(pk, errors->items[j].message);
    }
}
