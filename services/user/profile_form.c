/*  profile_form.c: validation of a profile update. See profile_form.h. */
#include "profile_form.h"

#include <stdlib.h>
#include <string.h>

#include "email_address.h"
#include "text_field.h"

/* A NUL-terminated copy of a text value, or NULL on allocation failure. */
static char *copy_value(const text_field_value_t *value)
{
    char *copy = malloc(value->len + 1);
    if (copy) {
        memcpy(copy, value->text, value->len);
        copy[value->len] = 0;
    }
    return copy;
}

/*  Reads one optional text field into *out (left NULL when absent or invalid).
 *  Returns 0, or -1 when out of memory. */
static int read_text(const msgpack_object *data, const char *key, size_t max_length,
                     char **out, field_errors_t *errors)
{
    text_field_rules_t rules = { max_length, true };
    text_field_value_t value;
    if (text_field_read(data, key, &rules, &value, errors) == TEXT_FIELD_OK) {
        *out = copy_value(&value);
        if (!*out)
            return -1;
    }
    return 0;
}

/*  Reads the email: required unless partial, never blank, valid and short enough.
 *  Returns 0, or -1 when out of memory. */
static int read_email(const msgpack_object *data, bool partial, profile_form_t *form,
                       field_errors_t *errors)
{
    text_field_rules_t rules = { PROFILE_EMAIL_MAX, false };
    text_field_value_t value;
    text_field_status_t status = text_field_read(data, "email", &rules, &value, errors);
    if (status == TEXT_FIELD_ABSENT) {
        if (!partial)
            field_errors_add(errors, "email", "This field is required.");
        return 0;
    }
    if (status == TEXT_FIELD_REJECTED)
        return 0;
    bool well_formed = email_address_valid(value.text, value.len);
    if (!well_formed)
        field_errors_add(errors, "email", "Enter a valid email address.");
    if (status == TEXT_FIELD_OK && well_formed) {
        form->email = copy_value(&value);
        form->email_checked = copy_value(&value);
        if (!form->email || !form->email_checked)
            return -1;
    }
    return 0;
}

int profile_form_read(const msgpack_object *data, bool partial, profile_form_t *form,
                      field_errors_t *errors)
{
    memset(form, 0, sizeof *form);
    if (data && data->type == MSGPACK_OBJECT_NIL) {
        /* A JSON null body: DRF's serializer says so in its own words. */
        field_errors_add(errors, "non_field_errors", "No data provided");
        return -1;
    }
    if (data && data->type != MSGPACK_OBJECT_MAP) {
        field_errors_add(errors, "non_field_errors",
                         "Invalid data. Expected a dictionary, but got %s.",
                         text_field_type_name(data));
        return -1;
    }
    /* The serializer's field order: email, first_name, last_name, bio. */
    if (read_email(data, partial, form, errors) != 0
        || read_text(data, "first_name", PROFILE_NAME_MAX, &form->first_name, errors) != 0
        || read_text(data, "last_name", PROFILE_NAME_MAX, &form->last_name, errors) != 0
        || read_text(data, "bio", PROFILE_BIO_MAX, &form->bio, errors) != 0)
        return -2;
    return field_errors_any(errors) ? -1 : 0;
}

bool profile_form_empty(const profile_form_t *form)
{
    return !form->email && !form->first_name && !form->last_name && !form->bio;
}

void profile_form_release(profile_form_t *form)
{
    free(form->email);
    free(form->first_name);
    free(form->last_name);
    free(form->bio);
    free(form->email_checked);
    memset(form, 0, sizeof *form);
}
