/*  Unit tests for fixedbuf.c (lib/platform): a string built in a fixed-size buffer,
 *  whole appends or none, always NUL-terminated. */
#include <criterion/criterion.h>
#include <string.h>

#include "fixedbuf.h"

Test(fixedbuf, starts_empty_and_terminated)
{
    char buf[8] = "garbage";
    fixedbuf_t out;
    fixedbuf_init(&out, buf, sizeof buf);
    cr_expect_str_eq(buf, "");
    cr_expect_eq(out.len, 0);
    cr_expect_not(out.full);
    cr_expect_eq(fixedbuf_room(&out), 7);
}

Test(fixedbuf, appends_until_the_nul_would_not_fit)
{
    char buf[8];
    fixedbuf_t out;
    fixedbuf_init(&out, buf, sizeof buf);
    fixedbuf_puts(&out, "abc");
    fixedbuf_putc(&out, 'd');
    fixedbuf_append(&out, "ef\0", 3);
    cr_expect_eq(out.len, 7);
    cr_expect_eq(memcmp(buf, "abcdef\0", 8), 0);
    cr_expect_not(out.full);
    cr_expect_eq(fixedbuf_room(&out), 0);
    fixedbuf_append(&out, "", 0);
    cr_expect_not(out.full, "an empty append always fits");
    fixedbuf_putc(&out, 'g');
    cr_expect(out.full);
    cr_expect_eq(out.len, 7);
}

Test(fixedbuf, an_append_that_does_not_fit_is_dropped_whole_and_sticks)
{
    char buf[6];
    fixedbuf_t out;
    fixedbuf_init(&out, buf, sizeof buf);
    fixedbuf_puts(&out, "ab");
    fixedbuf_puts(&out, "cdef");
    cr_expect(out.full);
    cr_expect_str_eq(buf, "ab");
    fixedbuf_putc(&out, 'c');
    cr_expect_str_eq(buf, "ab", "nothing is appended once full");
    cr_expect_eq(fixedbuf_room(&out), 0);
}

Test(fixedbuf, printf_is_all_or_nothing)
{
    char buf[8];
    fixedbuf_t out;
    fixedbuf_init(&out, buf, sizeof buf);
    fixedbuf_printf(&out, "%d-%s", 12, "ab");
    cr_expect_str_eq(buf, "12-ab");
    fixedbuf_printf(&out, "%d", 123);
    cr_expect(out.full);
    cr_expect_str_eq(buf, "12-ab");
    cr_expect_eq(out.len, 5);
}

Test(fixedbuf, printf_exactly_filling)
{
    char buf[4];
    fixedbuf_t out;
    fixedbuf_init(&out, buf, sizeof buf);
    fixedbuf_printf(&out, "%s", "xyz");
    cr_expect_not(out.full);
    cr_expect_str_eq(buf, "xyz");
}

Test(fixedbuf, size_zero_takes_nothing)
{
    char buf[1] = { 'x' };
    fixedbuf_t out;
    fixedbuf_init(&out, buf, 0);
    cr_expect_eq(buf[0], 'x', "not even a NUL is written");
    cr_expect_eq(fixedbuf_room(&out), 0);
    fixedbuf_append(&out, "", 0);
    cr_expect(out.full);
    fixedbuf_t other;
    fixedbuf_init(&other, buf, 0);
    fixedbuf_printf(&other, "%s", "");
    cr_expect(other.full);
    cr_expect_eq(buf[0], 'x');
}
