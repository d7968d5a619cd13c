/*  Unit tests for friend_fields.c: the friend routes' fields (receiver, status,
 *  ?direction=) read as DRF reads them, with Python's str() of the value in the
 *  messages. */
#include <criterion/criterion.h>
#include <string.h>

#include "friend_fields.h"
#include "testdata.h"

/* Reads data_json's receiver; expects rc, the id and shown text (rc 0) or the errors. */
static void expect_receiver(const char *data_json, int rc, int64_t id, const char *shown,
                            const char *errors_json)
{
    testdata_t p;
    const msgpack_object *data = testdata_pack_json(&p, data_json);
    field_errors_t errors;
    field_errors_init(&errors);
    friend_receiver_t receiver;
    cr_expect_eq(friend_fields_receiver(data, &receiver, &errors), rc, "%s", data_json);
    if (rc == 0) {
        cr_expect_eq(receiver.id, id, "%s: id", data_json);
        cr_expect_str_eq(receiver.shown, shown, "%s: shown", data_json);
    }
    testdata_expect_errors(&errors, errors_json ? errors_json : "{}", data_json);
    testdata_free(&p);
}

Test(friend_fields, receiver_ids_as_django_reads_them)
{
    expect_receiver("{\"receiver\": 5}", 0, 5, "5", NULL);
    expect_receiver("{\"receiver\": \"12\"}", 0, 12, "12", NULL);
    expect_receiver("{\"receiver\": \" +1_000 \"}", 0, 1000, " +1_000 ", NULL);
    expect_receiver("{\"receiver\": 7.9}", 0, 7, "7.9", NULL);
    expect_receiver("{\"receiver\": 2.0}", 0, 2, "2.0", NULL);
}

Test(friend_fields, receiver_ids_no_user_can_have)
{
    /* Read, but 0: the handler answers 'Invalid pk "-3" - object does not exist.' */
    expect_receiver("{\"receiver\": -3}", 0, 0, "-3", NULL);
    expect_receiver("{\"receiver\": \"-3\"}", 0, 0, "-3", NULL);
    expect_receiver("{\"receiver\": 0.5}", 0, 0, "0.5", NULL);
    expect_receiver("{\"receiver\": \"99999999999999999999\"}", 0, 0,
                    "99999999999999999999", NULL);
}

Test(friend_fields, receiver_past_int64_is_no_user)
{
    testdata_t p;
    const msgpack_object *data = testdata_pack_uint64_max(&p, "receiver");
    field_errors_t errors;
    field_errors_init(&errors);
    friend_receiver_t receiver;
    cr_expect_eq(friend_fields_receiver(data, &receiver, &errors), 0);
    cr_expect_eq(receiver.id, 0);
    cr_expect_str_eq(receiver.shown, "18446744073709551615");
    testdata_free(&p);
}

Test(friend_fields, receiver_missing_or_null)
{
    expect_receiver("{}", -1, 0, NULL, "{\"receiver\": [\"This field is required.\"]}");
    expect_receiver("{\"receiver\": null}", -1, 0, NULL,
                    "{\"receiver\": [\"This field may not be null.\"]}");
    expect_receiver("{\"receiver\": \"\"}", -1, 0, NULL,
                    "{\"receiver\": [\"This field may not be null.\"]}");
}

Test(friend_fields, receiver_of_the_wrong_type)
{
    expect_receiver("{\"receiver\": true}", -1, 0, NULL,
                    "{\"receiver\": [\"Incorrect type. Expected pk value, received bool.\"]}");
    expect_receiver("{\"receiver\": [1]}", -1, 0, NULL,
                    "{\"receiver\": [\"Incorrect type. Expected pk value, received list.\"]}");
    expect_receiver("{\"receiver\": {\"id\": 1}}", -1, 0, NULL,
                    "{\"receiver\": [\"Incorrect type. Expected pk value, received dict.\"]}");
    expect_receiver("{\"receiver\": \"abc\"}", -1, 0, NULL,
                    "{\"receiver\": [\"Incorrect type. Expected pk value, received str.\"]}");
    expect_receiver("{\"receiver\": \"1__0\"}", -1, 0, NULL,
                    "{\"receiver\": [\"Incorrect type. Expected pk value, received str.\"]}");
    expect_receiver("{\"receiver\": \"_1\"}", -1, 0, NULL,
                    "{\"receiver\": [\"Incorrect type. Expected pk value, received str.\"]}");
}

/* Reads data_json's status; expects the choice or (NULL) the errors. */
static void expect_status(const char *data_json, const char *choice, const char *errors_json)
{
    testdata_t p;
    const msgpack_object *data = testdata_pack_json(&p, data_json);
    field_errors_t errors;
    field_errors_init(&errors);
    const char *status = NULL;
    int rc = friend_fields_status(data, &status, &errors);
    if (choice) {
        cr_expect_eq(rc, 0, "%s", data_json);
        cr_expect_str_eq(status, choice, "%s", data_json);
    } else {
        cr_expect_eq(rc, -1, "%s", data_json);
    }
    testdata_expect_errors(&errors, errors_json ? errors_json : "{}", data_json);
    testdata_free(&p);
}

