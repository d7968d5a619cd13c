/*  register_form.c: registration rules as DRF and Django apply them. See
 *  register_form.h.
 *
 *  Character classes follow Python exactly through text.h, and email addresses are
 *  checked by the services' one EmailValidator (email.h). One approximation remains,
 *  because no Unicode-normalization library is available: usernames are not
 *  NFKC-normalized (Django's UserManager does it on create_user).
 */
#include "register_form.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charfield.h"
#include "email.h"
#include "serializer_data.h"
#include "text.h"

/* Django's UserAttributeSimilarityValidator.DEFAULT_MAX_SIMILARITY. */
#define MAX_SIMILARITY 0.7

bool register_form_username_valid(const char *s, size_t len)
{
    uint32_t cp;
    if (len == 0)
        return false;
    for (size_t pos = 0; pos < len;) {
        size_t n = utf8_next(s + pos, len - pos, &cp);
        if (n == 0)
            return false;
        if (!text_is_word(cp) && cp != '.' && cp != '@' && cp != '+' && cp != '-')
            return false;
        pos += n;
    }
    return true;
}

/* ---- Password validators ---- */

/* Decodes valid UTF-8 into lowercased code points (str.lower()); returns the count. */
static size_t decode_lower(const char *s, size_t len, uint32_t *out)
{
    size_t count = 0;
    uint32_t cp;
    for (size_t pos = 0; pos < len;) {
        size_t n = utf8_next(s + pos, len - pos, &cp);
        if (n == 0) {
            n = 1;
            cp = 0xfffd;
        }
        out[count++] = text_lower(cp);
        pos += n;
    }
    return count;
}

/* qsort comparator for code points. */
static int compare_cp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;
    return (x > y) - (x < y);
}

/*  difflib.SequenceMatcher(a=password, b=part).quick_ratio(): twice the size of the
 *  multiset intersection over the total length. Both inputs sorted. */
static double quick_ratio(const uint32_t *a, size_t la, const uint32_t *b, size_t lb)
{
    size_t i = 0, j = 0, matches = 0;
    if (la + lb == 0)
        return 1.0;
    while (i < la && j < lb) {
        if (a[i] < b[j]) {
            i++;
        } else if (a[i] > b[j]) {
            j++;
        } else {
            matches++;
            i++;
            j++;
        }
    }
    return 2.0 * (double) matches / (double) (la + lb);
}

/* Django's exceeds_maximum_length_ratio: a part far shorter than the password is
 * skipped (it could never be "similar"). */
static bool exceeds_length_ratio(size_t password_len, size_t part_len)
{
    return password_len >= 10 * part_len
           && (double) part_len < MAX_SIMILARITY / 2 * (double) password_len;
}

/*  One part against the sorted, lowercased password; part is scratch space that gets
 *  sorted. True when the part is too similar. */
static bool part_similar(const uint32_t *password, size_t password_len, uint32_t *part,
                         size_t part_len)
{
    if (exceeds_length_ratio(password_len, part_len))
        return false;
    qsort(part, part_len, sizeof *part, compare_cp);
    return quick_ratio(password, password_len, part, part_len) >= MAX_SIMILARITY;
}

/*  True when the sorted, lowercased password is too similar to value: Django tries
 *  each piece of re.split(r"\W+", value.lower()) (empty pieces included) and then the
 *  whole lowercased value. */
static bool similar_to(const uint32_t *password, size_t password_len, const char *value)
{
    size_t len = strlen(value);
    bool similar = false;
    uint32_t *cps = malloc((len + 1) * sizeof *cps);
    uint32_t *part = malloc((len + 1) * sizeof *part);
    if (!cps || !part)
        goto cleanup;
    size_t count = decode_lower(value, len, cps);
    size_t i = 0;
    while (!similar) {
        size_t end = i;
        while (end < count && text_is_word(cps[end]))
            end++;
        memcpy(part, cps + i, (end - i) * sizeof *part);
        similar = part_similar(password, password_len, part, end - i);
        if (end == count)
            break;
        i = end;
        while (i < count && !text_is_word(cps[i]))
            i++;
        if (i == count) {
            /* A trailing separator leaves an empty last piece. */
            similar = similar || part_similar(password, password_len, part, 0);
            break;
        }
    }
    if (!similar) {
        memcpy(part, cps, count * sizeof *part);
        similar = part_similar(password, password_len, part, count);
    }

cleanup:
    free(cps);
    free(part);
    return similar;
}

