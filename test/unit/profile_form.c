/*  Unit tests for profile_form.c: the writable fields of PUT/PATCH /api/users/{id}/,
 *  validated as DRF's serializer would. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "profile_form.h"
#include "testdata.h"

/*  Reads data_json (NULL: no data) as PUT or PATCH; expects the errors. The form is
 *  left in *form (the caller releases it). */
static void read_form(const char *data_json, bool partial, profile_form_t *form,
                      const char *errors_json)
{
    testdata_t p;
    const msgpack_object *data = data_json ? testdata_pack_json(&p, data_json) : NULL;
    field_errors_t errors;
    field_errors_init(&errors);
    cr_expect_eq(profile_form_read(data, partial, form, &errors), 0, "%s", data_json);
    testdata_expect_errors(&errors, errors_json, data_json ? data_json : "(none)");
    if (data_json)
        testdata_free(&p);
}

Test(profile_form, put_with_every_field)
{
    profile_form_t form;
    read_form("{\"email\": \" ada@example.com \", \"first_name\": \"Ada\", \"last_name\": "
              "\"\", \"bio\": \"  hi  \", \"username\": \"ignored\", \"id\": 3}",
              false, &form, "{}");
    cr_expect_str_eq(form.email, "ada@example.com");
    cr_expect_str_eq(form.email_checked, "ada@example.com");
    cr_expect_str_eq(form.first_name, "Ada");
    cr_expect_str_eq(form.last_name, "");
    cr_expect_str_eq(form.bio, "hi");
    cr_expect_not(profile_form_empty(&form));
    profile_form_release(&form);
}

Test(profile_form, put_requires_the_email)
{
    profile_form_t form;
    read_form("{\"first_name\": \"Ada\"}", false, &form,
              "{\"email\": [\"This field is required.\"]}");
    cr_expect_null(form.email);
    cr_expect_str_eq(form.first_name, "Ada");
    profile_form_release(&form);
    read_form(NULL, false, &form, "{\"email\": [\"This field is required.\"]}");
    profile_form_release(&form);
}

Test(profile_form, patch_changes_only_what_is_sent)
{
    profile_form_t form;
    read_form("{\"bio\": \"new\"}", true, &form, "{}");
    cr_expect_null(form.email);
    cr_expect_null(form.first_name);
    cr_expect_null(form.last_name);
    cr_expect_str_eq(form.bio, "new");
    profile_form_release(&form);
    read_form("{}", true, &form, "{}");
    cr_expect(profile_form_empty(&form));
    profile_form_release(&form);
    read_form(NULL, true, &form, "{}");
    cr_expect(profile_form_empty(&form));
    profile_form_release(&form);
}

Test(profile_form, email_never_blank_and_well_formed)
{
    profile_form_t form;
    read_form("{\"email\": \"\"}", true, &form, "{\"email\": [\"This field may not be blank.\"]}");
    profile_form_release(&form);
    read_form("{\"email\": null}", true, &form, "{\"email\": [\"This field may not be null.\"]}");
    profile_form_release(&form);
    read_form("{\"email\": \"not-an-email\"}", true, &form,
              "{\"email\": [\"Enter a valid email address.\"]}");
    cr_expect_null(form.email);
    cr_expect_null(form.email_checked);
    profile_form_release(&form);
}

/* Reads a PATCH whose email is `length` a's followed by `tail`; expects errors_json and
 * no email kept. */
static void expect_long_email(size_t length, const char *tail, const char *errors_json)
{
    char data[400], local[300];
    memset(local, 'a', length);
    local[length] = 0;
    snprintf(data, sizeof data, "{\"email\": \"%s%s\"}", local, tail);
    profile_form_t form;
    read_form(data, true, &form, errors_json);
    cr_expect_null(form.email);
    cr_expect_null(form.email_checked);
    profile_form_release(&form);
}

Test(profile_form, too_long_email)
{
    expect_long_email(250, "@example.com",
                      "{\"email\": [\"Ensure this field has no more than 254 characters.\"]}");
}

Test(profile_form, too_long_and_malformed_email_gets_both_messages)
{
    expect_long_email(256, "",
                      "{\"email\": [\"Ensure this field has no more than 254 characters.\", "
                      "\"Enter a valid email address.\"]}");
}

Test(profile_form, lengths_of_names_and_bio)
{
    char data[1400], name[160], bio[520];
    memset(name, 'n', 151);
    name[151] = 0;
    memset(bio, 'b', 501);
    bio[501] = 0;
    snprintf(data, sizeof data, "{\"first_name\": \"%s\", \"last_name\": \"%.150s\", \"bio\": \"%s\"}",
             name, name, bio);
    profile_form_t form;
    read_form(data, true, &form,
              "{\"first_name\": [\"Ensure this field has no more than 150 characters.\"], "
              "\"bio\": [\"Ensure this field has no more than 500 characters.\"]}");
    cr_expect_null(form.first_name);
    cr_expect_not_null(form.last_name);
    cr_expect_null(form.bio);
    profile_form_release(&form);
}

Test(profile_form, well_formed_email_is_checked_even_when_others_fail)
{
    profile_form_t form;
    read_form("{\"email\": \"ada@example.com\", \"bio\": 5, \"first_name\": [1]}", true, &form,
              "{\"first_name\": [\"Not a valid string.\"]}");
    cr_expect_str_eq(form.email_checked, "ada@example.com");
    cr_expect_str_eq(form.bio, "5");
    profile_form_release(&form);
}

Test(profile_form, data_that_is_not_a_dictionary)
{
    profile_form_t form;
    read_form("[1, 2]", true, &form,
              "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got list.\"]}");
    cr_expect(profile_form_empty(&form));
    profile_form_release(&form);
    read_form("null", false, &form, "{\"non_field_errors\": [\"No data provided\"]}");
    profile_form_release(&form);
}

Test(profile_form, release_is_safe_twice)
{
    profile_form_t form;
    read_form("{\"email\": \"a@b.co\", \"bio\": \"x\"}", false, &form, "{}");
    profile_form_release(&form);
    profile_form_release(&form);
    cr_expect(profile_form_empty(&form));
    cr_expect_null(form.email_checked);
}
