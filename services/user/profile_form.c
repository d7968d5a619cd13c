/*  profile_form.c: validation of a profile update. See profile_form.h. */
#include "profile_form.h"

#include <stdlib.h>
#include <string.h>

#include "charfield.h"
#include "email.h"
#include "serializer_data.h"

/* A NUL-terminated copy of a field's text, or NULL on allocation failure. */
static char *copy_value(const charfield_t *field)
{
    char *copy = malloc(field->len + 1);
    if (copy) {
        memcpy(copy, field->ptr, field->len);
        copy[field->len] = 0;
    }
    return copy;
}

/*  Reads one optional text field into *out (left NULL when absent or invalid).
 *  Returns 0, or -1 when out of memory. */
static int read_text(const msgpack_object *data, const char *key, size_t max_length,
                     char **out, field_errors_t *errors)
{
    const charfield_rules_t rules = { .required = false, .allow_blank = true };
    charfield_t field;
    if (charfield_read(data, key, &rules, &field, errors) == CHARFIELD_OK
        && charfield_check(&field, key, max_length, errors)) {
        *out = copy_value(&field);
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
    const charfield_rules_t rules = { .required = !partial, .allow_blank = false };
    charfield_t field;
    if (charfield_read(data, "email", &rules, &field, errors) != CHARFIELD_OK)
        return 0;
    /* DRF EmailField: CharField's checks, then EmailValidator, all messages kept. */
    bool ok = charfield_check(&field, "email", PROFILE_EMAIL_MAX, errors);
    bool well_formed = email_valid(field.ptr, field.len);
    if (!well_formed)
        field_errors_add(errors, "email", EMAIL_INVALID_MESSAGE);
    if (ok && well_formed) {
        form->email = copy_value(&field);
        form->email_checked = copy_value(&field);
        if (!form->email || !form->email_checked)
            return -1;
    }
    return 0;
}

int profile_form_read(const msgpack_object *data, bool partial, profile_form_t *form,
                      field_errors_t *errors)
{
    memset(form, 0, sizeof *form);
    if (!serializer_data_check(data, SERIALIZER_DATA_NONE, errors))
        return 0;
    /* The serializer's field order: email, first_name, last_name, bio. */
    if (read_email(data, partial, form, errors) != 0
        || read_text(data, "first_name", PROFILE_NAME_MAX, &form->first_name, errors) != 0
        || read_text(data, "last_name", PROFILE_NAME_MAX, &form->last_name, errors) != 0
        || read_text(data, "bio", PROFILE_BIO_MAX, &form->bio, errors) != 0)
        return -1;
    return 0;
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