Test(friend_fields, status_choices)
{
    expect_status("{\"status\": \"accepted\"}", "accepted", NULL);
    expect_status("{\"status\": \"rejected\"}", "rejected", NULL);
    expect_status("{}", NULL, "{\"status\": [\"This field is required.\"]}");
    expect_status("{\"status\": null}", NULL, "{\"status\": [\"This field may not be null.\"]}");
}

Test(friend_fields, status_not_a_choice_is_shown_as_python_prints_it)
{
    expect_status("{\"status\": \"maybe\"}", NULL,
                  "{\"status\": [\"\\\"maybe\\\" is not a valid choice.\"]}");
    expect_status("{\"status\": \"Accepted\"}", NULL,
                  "{\"status\": [\"\\\"Accepted\\\" is not a valid choice.\"]}");
    expect_status("{\"status\": true}", NULL,
                  "{\"status\": [\"\\\"True\\\" is not a valid choice.\"]}");
    expect_status("{\"status\": 1.0}", NULL,
                  "{\"status\": [\"\\\"1.0\\\" is not a valid choice.\"]}");
    expect_status("{\"status\": [\"a\", 1, null]}", NULL,
                  "{\"status\": [\"\\\"['a', 1, None]\\\" is not a valid choice.\"]}");
    expect_status("{\"status\": {\"k\": \"it's\"}}", NULL,
                  "{\"status\": [\"\\\"{'k': \\\"it's\\\"}\\\" is not a valid choice.\"]}");
    expect_status("{\"status\": [\"a\\nb\\\\\"]}", NULL,
                  "{\"status\": [\"\\\"['a\\\\nb\\\\\\\\']\\\" is not a valid choice.\"]}");
}

Test(friend_fields, long_values_are_cut_with_an_ellipsis)
{
    /* 200 two-byte characters: cut at a character boundary, "..." appended. */
    char data[600] = "{\"status\": \"";
    for (int i = 0; i < 200; i++)
        strcat(data, "\xc3\xa9");
    strcat(data, "\"}");
    testdata_t p;
    const msgpack_object *obj = testdata_pack_json(&p, data);
    field_errors_t errors;
    field_errors_init(&errors);
    const char *status = NULL;
    cr_assert_eq(friend_fields_status(obj, &status, &errors), -1);
    const char *message = errors.items[0].message;
    cr_assert_eq(message[0], '"');
    const char *end = strstr(message, "...\" is not a valid choice.");
    cr_assert_not_null(end, "%s", message);
    size_t shown = (size_t) (end - message - 1);
    cr_expect_eq(shown % 2, 0, "cut inside a character");
    cr_expect_leq(shown + 3, FRIEND_FIELDS_SHOWN_MAX);
    cr_expect_geq(shown + 3, FRIEND_FIELDS_SHOWN_MAX - 4);
    testdata_free(&p);
}

/* Reads ?direction= from query_json; expects the direction or (NULL) the errors. */
static void expect_direction(const char *query_json, int rc, friend_direction_t direction,
                             const char *errors_json)
{
    testdata_t p;
    const msgpack_object *query = testdata_pack_json(&p, query_json);
    field_errors_t errors;
    field_errors_init(&errors);
    friend_direction_t got;
    cr_expect_eq(friend_fields_direction(query, &got, &errors), rc, "%s", query_json);
    if (rc == 0)
        cr_expect_eq(got, direction, "%s", query_json);
    testdata_expect_errors(&errors, errors_json ? errors_json : "{}", query_json);
    testdata_free(&p);
}

Test(friend_fields, direction_incoming_by_default)
{
    expect_direction("{}", 0, FRIEND_DIRECTION_INCOMING, NULL);
    expect_direction("{\"direction\": null}", 0, FRIEND_DIRECTION_INCOMING, NULL);
    expect_direction("{\"direction\": \"\"}", 0, FRIEND_DIRECTION_INCOMING, NULL);
    expect_direction("{\"direction\": \"incoming\"}", 0, FRIEND_DIRECTION_INCOMING, NULL);
    expect_direction("{\"direction\": \"outgoing\"}", 0, FRIEND_DIRECTION_OUTGOING, NULL);
}

Test(friend_fields, direction_anything_else_is_refused)
{
    expect_direction("{\"direction\": \"sideways\"}", -1, FRIEND_DIRECTION_INCOMING,
                     "{\"direction\": [\"\\\"sideways\\\" is not a valid choice.\"]}");
    expect_direction("{\"direction\": \"OUTGOING\"}", -1, FRIEND_DIRECTION_INCOMING,
                     "{\"direction\": [\"\\\"OUTGOING\\\" is not a valid choice.\"]}");
    expect_direction("{\"direction\": 3}", -1, FRIEND_DIRECTION_INCOMING,
                     "{\"direction\": [\"\\\"3\\\" is not a valid choice.\"]}");
}
