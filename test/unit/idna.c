/*  Unit tests for idna.c: domains in their ASCII form, checked against what Python's
 *  domain.encode("idna") writes (for names nameprep leaves as they are). */
#include <criterion/criterion.h>
#include <string.h>

#include "idna.h"

/* Expects idna_to_ascii(domain) to give `ascii` (NULL: refused). */
static void expect_ascii(const char *domain, const char *ascii)
{
    char out[1024];
    size_t len = 0;
    int rc = idna_to_ascii(domain, strlen(domain), out, sizeof out, &len);
    if (!ascii) {
        cr_expect_eq(rc, -1, "%s should be refused", domain);
        return;
    }
    cr_expect_eq(rc, 0, "%s refused", domain);
    if (rc == 0)
        cr_expect(len == strlen(ascii) && memcmp(out, ascii, len) == 0, "%s gave %.*s", domain,
                  (int) len, out);
}

Test(idna, python_encodings)
{
    expect_ascii("example.com", "example.com");
    expect_ascii("b\xc3\xbc\x63her.de", "xn--bcher-kva.de");
    expect_ascii("m\xc3\xbcnchen.de", "xn--mnchen-3ya.de");
    expect_ascii("\xe4\xbe\x8b\xe3\x81\x88.\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88",
                 "xn--r8jz45g.xn--zckzah");
    expect_ascii("\xf0\x9f\x98\x80.com", "xn--e28h.com");
    expect_ascii("\xe2\x80\x94.com", "xn--8ug.com");
    expect_ascii("\xc3\xa9.com", "xn--9ca.com");
    expect_ascii("example.com.", "example.com.");
}

Test(idna, other_full_stops)
{
    expect_ascii("b\xc3\xbc\x63her\xe3\x80\x82\x64\x65", "xn--bcher-kva.de");  /* U+3002 */
    expect_ascii("b\xc3\xbc\x63her\xef\xbc\x8e\x64\x65", "xn--bcher-kva.de");  /* U+FF0E */
    expect_ascii("b\xc3\xbc\x63her\xef\xbd\xa1\x64\x65", "xn--bcher-kva.de");  /* U+FF61 */
}

Test(idna, refused_labels)
{
    char label[128];
    memset(label, 'a', 63);
    strcpy(label + 63, ".de");
    expect_ascii(label, label);
    memset(label, 'a', 64);
    strcpy(label + 64, ".de");
    expect_ascii(label, NULL);
    /* 40 "é" encode to 44 characters, 60 to more than 63. */
    char s[256] = "";
    for (int i = 0; i < 40; i++)
        strcat(s, "\xc3\xa9");
    strcat(s, ".de");
    expect_ascii(s, "xn--9caaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.de");
    s[0] = 0;
    for (int i = 0; i < 60; i++)
        strcat(s, "\xc3\xa9");
    strcat(s, ".de");
    expect_ascii(s, NULL);
    expect_ascii("a..b", NULL);
    expect_ascii(".a", NULL);
}

Test(idna, output_too_small)
{
    char out[8];
    size_t len = 0;
    cr_assert_eq(idna_to_ascii("b\xc3\xbc\x63her.de", 10, out, sizeof out, &len), -1);
    cr_assert_eq(idna_to_ascii("example.com", 11, out, sizeof out, &len), -1);
    cr_assert_eq(idna_to_ascii("ab.cd", 5, out, sizeof out, &len), 0);
    cr_assert_eq(len, 5);
}
