/*  testassert.c: assertions on bus replies. See testassert.h. */
#include "testassert.h"

#include <criterion/criterion.h>

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
