/*  Unit tests for the auth service's registration rules (register_form.c): every rule
 *  and every message, as DRF and Django word them. The pieces it is built on have their
 *  own tests: charfield.c, email.c, text.c, pyvalue.c, serializer_data.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "testdata.h"
#include "register_form.h"

/*  Validates the registration body `data_json` (NULL: no data) and checks the errors
 *  equal `expected_json` ("{}" when it must pass). */
static void expect_register(const char *data_json, const char *expected_json)
{
    testdata_t p;
    const msgpack_object *data = NULL;
    if (data_json)
        data = testdata_pack_json(&p, data_json);
    register_form_t in;
    field_errors_t errors;
    field_errors_init(&errors);
    bool ok = register_form_read(data, &in, &errors);
    char *got = testdata_errors_json(&errors);
    char *want = testdata_normalized(expected_json);
    cr_expect_str_eq(got, want, "data %s", data_json ? data_json : "(none)");
    cr_expect_eq(ok, strcmp(want, "{}") == 0);
    free(got);
    free(want);
    if (data_json)
        testdata_free(&p);
}

/* A body with the given username and otherwise valid fields. */
static void expect_username(const char *username_json, const char *errors_json_text)
{
    char data[2048];
    snprintf(data, sizeof data,
             "{\"username\": %s, \"email\": \"u@example.com\", \"password\": \"Xq9!mzT4pL\"}",
             username_json);
    expect_register(data, errors_json_text);
}

/* A body with the given email and otherwise valid fields. */
static void expect_email(const char *email_json, const char *errors_json_text)
{
    char data[2048];
    snprintf(data, sizeof data,
             "{\"username\": \"someone\", \"email\": %s, \"password\": \"Xq9!mzT4pL\"}", email_json);
    expect_register(data, errors_json_text);
}

/* A body with the given password and username, otherwise valid. */
static void expect_password(const char *username, const char *password_json,
                            const char *errors_json_text)
{
    char data[2048];
    snprintf(data, sizeof data, "{\"username\": \"%s\", \"email\": \"u@example.com\", \"password\": %s}",
             username, password_json);
    expect_register(data, errors_json_text);
}

#define USERNAME_INVALID "{\"username\": [\"" MSG_USERNAME_INVALID "\"]}"
#define EMAIL_INVALID "{\"email\": [\"" MSG_EMAIL_INVALID "\"]}"
#define REQUIRED "[\"This field is required.\"]"

Test(register_form_read, valid_minimal_and_full)
{
    expect_register("{\"username\": \"alice\", \"email\": \"alice@example.com\", \"password\": "
                    "\"Xq9!mzT4pL\"}",
                    "{}");
    expect_register("{\"username\": \"alice\", \"email\": \"alice@example.com\", \"password\": "
                    "\"Xq9!mzT4pL\", \"first_name\": \"Alice\", \"last_name\": \"Liddell\"}",
                    "{}");
}

Test(register_form_read, data_must_be_an_object)
{
    expect_register("[]", "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got list.\"]}");
    expect_register("\"text\"", "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got str.\"]}");
    expect_register("12", "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got int.\"]}");
    expect_register("1.5", "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got float.\"]}");
    expect_register("true", "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got bool.\"]}");
    expect_register("null", "{\"non_field_errors\": [\"This field may not be null.\"]}");
}

Test(register_form_read, everything_missing)
{
    const char *want = "{\"username\": " REQUIRED ", \"email\": " REQUIRED ", \"password\": " REQUIRED "}";
    expect_register("{}", want);
    expect_register(NULL, want);
    expect_register("{\"unknown\": 1, \"first_name\": \"x\"}", want);
}

Test(register_form_read, username_presence_and_type)
{
    expect_username("null", "{\"username\": [\"This field may not be null.\"]}");
    expect_username("\"\"", "{\"username\": [\"This field may not be blank.\"]}");
    expect_username("\"   \"", "{\"username\": [\"This field may not be blank.\"]}");
    expect_username("true", "{\"username\": [\"Not a valid string.\"]}");
    expect_username("false", "{\"username\": [\"Not a valid string.\"]}");
    expect_username("[\"a\"]", "{\"username\": [\"Not a valid string.\"]}");
    expect_username("{\"a\": 1}", "{\"username\": [\"Not a valid string.\"]}");
    /* Numbers become their text, as DRF's CharField does. */
    expect_username("12345", "{}");
}

Test(register_form_read, username_numbers_as_text)
{
    /* "-7" is letters/digits/-: valid; "1.5" valid; 1e16 is "1e+16": valid too. */
    char data[256];
    const char *numbers[] = { "-7", "1.5", "1e16", "100.0" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(data, sizeof data,
                 "{\"username\": %s, \"email\": \"u@example.com\", \"password\": \"Xq9!mzT4pL\"}",
                 numbers[i]);
        expect_register(data, "{}");
    }
}

