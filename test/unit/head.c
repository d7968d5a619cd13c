/*  Unit tests of the request-head reader (gateway/http/head.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "head.h"

/* Parses a complete head given as a C string. */
static head_status_t parse(const char *text, head_t *head)
{
    size_t len = strlen(text);
    cr_assert_eq(head_length(text, len), len, "head_length of %s", text);
    return head_parse(text, len, head);
}

Test(head, finds_the_end_of_a_head)
{
    const char *text = "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET";
    cr_assert_eq(head_length(text, strlen(text)), strlen(text) - 3);
    cr_assert_eq(head_length("GET / HTTP/1.1\r\nHost: x\r\n", 25), 0);
    cr_assert_eq(head_length("GET / HTTP/1.1\n\n", 16), 16);
    cr_assert_eq(head_skip_empty("\r\n\r\nGET", 7), 4);
}

Test(head, parses_a_request)
{
    head_t h;
    cr_assert_eq(parse("POST /api/x/?a=1 HTTP/1.1\r\nHost: example.com\r\n"
                       "Content-Length: 12\r\nX-Empty:\r\nAuthorization:  Bearer t \r\n\r\n", &h),
                 HEAD_OK);
    cr_assert_str_eq(h.method, "POST");
    cr_assert_eq(h.target_len, strlen("/api/x/?a=1"));
    cr_assert(h.has_length);
    cr_assert_eq(h.length, 12);
    cr_assert(h.keep_alive);
    size_t len = 0;
    const char *v = head_field(&h, "AUTHORIZATION", &len);
    cr_assert(v && len == 8 && memcmp(v, "Bearer t", 8) == 0);
    v = head_field(&h, "x-empty", &len);
    cr_assert(v && len == 0);
    cr_assert_null(head_field(&h, "origin", &len));
}

Test(head, refuses_whitespace_before_the_colon)
{
    head_t h;
    cr_assert_eq(parse("POST / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n"
                       "Content-Length: 5\r\n\r\n", &h), HEAD_BAD);
    cr_assert_eq(parse("GET / HTTP/1.1\r\nHost\t: x\r\n\r\n", &h), HEAD_BAD);
    cr_assert_eq(parse("GET / HTTP/1.1\r\n: x\r\n\r\n", &h), HEAD_BAD);
    cr_assert_eq(parse("GET / HTTP/1.1\r\nNo colon\r\n\r\n", &h), HEAD_BAD);
}

Test(head, refuses_obs_fold_bare_cr_and_controls)
{
    head_t h;
    cr_assert_eq(parse("GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n", &h), HEAD_BAD);
    cr_assert_eq(parse("GET / HTTP/1.1\r\nX-A: a\r b\r\n\r\n", &h), HEAD_BAD);
    cr_assert_eq(parse("GET / HTTP/1.1\r\nX-A: a\x01 b\r\n\r\n", &h), HEAD_BAD);
    cr_assert_eq(parse("GET / HTTP/1.1\r\nX-A: a\tb\r\n\r\n", &h), HEAD_OK);
}

Test(head, nul_anywhere_is_head_nul)
{
    head_t h;
    const char value[] = "GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n";
    cr_assert_eq(head_parse(value, sizeof value - 1, &h), HEAD_NUL);
    cr_assert_eq(parse("GET /a%00b HTTP/1.1\r\n\r\n", &h), HEAD_NUL);
    cr_assert_eq(parse("GET /?q=%00 HTTP/1.1\r\n\r\n", &h), HEAD_NUL);
    cr_assert_eq(parse("GET /a;b/ HTTP/1.1\r\n\r\n", &h), HEAD_OK);
}

Test(head, content_length_rules)
{
    head_t h;
    cr_assert_eq(parse("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", &h), HEAD_BAD_LENGTH);
    cr_assert_eq(parse("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", &h),
                 HEAD_BAD_LENGTH);
    cr_assert_eq(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                       "Content-Length: 2\r\n\r\n", &h), HEAD_BAD_LENGTH);
    cr_assert_eq(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &h), HEAD_OK);
    cr_assert(h.chunked);
}

Test(head, versions_and_persistence)
{
    head_t h;
    cr_assert_eq(parse("GET / HTTP/1.0\r\n\r\n", &h), HEAD_OK);
    cr_assert_not(h.keep_alive);
    cr_assert_eq(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &h), HEAD_OK);
    cr_assert(h.keep_alive);
    cr_assert_eq(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", &h), HEAD_OK);
    cr_assert_not(h.keep_alive);
    cr_assert_eq(parse("GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n\r\n", &h), HEAD_OK);
    cr_assert(head_lists(&h, "connection", "upgrade"));
    cr_assert_eq(parse("TRACE / HTTP/1.1\r\n\r\n", &h), HEAD_OK);
    cr_assert_str_eq(h.method, "TRACE");
    cr_assert_eq(parse("GET / HTTP/9\r\n\r\n", &h), HEAD_BAD);
}

Test(head, too_many_fields_is_431)
{
    char text[4096];
    size_t n = (size_t) snprintf(text, sizeof text, "GET / HTTP/1.1\r\n");
    for (int i = 0; i < HEAD_MAX_FIELDS + 1; i++)
        n += (size_t) snprintf(text + n, sizeof text - n, "X-%d: v\r\n", i);
    n += (size_t) snprintf(text + n, sizeof text - n, "\r\n");
    head_t h;
    cr_assert_eq(head_parse(text, n, &h), HEAD_TOO_LARGE);
}
