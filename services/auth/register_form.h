/*  register_form.h: the registration rules, worded as DRF and Django word them.
 *
 *  Fields (DRF ModelSerializer over Django's User, plus Django's password validators):
 *    username    required, 1-150 characters, UnicodeUsernameValidator (^[\w.@+-]+\Z)
 *    email       required, at most 254 characters, EmailValidator (email.h); the
 *                domain is lowercased as UserManager.normalize_email does
 *    password    required; UserAttributeSimilarityValidator, MinimumLengthValidator(8),
 *                NumericPasswordValidator (CommonPasswordValidator is not applied)
 *    first_name, last_name   optional, may be blank, at most 150 characters
 *  Every text field is trimmed (DRF's trim_whitespace) and refuses NUL characters.
 *  Uniqueness is not checked here: it needs the database (see handlers.c).
 */
#ifndef REGISTER_FORM_H_INCLUDED
#define REGISTER_FORM_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>

#include "charfield.h"
#include "email.h"
#include "field_errors.h"

#define REGISTER_FORM_NAME_MAX 150
#define REGISTER_FORM_EMAIL_MAX 254
#define REGISTER_FORM_PASSWORD_MIN 8
/* What auth's serializers say of request data that is JSON null (serializer_data.h). */
#define REGISTER_FORM_DATA_NULL CHARFIELD_NULL

#define MSG_USERNAME_INVALID \
    "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ " \
    "characters."
#define MSG_USERNAME_TAKEN "A user with that username already exists."
#define MSG_EMAIL_INVALID EMAIL_INVALID_MESSAGE
#define MSG_EMAIL_TAKEN "user with this email address already exists."
#define MSG_PASSWORD_SHORT "This password is too short. It must contain at least 8 characters."
#define MSG_PASSWORD_NUMERIC "This password is entirely numeric."
#define MSG_PASSWORD_SIMILAR "The password is too similar to the %s."

/* A registration request that passed validation: NUL-terminated copies, sized for the
 * longest valid value (every code point may take 4 bytes). Holds a charfield_t: do not
 * copy it, and use it only while the request lives. */
typedef struct {
    char username[REGISTER_FORM_NAME_MAX * 4 + 1];     /* trimmed username */
    char email[REGISTER_FORM_EMAIL_MAX * 4 + 1];       /* trimmed email, domain lowercased */
    char first_name[REGISTER_FORM_NAME_MAX * 4 + 1];   /* trimmed, "" when absent */
    char last_name[REGISTER_FORM_NAME_MAX * 4 + 1];    /* trimmed, "" when absent */
    charfield_t password;                         /* trimmed password text */
    bool username_ok;                             /* username passed its own rules */
    bool email_ok;                                /* email passed its own rules */
} register_form_t;

/*  Validates every registration field of data (a map or NULL), filling *in and adding
 *  every failure to errors. Returns true when there were none. Even on failure,
 *  in->username_ok / in->email_ok tell which of the two can be checked for
 *  uniqueness. */
bool register_form_read(const msgpack_object *data, register_form_t *in, field_errors_t *errors);

/* Django's UnicodeUsernameValidator on UTF-8 text. */
bool register_form_username_valid(const char *s, size_t len);
/*  Django's password validators, in their order, adding messages under "password".
 *  The other attributes (NULL when unknown) feed the similarity check. Returns true
 *  when the password passes. */
bool register_form_password_valid(const char *password, size_t len, const char *username,
                       const char *first_name, const char *last_name, const char *email,
                       field_errors_t *errors);

#endif
