/*  Unit tests for chat_fields.c: the chat routes' fields read as DRF reads them:
 *  ?limit= as LimitOffsetPagination (a bad value is the default, a large one the
 *  maximum), ?before= an integer, and send's text and client_id as CharFields. */
#include <criterion/criterion.h>
#include <string.h>

#include "chat_fields.h"
#include "testdata.h"

/* The limit read from query_json. */
static int64_t limit_of(const char *query_json)
{
    testdata_t p;
    int64_t limit = chat_fields_limit(testdata_pack_json(&p, query_json));
    testdata_free(&p);
    return limit;
}

Test(chat_fields, limit_as_limit_offset_pagination_reads_it)
{
    cr_expect_eq(limit_of("{}"), 50);
    cr_expect_eq(limit_of("{\"limit\": \"\"}"), 50);
    cr_expect_eq(limit_of("{\"limit\": \"0\"}"), 50);
    cr_expect_eq(limit_of("{\"limit\": \"-5\"}"), 50);
    cr_expect_eq(limit_of("{\"limit\": \"ten\"}"), 50);
    cr_expect_eq(limit_of("{\"limit\": \"2.5\"}"), 50);
    cr_expect_eq(limit_of("{\"limit\": \"1__0\"}"), 50);
    cr_expect_eq(limit_of("{\"limit\": \"_10\"}"), 50);
    cr_expect_eq(limit_of("{\"limit\": \"1\"}"), 1);
    cr_expect_eq(limit_of("{\"limit\": \" +12 \"}"), 12);
    cr_expect_eq(limit_of("{\"limit\": \"1_0\"}"), 10);
    cr_expect_eq(limit_of("{\"limit\": \"200\"}"), 200);
    cr_expect_eq(limit_of("{\"limit\": \"201\"}"), 200);
    cr_expect_eq(limit_of("{\"limit\": \"123456789012345678901234567890\"}"), 200);
}

/* Reads query_json's before; expects rc, whether one was given and its value. */
static void expect_before(const char *query_json, int rc, bool has, int64_t before)
{
    testdata_t p;
    field_errors_t errors;
    field_errors_init(&errors);
    bool got_has = false;
    int64_t got = 0;
    cr_expect_eq(chat_fields_before(testdata_pack_json(&p, query_json), &got_has, &got, &errors),
                 rc, "%s", query_json);
    cr_expect_eq(got_has, has, "%s", query_json);
    if (has)
        cr_expect_eq(got, before, "%s", query_json);
    testdata_expect_errors(&errors, rc == 0 ? "{}" : "{\"before\": [\"A valid integer is required.\"]}",
                           query_json);
    testdata_free(&p);
}

Test(chat_fields, before_is_an_integer_or_absent)
{
    expect_before("{}", 0, false, 0);
    expect_before("{\"before\": \"\"}", 0, false, 0);
    expect_before("{\"before\": \"42\"}", 0, true, 42);
    expect_before("{\"before\": \"-1\"}", 0, true, -1);
    expect_before("{\"before\": \"x\"}", -1, false, 0);
    expect_before("{\"before\": \"4.2\"}", -1, false, 0);
    expect_before("{\"before\": \"99999999999999999999\"}", -1, false, 0);
}

/* Reads data_json's send fields; expects the errors, and the text and key when valid. */
static void expect_send(const char *data_json, const char *errors_json, const char *text,
                        const char *key)
{
    testdata_t p;
    field_errors_t errors;
    field_errors_init(&errors);
    chat_send_fields_t fields;
    int rc = chat_fields_send(testdata_pack_json(&p, data_json), &fields, &errors);
    cr_expect_eq(rc, strcmp(errors_json, "{}") == 0 ? 0 : -1, "%s", data_json);
    testdata_expect_errors(&errors, errors_json, data_json);
    if (text) {
        cr_expect_eq(fields.text.len, strlen(text), "%s: text", data_json);
        cr_expect(memcmp(fields.text.ptr, text, fields.text.len) == 0, "%s: text", data_json);
    }
    cr_expect_eq(fields.has_client_id, key != NULL, "%s: key", data_json);
    if (key) {
        cr_expect_eq(fields.client_id.len, strlen(key), "%s: key", data_json);
        cr_expect(memcmp(fields.client_id.ptr, key, fields.client_id.len) == 0, "%s: key", data_json);
    }
    testdata_free(&p);
}

Test(chat_fields, send_reads_text_and_client_id_as_charfields)
{
    expect_send("{\"text\": \" hi \"}", "{}", "hi", NULL);
    expect_send("{\"text\": \"hi\", \"client_id\": \"k-1\"}", "{}", "hi", "k-1");
    expect_send("{\"text\": \"hi\", \"client_id\": null}", "{}", "hi", NULL);
    expect_send("{\"text\": \"hi\", \"client_id\": 7}", "{}", "hi", "7");
    expect_send("{}", "{\"text\": [\"This field is required.\"]}", NULL, NULL);
    expect_send("{\"text\": \" \"}", "{\"text\": [\"This field may not be blank.\"]}", NULL, NULL);
    expect_send("{\"text\": \"hi\", \"client_id\": \"\"}", "{}", "hi", NULL);
    expect_send("{\"text\": \"hi\", \"client_id\": \"  \"}", "{}", "hi", NULL);
    expect_send("{\"text\": \"hi\", \"client_id\": {}}", "{\"client_id\": [\"Not a valid string.\"]}",
                "hi", NULL);
    expect_send("{\"text\": \"a\\u0000b\"}", "{\"text\": [\"Null characters are not allowed.\"]}",
                NULL, NULL);
}