bool register_form_password_valid(const char *password, size_t len, const char *username,
                       const char *first_name, const char *last_name, const char *email,
                       field_errors_t *errors)
{
    const char *values[] = { username, first_name, last_name, email };
    const char *names[] = { "username", "first name", "last name", "email address" };
    bool ok = true;

    size_t count = utf8_length(password, len);
    uint32_t *lowered = malloc((len + 1) * sizeof *lowered);
    if (lowered) {
        size_t lowered_len = decode_lower(password, len, lowered);
        qsort(lowered, lowered_len, sizeof *lowered, compare_cp);
        for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
            if (!values[i] || !*values[i] || !similar_to(lowered, lowered_len, values[i]))
                continue;
            field_errors_add(errors, "password", MSG_PASSWORD_SIMILAR, names[i]);
            ok = false;
            break;
        }
        free(lowered);
    }
    if (count < REGISTER_FORM_PASSWORD_MIN) {
        field_errors_add(errors, "password", MSG_PASSWORD_SHORT);
        ok = false;
    }
    bool numeric = count > 0;
    uint32_t cp;
    for (size_t pos = 0; pos < len && numeric;) {
        size_t n = utf8_next(password + pos, len - pos, &cp);
        numeric = n > 0 && text_is_digit(cp);
        pos += n;
    }
    if (numeric) {
        field_errors_add(errors, "password", MSG_PASSWORD_NUMERIC);
        ok = false;
    }
    return ok;
}

/* ---- The whole registration ---- */

/* Copies a value as a C string. Returns false when it does not fit (never for a value
 * that passed its length check: buffers hold 4 bytes per allowed code point). */
static bool copy_text(char *dst, size_t dstsize, const charfield_t *field)
{
    if (field->len >= dstsize)
        return false;
    memcpy(dst, field->ptr, field->len);
    dst[field->len] = 0;
    return true;
}

/* Copies a valid email with its domain lowercased (BaseUserManager.normalize_email).
 * Returns false when it does not fit. */
static bool copy_email(char *dst, size_t dstsize, const charfield_t *field)
{
    const char *at = NULL;
    for (size_t i = 0; i < field->len; i++)
        if (field->ptr[i] == '@')
            at = field->ptr + i;
    if (!at || field->len >= dstsize)
        return false;
    size_t used = (size_t) (at - field->ptr) + 1;
    memcpy(dst, field->ptr, used);
    uint32_t cp;
    for (size_t pos = used; pos < field->len;) {
        char encoded[4];
        size_t n = utf8_next(field->ptr + pos, field->len - pos, &cp);
        if (n == 0)
            return false;
        size_t m = utf8_put(text_lower(cp), encoded);
        if (used + m >= dstsize)
            return false;
        memcpy(dst + used, encoded, m);
        used += m;
        pos += n;
    }
    dst[used] = 0;
    return true;
}

bool register_form_read(const msgpack_object *data, register_form_t *in, field_errors_t *errors)
{
    const charfield_rules_t required = { .required = true, .allow_blank = false };
    const charfield_rules_t optional = { .required = false, .allow_blank = true };
    charfield_t field;
    bool first_ok = false, last_ok = false, password_ok = false;

    memset(in, 0, sizeof *in);
    in->password.ptr = in->password.num;
    if (!serializer_data_check(data, REGISTER_FORM_DATA_NULL, errors))
        return false;

    /* Django's User.username: UnicodeUsernameValidator, then CharField's own checks. */
    if (charfield_read(data, "username", &required, &field, errors) == CHARFIELD_OK) {
        bool ok = register_form_username_valid(field.ptr, field.len);
        if (!ok)
            field_errors_add(errors, "username", MSG_USERNAME_INVALID);
        ok = charfield_check(&field, "username", REGISTER_FORM_NAME_MAX, errors) && ok;
        in->username_ok = ok && copy_text(in->username, sizeof in->username, &field);
    }
    /* DRF EmailField: CharField's checks, then EmailValidator. */
    if (charfield_read(data, "email", &required, &field, errors) == CHARFIELD_OK) {
        bool ok = charfield_check(&field, "email", REGISTER_FORM_EMAIL_MAX, errors);
        if (!email_valid(field.ptr, field.len)) {
            field_errors_add(errors, "email", MSG_EMAIL_INVALID);
            ok = false;
        }
        in->email_ok = ok && copy_email(in->email, sizeof in->email, &field);
    }
    if (charfield_read(data, "password", &required, &in->password, errors) == CHARFIELD_OK)
        password_ok = charfield_check(&in->password, "password", 0, errors);
    if (charfield_read(data, "first_name", &optional, &field, errors) == CHARFIELD_OK
        && charfield_check(&field, "first_name", REGISTER_FORM_NAME_MAX, errors))
        first_ok = copy_text(in->first_name, sizeof in->first_name, &field);
    if (charfield_read(data, "last_name", &optional, &field, errors) == CHARFIELD_OK
        && charfield_check(&field, "last_name", REGISTER_FORM_NAME_MAX, errors))
        last_ok = copy_text(in->last_name, sizeof in->last_name, &field);
    /* Django's password validators see the user being created. */
    if (password_ok)
        register_form_password_valid(in->password.ptr, in->password.len,
                          in->username_ok ? in->username : NULL, first_ok ? in->first_name : NULL,
                          last_ok ? in->last_name : NULL, in->email_ok ? in->email : NULL,
                          errors);
    return !field_errors_any(errors);
}
