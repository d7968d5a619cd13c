/*  Unit tests for serializer_data.c: the request data must be a dictionary, with the
 *  messages DRF's serializers give. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "charfield.h"
#include "serializer_data.h"
#include "testdata.h"

/* Checks data_json (NULL: no data) with null_message; expects the errors as JSON. */
static void expect_data(const char *data_json, const char *null_message, const char *expected)
{
    testdata_t p;
    const msgpack_object *data = data_json ? testdata_pack_json(&p, data_json) : NULL;
    field_errors_t errors;
    field_errors_init(&errors);
    bool ok = serializer_data_check(data, null_message, &errors);
    bool empty = testdata_expect_errors(&errors, expected, data_json ? data_json : "(none)");
    cr_expect_eq(ok, empty, "data %s", data_json ? data_json : "(none)");
    if (data_json)
        testdata_free(&p);
}

Test(serializer_data, dictionaries_pass)
{
    expect_data("{}", SERIALIZER_DATA_NONE, "{}");
    expect_data("{\"a\": [1, null]}", SERIALIZER_DATA_NONE, "{}");
    expect_data(NULL, SERIALIZER_DATA_NONE, "{}");
}

Test(serializer_data, anything_else_is_named_by_its_python_type)
{
    const char *cases[][2] = {
        { "[]", "list" }, { "[{}]", "list" }, { "\"text\"", "str" }, { "12", "int" },
        { "-3", "int" }, { "1.5", "float" }, { "true", "bool" }, { "false", "bool" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char want[128];
        snprintf(want, sizeof want,
                 "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got %s.\"]}",
                 cases[i][1]);
        expect_data(cases[i][0], SERIALIZER_DATA_NONE, want);
    }
}

Test(serializer_data, null_in_the_serializers_words)
{
    expect_data("null", SERIALIZER_DATA_NONE, "{\"non_field_errors\": [\"No data provided\"]}");
    expect_data("null", CHARFIELD_NULL,
                "{\"non_field_errors\": [\"This field may not be null.\"]}");
}

/* Finds the data of a request body written as JSON; expects ok and whether data is found. */
static void expect_body(const char *body_json, bool ok, bool found)
{
    testdata_t p;
    const msgpack_object *body = testdata_pack_json(&p, body_json);
    const msgpack_object *data = body;
    cr_expect_eq(serializer_data_of(body, &data), ok, "body %s", body_json);
    cr_expect_eq(data != NULL, found, "body %s: data", body_json);
    testdata_free(&p);
}

Test(serializer_data, data_of_the_gateways_body)
{
    expect_body("{\"data\": {\"a\": 1}}", true, true);
    expect_body("{\"data\": null}", true, true);
    expect_body("{\"query\": {}}", true, false);
    expect_body("null", true, false);
    expect_body("[1]", false, false);
    expect_body("\"data\"", false, false);
    expect_body("5", false, false);
}
