/*  testassert.c: assertions on bus replies, and accounts to test with. See
 *  testassert.h. */
#include "testassert.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

int64_t register_account(const char *username, const char *password, const char *first_name,
                         const char *last_name)
{
    char email[256];
    snprintf(email, sizeof email, "%s@example.com", username);
    json_t *data = json_pack("{s:s, s:s, s:s}", "username", username, "email", email,
                             "password", password);
    if (first_name)
        json_object_set_new(data, "first_name", json_string(first_name));
    if (last_name)
        json_object_set_new(data, "last_name", json_string(last_name));
    testbus_reply_t r = testbus_call_json("auth", "register", 0, json_pack("{s:o}", "data", data));
    cr_assert_eq(r.status, PROTO_CREATED, "register %s: status %d", username, r.status);
    int64_t id = testbus_int(&r, "id");
    cr_assert_gt(id, 0);
    testbus_reply_free(&r);
    return id;
}

void assert_field_error(const testbus_reply_t *r, const char *field, const char *message)
{
    cr_assert_eq(r->status, PROTO_INVALID, "status %d for %s", r->status, field);
    json_t *list = json_object_get(r->body, field);
    cr_assert(json_is_array(list), "no errors for %s", field);
    const char *first = json_string_value(json_array_get(list, 0));
    cr_assert_not_null(first);
    cr_assert_str_eq(first, message);
}

void assert_user_gone(const testbus_reply_t *r)
{
    cr_assert_eq(r->status, PROTO_UNAUTHORIZED, "status %d", r->status);
    cr_assert_str_eq(testbus_str(r, "code"), "user_not_found");
}

size_t result_ids(const testbus_reply_t *r, int64_t *ids, size_t max)
{
    json_t *results = json_object_get(r->body, "results");
    cr_assert(json_is_array(results));
    size_t n = json_array_size(results);
    for (size_t i = 0; i < n && i < max; i++)
        ids[i] = json_integer_value(json_object_get(json_array_get(results, i), "id"));
    return n;
}
