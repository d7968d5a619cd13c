/*  Unit tests of request.c: the Host header validated like Django. */
#include <criterion/criterion.h>
#include <string.h>

#include "request.h"

Test(request, host_validation_like_django)
{
    static const char *const good[] = { "example.com", "API.Example.com:8000", "127.0.0.1",
                                        "localhost:1", "[::1]", "[::1]:8000", "[2001:db8::1]",
                                        "a-b.c" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        cr_assert(request_valid_host(good[i], strlen(good[i])), "%s", good[i]);
    static const char *const bad[] = { "", ":80", "exa mple.com", "example.com:", "ex_ample.com",
                                       "example.com:80a", "[::1", "[]", "[zz::1]", "[1.2.3.4]",
                                       "evil.com/path", "a\"b", "\xc3\xa9.com" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_not(request_valid_host(bad[i], strlen(bad[i])), "%s", bad[i]);
}
