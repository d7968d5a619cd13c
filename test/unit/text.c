/*  Unit tests for text.c: UTF-8 decoding and encoding, lengths in code points, and
 *  Python's character classes (str.isspace, re's \w, str.isdigit, str.lower). */
#include <criterion/criterion.h>
#include <string.h>

#include "text.h"

Test(text, utf8_decoding)
{
    uint32_t cp;
    cr_assert_eq(utf8_next("\xc3\xa9", 2, &cp), 2);
    cr_assert_eq(cp, 0xe9);
    cr_assert_eq(utf8_next("\xf0\x9f\x98\x80", 4, &cp), 4);
    cr_assert_eq(cp, 0x1f600);
    cr_assert_eq(utf8_next("\xc0\xaf", 2, &cp), 0);          /* overlong */
    cr_assert_eq(utf8_next("\xed\xa0\x80", 3, &cp), 0);      /* surrogate */
    cr_assert_eq(utf8_next("\xf4\x90\x80\x80", 4, &cp), 0);  /* > U+10FFFF */
    cr_assert_eq(utf8_next("\xe2\x82", 2, &cp), 0);          /* truncated */
    cr_assert_eq(utf8_next("\x80", 1, &cp), 0);
    cr_assert_eq(utf8_length("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10), 4);
}

Test(text, strip_and_classes)
{
    const char *s = "\xe3\x80\x80 \t abc \xc2\xa0\n";
    size_t len = strlen(s);
    text_strip(&s, &len);
    cr_assert_eq(len, 3);
    cr_assert_eq(strncmp(s, "abc", 3), 0);
    const char *blank = " \t\n";
    len = 3;
    text_strip(&blank, &len);
    cr_assert_eq(len, 0);
    cr_assert(text_is_word(0x4e2d));       /* CJK */
    cr_assert(text_is_word(0x0663));       /* Arabic-Indic digit */
    cr_assert(text_is_word('_'));
    cr_assert_not(text_is_word(0x0301));   /* combining mark */
    cr_assert_not(text_is_word(0x2014));   /* em dash */
    cr_assert_not(text_is_word(0x1f600));  /* emoji */
    cr_assert(text_is_digit(0x0967));
    cr_assert(text_is_digit(0x00b2));      /* superscript two */
    cr_assert_not(text_is_digit('a'));
    cr_assert_eq(text_lower('A'), 'a');
    cr_assert_eq(text_lower(0x0416), 0x0436);
    cr_assert_eq(text_lower(0x00c9), 0x00e9);
    cr_assert_eq(text_lower(0x0130), 0x0130);  /* lowercases to two characters: kept */
}

Test(text, validity_of_whole_strings)
{
    cr_assert(utf8_valid("", 0));
    cr_assert(utf8_valid("plain ascii", 11));
    cr_assert(utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14));
    cr_assert(utf8_valid("a\0b", 3));                      /* NUL is valid UTF-8 */
    cr_assert_not(utf8_valid("ab\xff", 3));
    cr_assert_not(utf8_valid("caf\xc3", 4));               /* cut in the middle */
    cr_assert_not(utf8_valid("\xed\xa0\x80xxxxxxxx", 11));
    cr_assert_not(utf8_valid("\xc0\xaf", 2));
}

Test(text, utf8_encoding_round_trips)
{
    const uint32_t cps[] = { 0x41, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x20ac, 0xffff, 0x10000,
                             0x1f600, 0x10ffff };
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char buf[4];
        uint32_t back = 0;
        size_t n = utf8_put(cps[i], buf);
        cr_assert_eq(utf8_next(buf, n, &back), n, "U+%04X", cps[i]);
        cr_assert_eq(back, cps[i]);
    }
}

Test(text, python_whitespace)
{
    /* str.isspace(): ASCII controls 9-13 and 28-31, space, NEL, NBSP and Unicode's
     * spaces; not the zero-width space or the BOM. */
    const uint32_t space[] = { '\t', '\n', 0x0b, 0x0c, '\r', 0x1c, 0x1f, ' ', 0x85, 0xa0,
                               0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000 };
    for (size_t i = 0; i < sizeof space / sizeof space[0]; i++)
        cr_expect(text_is_space(space[i]), "U+%04X", space[i]);
    const uint32_t other[] = { 0, 'a', 0x08, 0x0e, 0x200b, 0xfeff, 0x180e };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        cr_expect_not(text_is_space(other[i]), "U+%04X", other[i]);
}

Test(text, strip_keeps_inner_whitespace)
{
    /* (text, what str.strip() leaves) */
    const char *cases[][2] = {
        { "\xe2\x80\x83 a \xe3\x80\x80 b\xe2\x80\xa8", "a \xe3\x80\x80 b" },
        { "\x1c\x1d\x1e\x1fx\xc2\x85", "x" },
        { "\xe2\x80\x8bx\xe2\x80\x8b", "\xe2\x80\x8bx\xe2\x80\x8b" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = cases[i][0];
        size_t len = strlen(s);
        text_strip(&s, &len);
        cr_expect(len == strlen(cases[i][1]) && memcmp(s, cases[i][1], len) == 0,
                  "case %zu", i);
    }
}
