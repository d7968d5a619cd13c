/*  Unit tests for charfield.c: one request field read as DRF's CharField reads it,
 *  with every message as DRF words it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "charfield.h"
#include "proto.h"
#include "testdata.h"

static const charfield_rules_t required = { .required = true, .allow_blank = false };
static const charfield_rules_t optional = { .required = false, .allow_blank = true };

/*  Reads field "f" of the JSON object data_json under rules, then checks it against
 *  max_length when it was read. Expects status, the text (when read) and the
 *  errors as JSON. */
static void expect_field(const char *data_json, const charfield_rules_t *rules,
                         size_t max_length, charfield_status_t status, const char *text,
                         const char *errors_json)
{
    testdata_t p;
    const msgpack_object *data = testdata_pack_json(&p, data_json);
    field_errors_t errors;
    field_errors_init(&errors);
    charfield_t field;
    charfield_status_t got = charfield_read(data, "f", rules, &field, &errors);
    cr_expect_eq(got, status, "data %s: status %d", data_json, got);
    bool checked = true;
    if (got == CHARFIELD_OK) {
        checked = charfield_check(&field, "f", max_length, &errors);
        if (text) {
            cr_expect_eq(field.len, strlen(text), "data %s", data_json);
            cr_expect_eq(memcmp(field.ptr, text, field.len), 0, "data %s", data_json);
        }
    }
    bool empty = testdata_expect_errors(&errors, errors_json, data_json);
    if (got == CHARFIELD_OK)
        cr_expect_eq(checked, empty, "data %s", data_json);
    testdata_free(&p);
}

Test(charfield, missing)
{
    expect_field("{}", &required, 0, CHARFIELD_ERROR, NULL,
                 "{\"f\": [\"This field is required.\"]}");
    expect_field("{\"other\": \"x\"}", &optional, 0, CHARFIELD_ABSENT, NULL, "{}");
    /* No data at all reads as an empty dictionary. */
    field_errors_t errors;
    field_errors_init(&errors);
    charfield_t field;
    cr_assert_eq(charfield_read(NULL, "f", &required, &field, &errors), CHARFIELD_ERROR);
    cr_assert_str_eq(errors.items[0].message, CHARFIELD_REQUIRED);
    cr_assert_eq(charfield_read(NULL, "f", &optional, &field, &errors), CHARFIELD_ABSENT);
    cr_assert_eq(errors.count, 1);
}

Test(charfield, null_and_wrong_types)
{
    expect_field("{\"f\": null}", &required, 0, CHARFIELD_ERROR, NULL,
                 "{\"f\": [\"This field may not be null.\"]}");
    expect_field("{\"f\": null}", &optional, 0, CHARFIELD_ERROR, NULL,
                 "{\"f\": [\"This field may not be null.\"]}");
    const char *wrong[] = { "true", "false", "[]", "[\"a\"]", "{}", "{\"a\": 1}" };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        char data[64];
        snprintf(data, sizeof data, "{\"f\": %s}", wrong[i]);
        expect_field(data, &optional, 0, CHARFIELD_ERROR, NULL,
                     "{\"f\": [\"Not a valid string.\"]}");
    }
}

Test(charfield, text_that_is_not_utf8)
{
    /* Only reachable over the bus (JSON cannot carry it): built by hand. */
    const char *bad[] = { "ab\xff", "a\xc3", "\xed\xa0\x80xx", "\xc0\xaf" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        testdata_t p;
        msgpack_packer pk;
        testdata_begin(&p, &pk);
        msgpack_pack_map(&pk, 1);
        proto_pack_kv_strn(&pk, "f", bad[i], strlen(bad[i]));
        field_errors_t errors;
        field_errors_init(&errors);
        charfield_t field;
        cr_expect_eq(charfield_read(testdata_finish(&p), "f", &optional, &field, &errors),
                     CHARFIELD_ERROR);
        cr_expect_eq(errors.count, 1);
        cr_expect_str_eq(errors.items[0].message, CHARFIELD_INVALID);
        testdata_free(&p);
    }
}

Test(charfield, integers_past_json_range)
{
    /* Only reachable over the bus (jansson stops at int64): built by hand. */
    testdata_t p;
    const msgpack_object *data = testdata_pack_uint64_max(&p, "f");
    field_errors_t errors;
    field_errors_init(&errors);
    charfield_t field;
    cr_assert_eq(charfield_read(data, "f", &required, &field, &errors), CHARFIELD_OK);
    cr_assert_eq(field.len, 20);
    cr_assert_eq(memcmp(field.ptr, "18446744073709551615", 20), 0);
    testdata_free(&p);
}

