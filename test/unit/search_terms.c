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
        cr_expect_null(terms.patterns);
        search_terms_release(&terms);
    }
}

/*  Parses text and expects count terms, their patterns as the array literal
 *  `patterns` (longest first). */
static void expect_terms(const char *text, int count, const char *patterns)
{
    search_terms_t terms;
    parse_ok(text, &terms);
    cr_assert_eq(terms.count, count, "\"%s\": count", text);
    cr_expect_str_eq(terms.patterns, patterns, "\"%s\": patterns", text);
    search_terms_release(&terms);
}

Test(search_terms, commas_and_whitespace_separate_terms)
{
    expect_terms("ada, lovelace\tb", 3, "{\"%lovelace%\",\"%ada%\",\"%b%\"}");
}

Test(search_terms, like_metacharacters_are_escaped_and_quoted_for_the_array)
{
    /* In the literal: quotes escaped, and the LIKE escape escaped once more. */
    expect_terms("50%_off\\", 1, "{\"%50\\\\%\\\\_off\\\\\\\\%\"}");
    expect_terms("e\"e f%", 2, "{\"%e\\\"e%\",\"%f\\\\%%\"}");
}

Test(search_terms, many_terms_all_go_to_the_array)
{
    expect_terms("aaaaaa bbbbb cccc ddd ee f", 6,
                 "{\"%aaaaaa%\",\"%bbbbb%\",\"%cccc%\",\"%ddd%\",\"%ee%\",\"%f%\"}");
}

Test(search_terms, longest_first_keeps_the_order_of_equals)
{
    expect_terms("ab cd efg hi", 4, "{\"%efg%\",\"%ab%\",\"%cd%\",\"%hi%\"}");
}

Test(search_terms, unicode_text_and_separators)
{
    /* U+3000 (ideographic space) separates terms, as Python's str.split() does. */
    expect_terms("\xc3\xa9t\xc3\xa9\xe3\x80\x80z", 2, "{\"%\xc3\xa9t\xc3\xa9%\",\"%z%\"}");
}

/* Parses len bytes of text and expects it refused with errors_json and no terms. */
static void expect_refused(const char *text, size_t len, const char *errors_json)
{
    field_errors_t errors;
    search_terms_t terms;
    field_errors_init(&errors);
    cr_expect_eq(search_terms_parse(text, len, &terms, &errors), 0);
    cr_expect_eq(terms.count, 0);
    testdata_expect_errors(&errors, errors_json, text);
    search_terms_release(&terms);
}

Test(search_terms, text_that_is_not_valid_is_refused)
{
    expect_refused("a\xff", 2, "{\"search\": [\"Not a valid string.\"]}");
    expect_refused("a\0b", 3, "{\"search\": [\"Null characters are not allowed.\"]}");
}

Test(search_terms, release_is_safe_twice)
{
    search_terms_t terms;
    parse_ok("a b c d e", &terms);
    search_terms_release(&terms);
    search_terms_release(&terms);
    cr_expect_eq(terms.count, 0);
    cr_expect_null(terms.patterns);
}
