/*  Unit tests for email.c: Django's EmailValidator, including internationalized
 *  domains checked in their punycode form (as Django does with Python's "idna"). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "email.h"

/* Expects email_valid(s) to be `want`. */
static void expect_email(const char *s, bool want)
{
    cr_expect_eq(email_valid(s, strlen(s)), want, "%s should be %s", s,
                 want ? "valid" : "invalid");
}

Test(email, valid_addresses)
{
    /* The forms auth's registration and user's profile update accepted. */
    const char *valid[] = {
        "a@b.co", "first.last+tag@sub.example.com", "a@localhost", "a@[192.168.0.1]",
        "a@[::1]", "\"a\\ b\"@example.com", "user@ex\xc3\xa4mple.com", "x@1.23",
        "o'brien@example.ie", "UPPER@EXAMPLE.COM", "someone@example.com",
        "someone+tag@sub.example.co.uk", "a@[127.0.0.1]", "a@b\xc3\xbc\x63her.de",
        "\"someone!x\"@example.com", "a@xn--bcher-kva.de", "a!#$%&'*+/=?^_`{}|~-z@example.com",
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        expect_email(valid[i], true);
}

Test(email, invalid_addresses)
{
    const char *invalid[] = {
        "", "plain", "a@b", "a@b.", "a@.com", "a@-b.com", "a b@c.com", "a@b..com", "@b.com",
        "a@", "a..b@c.de", "a.@c.de", "a@b.c", "a@b.c-", "a@[300.1.1.1]", "a@[1.2.3]",
        "\"a b\"@example.com", "a@b@c", "\xc3\xa9@example.com", "a@exa mple.com",
        "a@example.com.", "plainaddress", ".a@example.com", "a@example-.com", "a@exa_mple.com",
        "a@example.com-", "a@caf\xc3\xa9", "a@a_b.\xc3\xa9\xc3\xa9", "a@[1.2.3.4", "a@[]",
        "a@[g::1]", "\"a\"b\"@example.com", "\"a\\\"@example.com",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        expect_email(invalid[i], false);
}

Test(email, internationalized_domains)
{
    /* Python's "idna" codec accepts these, and their punycode matches domain_regex. */
    const char *valid[] = {
        "a@\xe4\xbe\x8b\xe3\x81\x88.\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88",  /* 例え.テスト */
        "a@b\xc3\xbc\x63her\xe3\x80\x82\x64\x65",    /* bücher。de (ideographic full stop) */
        "a@\xf0\x9f\x98\x80.com",                    /* an emoji label: xn--e28h */
        "a@\xe2\x80\x94.com",                        /* an em dash: xn--8ug */
        "a@exa\xcc\x81mple.com",                     /* a combining accent */
        "a@\xc3\xa9.com", "a@x.\xc3\xa9",
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        expect_email(valid[i], true);
    /* A label longer than 63 characters once encoded. */
    char s[256] = "a@";
    for (int i = 0; i < 60; i++)
        strcat(s, "\xc3\xa9");
    strcat(s, ".de");
    expect_email(s, false);
}

Test(email, length)
{
    char s[400];
    /* 320 characters at most, before any pattern. */
    memset(s, 'a', 314);
    strcpy(s + 314, "@b.com");
    cr_assert_eq(strlen(s), 320);
    expect_email(s, true);
    memset(s, 'a', 315);
    strcpy(s + 315, "@b.com");
    expect_email(s, false);
    /* Counted in characters, not bytes: 295 characters, 335 bytes. */
    memset(s, 'a', 250);
    strcpy(s + 250, "@");
    for (int i = 0; i < 40; i++)
        strcat(s, "\xc3\xa9");
    strcat(s, ".com");
    cr_assert_eq(strlen(s), 335);
    expect_email(s, true);
}

Test(email, text_that_is_not_utf8)
{
    expect_email("a\xc3@example.com", false);
    expect_email("a@ex\xffmple.com", false);
}
