/*  Unit tests of query.c: query strings parsed and encoded like Django and DRF. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

/* A query parsed from raw text (asserting it parses). */
static query_t *parsed(const char *raw)
{
    query_t *q = query_new();
    cr_assert_not_null(q);
    cr_assert_eq(query_parse(q, raw, strlen(raw)), QUERY_OK, "%s", raw);
    return q;
}

Test(query, parses_and_decodes)
{
    query_t *q = parsed("a=1&b=x+y%21&a=2&&flag&=v&e=");
    cr_assert_eq(q->count, 6);
    cr_assert_str_eq(query_get(q, "a"), "2");
    cr_assert_str_eq(query_get(q, "b"), "x y!");
    cr_assert_str_eq(query_get(q, "flag"), "");
    cr_assert_str_eq(query_get(q, ""), "v");
    cr_assert_str_eq(query_get(q, "e"), "");
    cr_assert_null(query_get(q, "missing"));
    cr_assert_eq(query_distinct(q), 5);
    query_destroy(&q);
    cr_assert_null(q);
}

Test(query, encoded_separators_stay_in_values)
{
    query_t *q = parsed("s=a%26b%3Dc&t=%zz%2");
    cr_assert_str_eq(query_get(q, "s"), "a&b=c");
    cr_assert_str_eq(query_get(q, "t"), "%zz%2");
    query_destroy(&q);
}

Test(query, nul_is_refused)
{
    query_t *q = query_new();
    const char *raw = "search=a%00b";
    cr_assert_eq(query_parse(q, raw, strlen(raw)), QUERY_NUL);
    cr_assert_eq(query_add_fragment(q, "x=\0", 3), QUERY_NUL);
    query_destroy(&q);
}

Test(query, fragments_as_lws_gives_them)
{
    query_t *q = query_new();
    cr_assert_eq(query_add_fragment(q, "page=2", 6), QUERY_OK);
    cr_assert_eq(query_add_fragment(q, "", 0), QUERY_OK);
    cr_assert_eq(query_add_fragment(q, "x=a=b", 5), QUERY_OK);
    cr_assert_eq(query_add_fragment(q, "solo", 4), QUERY_OK);
    cr_assert_eq(q->count, 3);
    cr_assert_str_eq(query_get(q, "x"), "a=b");
    cr_assert_str_eq(query_get(q, "solo"), "");
    query_destroy(&q);
}

Test(query, invalid_utf8_becomes_replacement_characters)
{
    /* A truncated 3-byte sequence is one U+FFFD; a stray continuation byte is one. */
    query_t *q = parsed("s=%E2%82x%80%C3%A9");
    cr_assert_str_eq(query_get(q, "s"), "\xEF\xBF\xBDx\xEF\xBF\xBD\xC3\xA9");
    query_destroy(&q);
}

Test(query, encode_like_drf)
{
    query_t *q = parsed("search=caf%C3%A9+au+lait&page=3&a=2&page_size=5&a=1");
    char *s = query_encode(q, "page", "4");
    cr_assert_str_eq(s, "a=2&a=1&page=4&page_size=5&search=caf%C3%A9+au+lait");
    free(s);
    s = query_encode(q, "page", NULL);
    cr_assert_str_eq(s, "a=2&a=1&page_size=5&search=caf%C3%A9+au+lait");
    free(s);
    query_destroy(&q);
    q = query_new();
    s = query_encode(q, "page", NULL);
    cr_assert_str_eq(s, "");
    free(s);
    s = query_encode(q, "page", "2");
    cr_assert_str_eq(s, "page=2");
    free(s);
    query_destroy(&q);
}
