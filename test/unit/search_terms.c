/*  Unit tests for search_terms.c: DRF SearchFilter's ?search= split into terms and
 *  written as escaped LIKE patterns, the longest first. */
#include <criterion/criterion.h>
#include <string.h>

#include "search_terms.h"
#include "testdata.h"

/* Parses text; expects it to be accepted with no error. */
static void parse_ok(const char *text, search_terms_t *terms)
{
    field_errors_t errors;
    field_errors_init(&errors);
    cr_assert_eq(search_terms_parse(text, strlen(text), terms, &errors), 0, "%s", text);
    testdata_expect_errors(&errors, "{}", text);
}

Test(search_terms, no_terms_no_filter)
{
    const char *texts[] = { "", " ", " , ,\t\n", "\xe3\x80\x80" };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        search_terms_t terms;
        parse_ok(texts[i], &terms);
        cr_expect_eq(terms.count, 0, "\"%s\"", texts[i]);
        cr_expect_null(terms.indexed[0]);
        search_terms_release(&terms);
    }
}

Test(search_terms, commas_and_whitespace_separate_terms)
{
    search_terms_t terms;
    parse_ok("ada, lovelace\tb", &terms);
    cr_assert_eq(terms.count, 3);
    cr_expect_str_eq(terms.indexed[0], "%lovelace%");
    cr_expect_str_eq(terms.indexed[1], "%ada%");
    cr_expect_str_eq(terms.indexed[2], "%b%");
    cr_expect_null(terms.indexed[3]);
    cr_expect_str_eq(terms.rest, "{}");
    search_terms_release(&terms);
}

Test(search_terms, like_metacharacters_are_escaped)
{
    search_terms_t terms;
    parse_ok("50%_off\\", &terms);
    cr_assert_eq(terms.count, 1);
    cr_expect_str_eq(terms.indexed[0], "%50\\%\\_off\\\\%");
    search_terms_release(&terms);
}

Test(search_terms, terms_past_the_fourth_go_to_an_array_literal)
{
    search_terms_t terms;
    parse_ok("aaaaaa bbbbb cccc ddd e\"e f%", &terms);
    cr_assert_eq(terms.count, 6);
    cr_expect_str_eq(terms.indexed[0], "%aaaaaa%");
    cr_expect_str_eq(terms.indexed[3], "%ddd%");
    /* In the literal: quotes escaped, and the LIKE escape escaped once more. */
    cr_expect_str_eq(terms.rest, "{\"%e\\\"e%\",\"%f\\\\%%\"}");
    search_terms_release(&terms);
}

Test(search_terms, longest_first_keeps_the_order_of_equals)
{
    search_terms_t terms;
    parse_ok("ab cd efg hi", &terms);
    cr_assert_eq(terms.count, 4);
    cr_expect_str_eq(terms.indexed[0], "%efg%");
    cr_expect_str_eq(terms.indexed[1], "%ab%");
    cr_expect_str_eq(terms.indexed[2], "%cd%");
    cr_expect_str_eq(terms.indexed[3], "%hi%");
    search_terms_release(&terms);
}

Test(search_terms, unicode_text_and_separators)
{
    search_terms_t terms;
    /* U+3000 (ideographic space) separates terms, as Python's str.split() does. */
    parse_ok("\xc3\xa9t\xc3\xa9\xe3\x80\x80z", &terms);
    cr_assert_eq(terms.count, 2);
    cr_expect_str_eq(terms.indexed[0], "%\xc3\xa9t\xc3\xa9%");
    cr_expect_str_eq(terms.indexed[1], "%z%");
    search_terms_release(&terms);
}

Test(search_terms, text_that_is_not_valid_is_refused)
{
    field_errors_t errors;
    search_terms_t terms;
    field_errors_init(&errors);
    cr_expect_eq(search_terms_parse("a\xff", 2, &terms, &errors), 0);
    cr_expect_eq(terms.count, 0);
    testdata_expect_errors(&errors, "{\"search\": [\"Not a valid string.\"]}", "bad UTF-8");
    search_terms_release(&terms);

    field_errors_init(&errors);
    cr_expect_eq(search_terms_parse("a\0b", 3, &terms, &errors), 0);
    cr_expect_eq(terms.count, 0);
    testdata_expect_errors(&errors, "{\"search\": [\"Null characters are not allowed.\"]}",
                           "NUL");
    search_terms_release(&terms);
}

Test(search_terms, release_is_safe_twice)
{
    search_terms_t terms;
    parse_ok("a b c d e", &terms);
    search_terms_release(&terms);
    search_terms_release(&terms);
    cr_expect_eq(terms.count, 0);
    cr_expect_null(terms.rest);
}