Test(register_form_read, username_characters)
{
    const char *valid[] = { "\"user.name+tag-x_y@z\"", "\"Zo\\u00eb\"", "\"\\u7528\\u6237\"",
                            "\"\\u00d1and\\u00fa\"", "\"\\u0663\\u0664\"", "\"\\u0416\\u0436\"",
                            "\"_\"", "\"@\"", "\"\\u00aa\\u00b5\\u00ba\"", "\"  trimmed  \"" };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        expect_username(valid[i], "{}");
    const char *invalid[] = { "\"bad name\"", "\"a!b\"", "\"a#b\"", "\"tab\\there\"", "\"a/b\"",
                              "\"a\\u00d7b\"", "\"smile\\ud83d\\ude00\"", "\"e\\u0301\"",
                              "\"a\\u3000b\"", "\"caf\\u00e9\\u2122\"", "\"a,b\"", "\"a$b\"" };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        expect_username(invalid[i], USERNAME_INVALID);
}

Test(register_form_read, username_length_in_code_points)
{
    char name[1024], json[1100];
    memset(name, 'a', 150);
    name[150] = 0;
    snprintf(json, sizeof json, "\"%s\"", name);
    expect_username(json, "{}");
    memset(name, 'a', 151);
    name[151] = 0;
    snprintf(json, sizeof json, "\"%s\"", name);
    expect_username(json, "{\"username\": [\"Ensure this field has no more than 150 characters.\"]}");
    /* 150 Cyrillic letters are 300 bytes but 150 characters. */
    name[0] = 0;
    for (int i = 0; i < 150; i++)
        strcat(name, "\xd0\x96");
    snprintf(json, sizeof json, "\"%s\"", name);
    expect_username(json, "{}");
    strcat(name, "\xd0\x96");
    snprintf(json, sizeof json, "\"%s\"", name);
    expect_username(json, "{\"username\": [\"Ensure this field has no more than 150 characters.\"]}");
}

Test(register_form_read, username_with_nul)
{
    expect_username("\"ab\\u0000cd\"",
                    "{\"username\": [\"" MSG_USERNAME_INVALID "\", \"Null characters are not allowed.\"]}");
}

Test(register_form_read, text_that_is_not_utf8)
{
    /* Only reachable over the bus (JSON cannot carry it): built by hand. */
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 4);
    proto_pack_kv_strn(&pk, "username", "ab\xff", 3);
    proto_pack_kv_strn(&pk, "email", "a\xc3@example.com", 14);
    proto_pack_kv_strn(&pk, "password", "\xed\xa0\x80xxxxxxxx", 11);
    proto_pack_kv_strn(&pk, "first_name", "\xc0\xaf", 2);
    msgpack_unpacked un;
    msgpack_unpacked_init(&un);
    size_t off = 0;
    cr_assert_eq(msgpack_unpack_next(&un, buf.data, buf.size, &off), MSGPACK_UNPACK_SUCCESS);
    register_form_t in;
    field_errors_t errors;
    field_errors_init(&errors);
    cr_assert_not(register_form_read(&un.data, &in, &errors));
    char *got = testdata_errors_json(&errors);
    char *want = testdata_normalized("{\"username\": [\"Not a valid string.\"], \"email\": [\"Not a valid string.\"],"
                            " \"password\": [\"Not a valid string.\"], \"first_name\": [\"Not a valid string.\"]}");
    cr_assert_str_eq(got, want);
    free(got);
    free(want);
    msgpack_unpacked_destroy(&un);
    msgpack_sbuffer_destroy(&buf);
}

Test(register_form_read, email_presence_and_type)
{
    expect_register("{\"username\": \"someone\", \"password\": \"Xq9!mzT4pL\"}", "{\"email\": " REQUIRED "}");
    expect_email("null", "{\"email\": [\"This field may not be null.\"]}");
    expect_email("\"\"", "{\"email\": [\"This field may not be blank.\"]}");
    expect_email("\" \"", "{\"email\": [\"This field may not be blank.\"]}");
    expect_email("false", "{\"email\": [\"Not a valid string.\"]}");
    expect_email("[]", "{\"email\": [\"Not a valid string.\"]}");
    expect_email("42", EMAIL_INVALID);
}

