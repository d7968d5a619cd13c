/*  Unit tests for pyint.c: Python's int() of a string, as Django and DRF read page
 *  numbers, page sizes, limits and ids given as text. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "pyint.h"

/* Expects text to read as value, in range `range`. */
static void expect_int(const char *text, int64_t value, int range)
{
    int64_t got = 0;
    int got_range = 9;
    cr_expect_eq(pyint_parse(text, strlen(text), &got, &got_range), 0, "\"%s\"", text);
    cr_expect_eq(got, value, "\"%s\": %lld", text, (long long) got);
    cr_expect_eq(got_range, range, "\"%s\": range %d", text, got_range);
}

/* Expects the len bytes of text to be refused, leaving the outputs as they were. */
static void expect_refused(const char *text, size_t len)
{
    int64_t got = 42;
    int got_range = 9;
    cr_expect_eq(pyint_parse(text, len, &got, &got_range), -1, "\"%.*s\"", (int) len, text);
    cr_expect_eq(got, 42, "\"%.*s\"", (int) len, text);
    cr_expect_eq(got_range, 9, "\"%.*s\"", (int) len, text);
}

Test(pyint, digits)
{
    expect_int("0", 0, 0);
    expect_int("7", 7, 0);
    expect_int("007", 7, 0);
    expect_int("1234567890", 1234567890, 0);
}

Test(pyint, empty_or_no_digits)
{
    expect_refused("", 0);
    expect_refused(" ", 1);
    expect_refused(" \t\n", 3);
    expect_refused("+", 1);
    expect_refused("-", 1);
    expect_refused(" - ", 3);
}

Test(pyint, whitespace_as_int_strips_it)
{
    expect_int(" 42\t", 42, 0);
    expect_int("\n\v\f\r 5 \r\f\v\n", 5, 0);
    expect_int("  -3  ", -3, 0);
    /* str.strip() removes U+001C..U+001F, int() does not. */
    expect_refused("\x1c" "5", 2);
    expect_refused("5\x1f", 2);
    expect_refused("\x1d\x1e" "5", 3);
    /* Between the sign and the digits, or between digits, a space is refused. */
    expect_refused("- 1", 3);
    expect_refused("1 2", 3);
}

Test(pyint, signs)
{
    expect_int("+7", 7, 0);
    expect_int("-3", -3, 0);
    expect_int("-0", 0, 0);
    expect_int("+0", 0, 0);
    expect_refused("++1", 3);
    expect_refused("+-1", 3);
    expect_refused("--1", 3);
    expect_refused("1-", 2);
    expect_refused("1+", 2);
}

Test(pyint, single_underscores_between_digits)
{
    expect_int("1_000", 1000, 0);
    expect_int("1_0_0", 100, 0);
    expect_int("-1_2", -12, 0);
    expect_int(" 0_7 ", 7, 0);
    expect_refused("_1", 2);
    expect_refused("1_", 2);
    expect_refused("1__0", 4);
    expect_refused("+_1", 3);
    expect_refused("-_1", 3);
    expect_refused("_", 1);
    expect_refused("1_ ", 3);
    expect_refused(" _1", 3);
}

Test(pyint, other_text_is_refused)
{
    static const char *const bad[] = { "abc", "1a", "a1", "1.0", "1.", ".5", "1e3", "0x10",
                                       "0b1", "0o7", "inf", "nan" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_refused(bad[i], strlen(bad[i]));
}

Test(pyint, nul_bytes_are_refused)
{
    expect_refused("5\0", 2);
    expect_refused("\0" "5", 2);
    expect_refused("1\0" "2", 3);
    /* The length bounds the text: what follows it is not read. */
    int64_t v = 0;
    cr_expect_eq(pyint_parse("12x", 2, &v, NULL), 0);
    cr_expect_eq(v, 12);
}

Test(pyint, non_ascii_is_refused)
{
    expect_refused("\xd9\xa1\xd9\xa2", 4);   /* Arabic-Indic 12: int() takes it */
    expect_refused("\xef\xbc\x95", 3);       /* fullwidth 5: int() takes it */
    expect_refused("\xc2\xb2", 2);           /* superscript two: int() refuses it too */
    expect_refused("\xc2\xa0" "5", 3);       /* no-break space: int() strips it */
    expect_refused("5\xe3\x80\x80", 4);      /* ideographic space: int() strips it */
    expect_refused("\x85" "5", 2);
    expect_refused("5\xff", 2);
}

Test(pyint, int64_edges)
{
    expect_int("9223372036854775807", INT64_MAX, 0);
    expect_int("9_223_372_036_854_775_807", INT64_MAX, 0);
    expect_int("-9223372036854775807", -INT64_MAX, 0);
    expect_int("-9223372036854775808", INT64_MIN, 0);
    expect_int("000000000000000000009223372036854775807", INT64_MAX, 0);
}

Test(pyint, out_of_range_is_clamped_and_reported)
{
    expect_int("9223372036854775808", INT64_MAX, 1);
    expect_int("18446744073709551615", INT64_MAX, 1);
    expect_int("18446744073709551616", INT64_MAX, 1);
    expect_int("99999999999999999999", INT64_MAX, 1);
    expect_int("123456789012345678901234567890", INT64_MAX, 1);
    expect_int("-9223372036854775809", INT64_MIN, -1);
    expect_int("-99999999999999999999", INT64_MIN, -1);
    /* Past the range, the rest of the text must still be an integer. */
    expect_refused("99999999999999999999x", 21);
    expect_refused("99999999999999999999_", 21);
    expect_refused("99999999999999999999__9", 23);
}

Test(pyint, range_may_be_left_out)
{
    int64_t v = 0;
    cr_expect_eq(pyint_parse("99999999999999999999", 20, &v, NULL), 0);
    cr_expect_eq(v, INT64_MAX);
    cr_expect_eq(pyint_parse("-99999999999999999999", 21, &v, NULL), 0);
    cr_expect_eq(v, INT64_MIN);
    cr_expect_eq(pyint_parse(" 8 ", 3, &v, NULL), 0);
    cr_expect_eq(v, 8);
}