Test(charfield, numbers_become_their_python_text)
{
    expect_field("{\"f\": 12345}", &required, 0, CHARFIELD_OK, "12345", "{}");
    expect_field("{\"f\": -7}", &required, 0, CHARFIELD_OK, "-7", "{}");
    expect_field("{\"f\": 0}", &required, 0, CHARFIELD_OK, "0", "{}");
    expect_field("{\"f\": 9223372036854775807}", &required, 0, CHARFIELD_OK,
                 "9223372036854775807", "{}");
    expect_field("{\"f\": -9223372036854775808}", &required, 0, CHARFIELD_OK,
                 "-9223372036854775808", "{}");
    expect_field("{\"f\": 1.5}", &required, 0, CHARFIELD_OK, "1.5", "{}");
    expect_field("{\"f\": 100.0}", &required, 0, CHARFIELD_OK, "100.0", "{}");
    expect_field("{\"f\": 1e16}", &required, 0, CHARFIELD_OK, "1e+16", "{}");
    expect_field("{\"f\": 0.00001}", &required, 0, CHARFIELD_OK, "1e-05", "{}");
    /* The text then obeys the length rule like any other. */
    expect_field("{\"f\": 123456}", &required, 5, CHARFIELD_OK, "123456",
                 "{\"f\": [\"Ensure this field has no more than 5 characters.\"]}");
}

Test(charfield, trimmed_as_str_strip)
{
    expect_field("{\"f\": \"  a b  \"}", &required, 0, CHARFIELD_OK, "a b", "{}");
    expect_field("{\"f\": \"\\u3000\\u00a0\\t x \\n\\u2028\"}", &required, 0, CHARFIELD_OK,
                 "x", "{}");
    /* Not whitespace to Python: kept. */
    expect_field("{\"f\": \"\\u200bx\"}", &required, 0, CHARFIELD_OK, "\xe2\x80\x8bx", "{}");
}

Test(charfield, blank)
{
    const char *blank[] = { "\"\"", "\" \"", "\"\\t\\n \\u3000\"" };
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        char data[64];
        snprintf(data, sizeof data, "{\"f\": %s}", blank[i]);
        expect_field(data, &required, 0, CHARFIELD_ERROR, NULL,
                     "{\"f\": [\"This field may not be blank.\"]}");
        expect_field(data, &optional, 10, CHARFIELD_OK, "", "{}");
    }
}

Test(charfield, length_in_code_points)
{
    expect_field("{\"f\": \"abc\"}", &required, 3, CHARFIELD_OK, "abc", "{}");
    expect_field("{\"f\": \"abcd\"}", &required, 3, CHARFIELD_OK, "abcd",
                 "{\"f\": [\"Ensure this field has no more than 3 characters.\"]}");
    /* Three Cyrillic letters are six bytes but three characters. */
    expect_field("{\"f\": \"\\u0416\\u0436\\u0416\"}", &required, 3, CHARFIELD_OK,
                 "\xd0\x96\xd0\xb6\xd0\x96", "{}");
    expect_field("{\"f\": \"\\u0416\\u0436\\u0416\\u0436\"}", &required, 3, CHARFIELD_OK, NULL,
                 "{\"f\": [\"Ensure this field has no more than 3 characters.\"]}");
    /* Length counts after trimming; 0 means no limit. */
    expect_field("{\"f\": \"  abc  \"}", &required, 3, CHARFIELD_OK, "abc", "{}");
    char data[1100];
    snprintf(data, sizeof data, "{\"f\": \"%01000d\"}", 0);
    expect_field(data, &required, 0, CHARFIELD_OK, NULL, "{}");
}

Test(charfield, nul_characters)
{
    expect_field("{\"f\": \"a\\u0000b\"}", &required, 0, CHARFIELD_OK, NULL,
                 "{\"f\": [\"Null characters are not allowed.\"]}");
    /* Every validator's message is kept, length first. */
    expect_field("{\"f\": \"abcd\\u0000\"}", &required, 3, CHARFIELD_OK, NULL,
                 "{\"f\": [\"Ensure this field has no more than 3 characters.\","
                 " \"Null characters are not allowed.\"]}");
}

Test(charfield, messages_keep_field_order)
{
    testdata_t p;
    const msgpack_object *data = testdata_pack_json(&p, "{\"b\": null, \"a\": true}");
    field_errors_t errors;
    field_errors_init(&errors);
    charfield_t field;
    charfield_read(data, "a", &required, &field, &errors);
    charfield_read(data, "b", &required, &field, &errors);
    charfield_read(data, "c", &required, &field, &errors);
    cr_assert_eq(errors.count, 3);
    cr_assert_str_eq(errors.items[0].field, "a");
    cr_assert_str_eq(errors.items[0].message, CHARFIELD_INVALID);
    cr_assert_str_eq(errors.items[1].field, "b");
    cr_assert_str_eq(errors.items[1].message, CHARFIELD_NULL);
    cr_assert_str_eq(errors.items[2].field, "c");
    cr_assert_str_eq(errors.items[2].message, CHARFIELD_REQUIRED);
    testdata_free(&p);
}