Test(register_form_read, email_format)
{
    const char *valid[] = { "\"a@b.co\"", "\"first.last+tag@sub.example.com\"", "\"a@localhost\"",
                            "\"a@[192.168.0.1]\"", "\"a@[::1]\"", "\"\\\"a\\\\ b\\\"@example.com\"",
                            "\"user@ex\\u00e4mple.com\"", "\"x@1.23\"", "\"o'brien@example.ie\"",
                            "\"  padded@example.com  \"", "\"UPPER@EXAMPLE.COM\"" };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        expect_email(valid[i], "{}");
    const char *invalid[] = { "\"plain\"", "\"a@b\"", "\"a@b.\"", "\"a@.com\"", "\"a@-b.com\"",
                              "\"a b@c.com\"", "\"a@b..com\"", "\"@b.com\"", "\"a@\"", "\"a..b@c.de\"",
                              "\"a.@c.de\"", "\"a@b.c\"", "\"a@b.c-\"", "\"a@[300.1.1.1]\"",
                              "\"a@[1.2.3]\"", "\"\\\"a b\\\"@example.com\"", "\"a@b@c\"",
                              "\"\\u00e9@example.com\"", "\"a@exa mple.com\"", "\"a@example.com.\"" };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        expect_email(invalid[i], EMAIL_INVALID);
}

Test(register_form_read, email_length)
{
    char local[300], json[1024];
    /* 64 + 1 + 189 = 254 characters: fine. */
    memset(local, 'a', 64);
    local[64] = 0;
    char domain[200];
    memset(domain, 'b', 60);
    memcpy(domain + 60, ".", 1);
    memset(domain + 61, 'c', 60);
    memcpy(domain + 121, ".", 1);
    memset(domain + 122, 'd', 63);
    memcpy(domain + 185, ".com", 5);
    snprintf(json, sizeof json, "\"%s@%s\"", local, domain);
    cr_assert_eq(strlen(json) - 2, 254);
    expect_email(json, "{}");
    snprintf(json, sizeof json, "\"%sa@%s\"", local, domain);
    expect_email(json, "{\"email\": [\"Ensure this field has no more than 254 characters.\"]}");
    /* Past 320 characters EmailValidator refuses too. */
    char longer[400];
    memset(longer, 'a', 320);
    longer[320] = 0;
    snprintf(json, sizeof json, "\"%s@b.com\"", longer);
    expect_email(json, "{\"email\": [\"Ensure this field has no more than 254 characters.\", \"" MSG_EMAIL_INVALID "\"]}");
}

Test(register_form_read, email_with_nul)
{
    expect_email("\"a\\u0000b@example.com\"",
                 "{\"email\": [\"Null characters are not allowed.\", \"" MSG_EMAIL_INVALID "\"]}");
}

Test(register_form_read, email_domain_is_lowercased)
{
    testdata_t p;
    const msgpack_object *data = testdata_pack_json(&p, "{\"username\": \"bob\", \"email\": \" Bob.Smith@Example.COM \","
                                               " \"password\": \"Xq9!mzT4pL\"}");
    register_form_t in;
    field_errors_t errors;
    field_errors_init(&errors);
    cr_assert(register_form_read(data, &in, &errors));
    cr_assert_str_eq(in.email, "Bob.Smith@example.com");
    cr_assert_str_eq(in.username, "bob");
    cr_assert_str_eq(in.first_name, "");
    cr_assert_str_eq(in.last_name, "");
    cr_assert(in.username_ok);
    cr_assert(in.email_ok);
    testdata_free(&p);
}

Test(register_form_read, password_presence_and_type)
{
    expect_register("{\"username\": \"someone\", \"email\": \"u@example.com\"}", "{\"password\": " REQUIRED "}");
    expect_password("someone", "null", "{\"password\": [\"This field may not be null.\"]}");
    expect_password("someone", "\"\"", "{\"password\": [\"This field may not be blank.\"]}");
    expect_password("someone", "\"        \"", "{\"password\": [\"This field may not be blank.\"]}");
    expect_password("someone", "true", "{\"password\": [\"Not a valid string.\"]}");
    expect_password("someone", "{}", "{\"password\": [\"Not a valid string.\"]}");
    expect_password("someone", "\"Xq9!\\u0000mzT4pL\"", "{\"password\": [\"Null characters are not allowed.\"]}");
}

Test(register_form_read, password_rules)
{
    expect_password("someone", "\"short\"", "{\"password\": [\"" MSG_PASSWORD_SHORT "\"]}");
    expect_password("someone", "\"1234567\"",
                    "{\"password\": [\"" MSG_PASSWORD_SHORT "\", \"" MSG_PASSWORD_NUMERIC "\"]}");
    expect_password("someone", "\"12345678\"", "{\"password\": [\"" MSG_PASSWORD_NUMERIC "\"]}");
    /* A JSON number is its text. */
    expect_password("someone", "12345678", "{\"password\": [\"" MSG_PASSWORD_NUMERIC "\"]}");
    /* Digits of other scripts are digits (Python's str.isdigit). */
    expect_password("someone", "\"\\u0661\\u0662\\u0663\\u0664\\u0665\\u0666\\u0667\\u0668\"",
                    "{\"password\": [\"" MSG_PASSWORD_NUMERIC "\"]}");
    /* Length is in characters: 8 Cyrillic letters are enough, 7 are not. */
    expect_password("someone", "\"\\u043f\\u0430\\u0440\\u043e\\u043b\\u044c\\u0436\\u0436\"", "{}");
    expect_password("someone", "\"\\u043f\\u0430\\u0440\\u043e\\u043b\\u044c\\u0436\"",
                    "{\"password\": [\"" MSG_PASSWORD_SHORT "\"]}");
}

