/*  profile_form.h: the writable fields of PUT/PATCH /api/users/{id}/, validated as
 *  DRF's serializer would.
 *
 *  Writable: email (required by PUT, never blank, at most 254 characters, a valid
 *  address), first_name and last_name (at most 150 characters, may be blank) and bio
 *  (at most 500, may be blank). Every other key (id, username, date_joined, unknown
 *  ones) is ignored. Uniqueness of the email is the database's to check.
 */
#ifndef PROFILE_FORM_H_INCLUDED
#define PROFILE_FORM_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>

#include "field_errors.h"

#define PROFILE_EMAIL_MAX 254
#define PROFILE_NAME_MAX 150
#define PROFILE_BIO_MAX 500

typedef struct {
    char *email;            /* new email (NUL-terminated), NULL when not sent */
    char *first_name;       /* new first name, NULL when not sent */
    char *last_name;        /* new last name, NULL when not sent */
    char *bio;              /* new bio, NULL when not sent */
    char *email_checked;    /* a well-formed email to test for uniqueness even when
                             * other fields failed (so all errors come at once), or NULL */
} profile_form_t;

/*  Reads the request data (`data` is NULL when the request had none). partial is true
 *  for PATCH. Every field that fails adds its errors to *errors: the form is valid
 *  when none were added (an invalid form may still hold email_checked). Returns 0, or
 *  -1 when out of memory. Free with profile_form_release whatever the result. */
int profile_form_read(const msgpack_object *data, bool partial, profile_form_t *form,
                      field_errors_t *errors);
/* True when the form changes nothing. */
bool profile_form_empty(const profile_form_t *form);
/* Frees the copies; safe to call twice. */
void profile_form_release(profile_form_t *form);

#endif
