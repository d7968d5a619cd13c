/*  Unit tests of url.c: Python's quote and quote_plus. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "textbuf.h"
#include "url.h"

Test(url, quoting)
{
    textbuf_t b;
    textbuf_init(&b);
    url_quote_plus(&b, "a b/~_.-*'", 10);
    url_quote_path(&b, "|/api/x y/:@&+$,!*'()~", 22);
    char *s = textbuf_take(&b, NULL);
    cr_assert_str_eq(s, "a+b%2F~_.-%2A%27%7C/api/x%20y/:@&+$,!*'()~");
    free(s);
}
