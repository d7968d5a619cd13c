/*  email.c: Django's EmailValidator. See email.h.
 *
 *  Django's regular expressions, written out as code:
 *    user:   ^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*\Z
 *            or ^"([\001-\010\013\014\016-\037!#-\[\]-\177]|\\[\001-\011\013\014\016-\177])*"\Z
 *    domain: ((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63}(?<!-))\Z
 *    literal: \[([A-F0-9:.]+)\]\Z holding a valid IPv4 or IPv6 address
 *  A domain that fails is tried again in its IDNA (punycode) form.
 */
#include "email.h"

#include <arpa/inet.h>
#include <string.h>

#include "idna.h"
#include "text.h"

/* EmailValidator refuses anything longer, before any pattern. */
#define EMAIL_MAX_CODE_POINTS 320
/* Room for the ASCII form of a domain. */
#define DOMAIN_MAX 1024
/* Longest DNS label. */
#define LABEL_MAX 63

/* An atext character of a dot-atom. */
static bool is_atext(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && strchr("-!#$%&'*+/=?^_`{}|~", c) != NULL);
}

/* The part before the "@" as a quoted string: "..." of qtext and backslash pairs. */
static bool valid_quoted_user(const char *s, size_t len)
{
    for (size_t i = 1; i < len - 1; i++) {
        unsigned char c = (unsigned char) s[i];
        if (c == '\\') {
            /* \\[\001-\011\013\014\016-\177] */
            if (i + 1 >= len - 1)
                return false;
            unsigned char e = (unsigned char) s[++i];
            if (e == 0 || e == '\n' || e == '\r' || e > 0x7f)
                return false;
        } else if (c == 0 || c == '\t' || c == '\n' || c == '\r' || c == ' ' || c == '"'
                   || c > 0x7f) {
            /* [\001-\010\013\014\016-\037!#-\[\]-\177] */
            return false;
        }
    }
    return true;
}

/* The part before the "@": a dot-atom or a quoted string. */
static bool valid_user_part(const char *s, size_t len)
{
    if (len >= 2 && s[0] == '"' && s[len - 1] == '"')
        return valid_quoted_user(s, len);
    if (len == 0)
        return false;
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) s[i];
        if (c == '.') {
            if (run == 0)
                return false;
            run = 0;
        } else if (is_atext(c)) {
            run++;
        } else {
            return false;
        }
    }
    return run > 0;
}

/* An ASCII letter or digit (the regular expressions' [A-Z0-9] with IGNORECASE). */
static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Django's domain_regex on an ASCII domain. */
static bool valid_domain_name(const char *s, size_t len)
{
    /* Split at the last dot: at least one label before, the TLD after. */
    const char *dot = NULL;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '.')
            dot = s + i;
    if (!dot || dot == s)
        return false;
    size_t tld_len = len - (size_t) (dot + 1 - s);
    if (tld_len < 2 || tld_len > LABEL_MAX || dot[tld_len] == '-')
        return false;
    for (size_t i = 1; i <= tld_len; i++)
        if (!is_alnum((unsigned char) dot[i]) && dot[i] != '-')
            return false;
    /* Labels before the TLD: 1-63 characters, alphanumeric at both ends. */
    const char *label = s;
    while (label < dot + 1) {
        const char *end = memchr(label, '.', (size_t) (dot + 1 - label));
        size_t n = (size_t) (end - label);
        if (n == 0 || n > LABEL_MAX || !is_alnum((unsigned char) label[0]) ||
            !is_alnum((unsigned char) label[n - 1]))
            return false;
        for (size_t i = 0; i < n; i++)
            if (!is_alnum((unsigned char) label[i]) && label[i] != '-')
                return false;
        label = end + 1;
    }
    return true;
}

/* Django's literal_regex plus validate_ipv46_address. */
static bool valid_address_literal(const char *s, size_t len)
{
    char ip[64];
    if (len < 3 || s[0] != '[' || s[len - 1] != ']' || len - 2 >= sizeof ip)
        return false;
    memcpy(ip, s + 1, len - 2);
    ip[len - 2] = 0;
    for (size_t i = 0; ip[i]; i++) {
        char c = ip[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex && c != ':' && c != '.')
            return false;
    }
    unsigned char addr[16];
    return inet_pton(AF_INET, ip, addr) == 1 || inet_pton(AF_INET6, ip, addr) == 1;
}

/* Django's validate_domain_part: a domain name or an address literal. */
static bool valid_domain_part(const char *s, size_t len)
{
    return valid_domain_name(s, len) || valid_address_literal(s, len);
}

bool email_valid(const char *s, size_t len)
{
    if (len == 0 || !utf8_valid(s, len) || utf8_length(s, len) > EMAIL_MAX_CODE_POINTS)
        return false;
    const char *at = NULL;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '@')
            at = s + i;
    if (!at)
        return false;
    const char *domain = at + 1;
    size_t domain_len = len - (size_t) (domain - s);
    if (!valid_user_part(s, (size_t) (at - s)))
        return false;
    if (domain_len == strlen("localhost") && memcmp(domain, "localhost", domain_len) == 0)
        return true;
    if (valid_domain_part(domain, domain_len))
        return true;
    char ascii[DOMAIN_MAX + 1];
    size_t ascii_len = 0;
    if (idna_to_ascii(domain, domain_len, ascii, sizeof ascii, &ascii_len) != 0)
        return false;
    return valid_domain_part(ascii, ascii_len);
}
