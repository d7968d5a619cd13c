/*  Unit tests of the front door's pure functions (gateway/http/frontdoor.c): when a
 *  request line is complete, and when its target carries an encoded NUL. */
#include <criterion/criterion.h>
#include <string.h>

#include "frontdoor.h"

/* The verdict on a string, looked at with the front door's usual bound. */
static frontdoor_verdict_t judge(const char *text)
{
    return frontdoor_judge(text, strlen(text), FRONTDOOR_PEEK_MAX);
}

Test(frontdoor, line_length_counts_up_to_the_newline)
{
    size_t skip = 99;
    const char *text = "GET / HTTP/1.1\r\nHost: x\r\n";
    cr_assert_eq(frontdoor_line_length(text, strlen(text), &skip), 16);
    cr_assert_eq(skip, 0);
}

Test(frontdoor, line_length_skips_leading_empty_lines)
{
    size_t skip = 0;
    const char *text = "\r\n\r\nGET / HTTP/1.1\r\n";
    cr_assert_eq(frontdoor_line_length(text, strlen(text), &skip), 16);
    cr_assert_eq(skip, 4);
}

Test(frontdoor, incomplete_line_waits)
{
    cr_assert_eq(judge(""), FRONTDOOR_WAIT);
    cr_assert_eq(judge("\r\n"), FRONTDOOR_WAIT);
    cr_assert_eq(judge("GET /api/users/?search=a%00"), FRONTDOOR_WAIT);
    cr_assert_eq(judge("GET / HTTP/1.1\r"), FRONTDOOR_WAIT);
}

Test(frontdoor, full_buffer_without_newline_passes)
{
    char buf[64];
    memset(buf, 'a', sizeof buf);
    cr_assert_eq(frontdoor_judge(buf, sizeof buf, sizeof buf), FRONTDOOR_PASS);
}

Test(frontdoor, plain_requests_pass)
{
    cr_assert_eq(judge("GET /api/users/?search=ab HTTP/1.1\r\n"), FRONTDOOR_PASS);
    cr_assert_eq(judge("GET /api/users/?search=%2500 HTTP/1.1\r\n"), FRONTDOOR_PASS);
    cr_assert_eq(judge("GET /api/users/?search=%0 HTTP/1.1\r\n"), FRONTDOOR_PASS);
    cr_assert_eq(judge("GET /a%01b HTTP/1.1\n"), FRONTDOOR_PASS);
}

Test(frontdoor, encoded_nul_anywhere_in_the_target_is_refused)
{
    cr_assert_eq(judge("GET /api/users/?search=a%00b HTTP/1.1\r\n"), FRONTDOOR_REFUSE);
    cr_assert_eq(judge("GET /api/users/?a%00=b HTTP/1.1\r\n"), FRONTDOOR_REFUSE);
    cr_assert_eq(judge("GET /api/users/%00/ HTTP/1.1\r\n"), FRONTDOOR_REFUSE);
    cr_assert_eq(judge("\r\nGET /%00 HTTP/1.1\r\nHost: x\r\n"), FRONTDOOR_REFUSE);
    cr_assert_eq(judge("GET /x?q=%c3%a9%00 HTTP/1.1\n"), FRONTDOOR_REFUSE);
    cr_assert_eq(judge("GET /x?q=%C3%A9%000 HTTP/1.1\n"), FRONTDOOR_REFUSE);
}

Test(frontdoor, nul_only_counts_in_the_target)
{
    cr_assert_not(frontdoor_line_has_nul("G%00T", 5));
    cr_assert(frontdoor_line_has_nul("GET %00", 7));
    cr_assert_not(frontdoor_line_has_nul("GET %0", 6));
    /* Only the first header line is looked at. */
    const char *text = "GET / HTTP/1.1\r\nX-A: %00\r\n";
    cr_assert_eq(judge(text), FRONTDOOR_PASS);
}