Test(register_form_read, password_similar_to_username)
{
    expect_password("alicewonder", "\"alicewonder\"",
                    "{\"password\": [\"The password is too similar to the username.\"]}");
    expect_password("alicewonder", "\"ALICEWONDER\"",
                    "{\"password\": [\"The password is too similar to the username.\"]}");
    expect_password("alice", "\"Alice\"",
                    "{\"password\": [\"The password is too similar to the username.\", \"" MSG_PASSWORD_SHORT "\"]}");
    expect_password("12345678", "\"12345678\"",
                    "{\"password\": [\"The password is too similar to the username.\", \"" MSG_PASSWORD_NUMERIC "\"]}");
    /* quick_ratio ignores order, as Django's check does. */
    expect_password("abcdefgh", "\"hgfedcba\"",
                    "{\"password\": [\"The password is too similar to the username.\"]}");
    /* Parts of the username count: "john.smith" has the part "smith". */
    expect_password("john.smith99", "\"smith99x\"",
                    "{\"password\": [\"The password is too similar to the username.\"]}");
    expect_password("alicewonder", "\"Xq9!mzT4pL\"", "{}");
}

Test(register_form_read, password_similar_to_other_attributes)
{
    expect_register("{\"username\": \"u1\", \"email\": \"u@example.com\", \"password\": \"Bartholomew\","
                    " \"first_name\": \"Bartholomew\"}",
                    "{\"password\": [\"The password is too similar to the first name.\"]}");
    expect_register("{\"username\": \"u1\", \"email\": \"u@example.com\", \"password\": \"Fitzgerald\","
                    " \"last_name\": \"FitzGerald\"}",
                    "{\"password\": [\"The password is too similar to the last name.\"]}");
    expect_register("{\"username\": \"u1\", \"email\": \"johnsmith@example.com\", \"password\": \"johnsmith\"}",
                    "{\"password\": [\"The password is too similar to the email address.\"]}");
}

Test(register_form_read, names_optional)
{
    const char *base = "{\"username\": \"someone\", \"email\": \"u@example.com\", \"password\": \"Xq9!mzT4pL\"";
    char data[2048];
    const char *cases[][2] = {
        { ", \"first_name\": \"\"", "{}" },
        { ", \"first_name\": \"  \", \"last_name\": \"\"", "{}" },
        { ", \"first_name\": null", "{\"first_name\": [\"This field may not be null.\"]}" },
        { ", \"last_name\": true", "{\"last_name\": [\"Not a valid string.\"]}" },
        { ", \"last_name\": [1]", "{\"last_name\": [\"Not a valid string.\"]}" },
        { ", \"first_name\": 7", "{}" },
        { ", \"first_name\": \"a\\u0000b\"", "{\"first_name\": [\"Null characters are not allowed.\"]}" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(data, sizeof data, "%s%s}", base, cases[i][0]);
        expect_register(data, cases[i][1]);
    }
    char name[200];
    memset(name, 'n', 151);
    name[151] = 0;
    snprintf(data, sizeof data, "%s, \"first_name\": \"%s\", \"last_name\": \"%s\"}", base, name, name);
    expect_register(data, "{\"first_name\": [\"Ensure this field has no more than 150 characters.\"],"
                          " \"last_name\": [\"Ensure this field has no more than 150 characters.\"]}");
    name[150] = 0;
    snprintf(data, sizeof data, "%s, \"first_name\": \"%s\"}", base, name);
    expect_register(data, "{}");
}

Test(register_form_read, everything_wrong_at_once)
{
    expect_register("{\"username\": \"bad name\", \"email\": \"nope\", \"password\": \"123\","
                    " \"first_name\": false}",
                    "{\"username\": [\"" MSG_USERNAME_INVALID "\"], \"email\": [\"" MSG_EMAIL_INVALID "\"],"
                    " \"password\": [\"" MSG_PASSWORD_SHORT "\", \"" MSG_PASSWORD_NUMERIC "\"],"
                    " \"first_name\": [\"Not a valid string.\"]}");
}
