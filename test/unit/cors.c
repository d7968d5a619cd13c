/*  Unit tests of cors.c: django-cors-headers' allow list. */
#include <criterion/criterion.h>
#include <string.h>

#include "cors.h"

Test(cors, allow_list)
{
    cors_t *c = cors_new(" https://app.example.com , http://localhost:3000,");
    cr_assert_not_null(c);
    cr_assert(cors_enabled(c));
    const char *o = "https://app.example.com";
    cr_assert_str_eq(cors_allowed(c, o, strlen(o)), "https://app.example.com");
    o = "HTTPS://app.example.com";
    cr_assert_not_null(cors_allowed(c, o, strlen(o)));
    o = "http://localhost:3000";
    cr_assert_not_null(cors_allowed(c, o, strlen(o)));
    static const char *const refused[] = { "https://evil.example.com", "http://app.example.com",
                                           "https://app.example.com:443", "http://localhost",
                                           "null", "", "https://app.example.com/" };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        cr_assert_null(cors_allowed(c, refused[i], strlen(refused[i])), "%s", refused[i]);
    cr_assert_null(cors_allowed(c, "https://app.example.com\0x", 25));
    cors_destroy(&c);
    cr_assert_null(c);
}

Test(cors, empty_and_invalid_lists)
{
    cors_t *c = cors_new("");
    cr_assert_not_null(c);
    cr_assert_not(cors_enabled(c));
    cr_assert_null(cors_allowed(c, "http://a", 8));
    cors_destroy(&c);
    c = cors_new(NULL);
    cr_assert_not(cors_enabled(c));
    cors_destroy(&c);
    cr_assert_null(cors_new("app.example.com"));
    cr_assert_null(cors_new("https://app.example.com/path"));
    cr_assert_null(cors_new("1http://x"));
}
