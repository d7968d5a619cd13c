/*  email_address.c: Django's EmailValidator. See email_address.h.
 *
 *  Django's regular expressions, written out as code:
 *    user:   ^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*\Z
 *            or ^"([\001-\010\013\014\016-\037!#-\[\]-\177]|\\[\001-\011\013\014\016-\177])*"\Z
 *    domain: ((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63}(?<!-))\Z
 *    literal: \[([A-F0-9:.]+)\]\Z holding a valid IPv4 or IPv6 address
 *  A domain that fails is tried again in its IDNA (punycode) form.
 */
#include "email_address.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "text_field.h"

#define EMAIL_MAX_CODE_POINTS 320
#define DOMAIN_MAX 1024

/* An atext character of a dot-atom. */
static bool is_atext(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && strchr("-!#$%&'*+/=?^_`{}|~", c) != NULL);
}

/* The part before the "@": a dot-atom or a quoted string. */
static bool valid_user_part(const char *s, size_t len)
{
    if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
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
    if (tld_len < 2 || tld_len > 63 || dot[tld_len] == '-')
        return false;
    for (size_t i = 1; i <= tld_len; i++)
        if (!is_alnum((unsigned char) dot[i]) && dot[i] != '-')
            return false;
    /* Labels before the TLD: 1-63 characters, alphanumeric at both ends. */
    const char *label = s;
    while (label < dot + 1) {
        const char *end = memchr(label, '.', (size_t) (dot + 1 - label));
        size_t n = (size_t) (end - label);
        if (n == 0 || n > 63 || !is_alnum((unsigned char) label[0]) ||
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

/* RFC 3492 digit value to its character. */
static char punycode_digit(uint32_t d)
{
    return (char) (d < 26 ? 'a' + d : '0' + (d - 26));
}

/* RFC 3492 bias adaptation. */
static uint32_t punycode_adapt(uint32_t delta, uint32_t points, bool first)
{
    delta = first ? delta / 700 : delta / 2;
    delta += delta / points;
    uint32_t k = 0;
    while (delta > ((36 - 1) * 26) / 2) {
        delta /= 36 - 1;
        k += 36;
    }
    return k + (36 * delta) / (delta + 38);
}

/*  Appends "xn--" and the RFC 3492 encoding of the code points cps[0..n) to out
 *  (capacity cap, length *olen). Returns -1 when it does not fit. */
static int punycode_encode(const uint32_t *cps, size_t n, char *out, size_t cap, size_t *olen)
{
    size_t o = *olen;
    const char *prefix = "xn--";
    if (o + 4 > cap)
        return -1;
    memcpy(out + o, prefix, 4);
    o += 4;
    size_t basic = 0;
    for (size_t i = 0; i < n; i++)
        if (cps[i] < 0x80) {
            if (o >= cap)
                return -1;
            out[o++] = (char) cps[i];
            basic++;
        }
    if (basic > 0) {
        if (o >= cap)
            return -1;
        out[o++] = '-';
    }
    uint32_t code = 0x80, delta = 0, bias = 72;
    size_t handled = basic;
    while (handled < n) {
        uint32_t next = UINT32_MAX;
        for (size_t i = 0; i < n; i++)
            if (cps[i] >= code && cps[i] < next)
                next = cps[i];
        if ((uint64_t) (next - code) * (handled + 1) + delta > UINT32_MAX)
            return -1;
        delta += (next - code) * (uint32_t) (handled + 1);
        code = next;
        for (size_t i = 0; i < n; i++) {
            if (cps[i] < code)
                delta++;
            if (cps[i] != code)
                continue;
            uint32_t q = delta;
            for (uint32_t k = 36;; k += 36) {
                uint32_t t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
                if (q < t)
                    break;
                if (o >= cap)
                    return -1;
                out[o++] = punycode_digit(t + (q - t) % (36 - t));
                q = (q - t) / (36 - t);
            }
            if (o >= cap)
                return -1;
            out[o++] = punycode_digit(q);
            bias = punycode_adapt(delta, (uint32_t) handled + 1, handled == basic);
            delta = 0;
            handled++;
        }
        delta++;
        code++;
    }
    *olen = o;
    return 0;
}

/*  Python's domain.encode("idna") (without nameprep's mappings): labels split at
 *  dots, ASCII labels kept, others punycoded. Returns -1 on a label Python refuses
 *  (empty or longer than 63 characters once encoded). */
static int domain_to_ascii(const char *s, size_t len, char *out, size_t cap, size_t *olen)
{
    uint32_t cps[256];
    size_t n = 0, o = 0;
    bool ascii = true;
    for (size_t i = 0; i <= len;) {
        unsigned long cp = '.';
        size_t step = 1;
        if (i < len)
            step = text_field_decode(s + i, len - i, &cp);
        /* IDNA treats the ideographic and fullwidth full stops as dots too. */
        if (cp == '.' || cp == 0x3002 || cp == 0xff0e || cp == 0xff61) {
            size_t start = o;
            if (n == 0 && i < len)
                return -1;
            if (ascii) {
                if (o + n + 1 > cap)
                    return -1;
                for (size_t k = 0; k < n; k++)
                    out[o++] = (char) cps[k];
            } else if (punycode_encode(cps, n, out, cap, &o) != 0) {
                return -1;
            }
            if (o - start > 63)
                return -1;
            if (i < len)
                out[o++] = '.';
            n = 0;
            ascii = true;
        } else {
            if (n == sizeof cps / sizeof cps[0])
                return -1;
            cps[n++] = (uint32_t) cp;
            if (cp >= 0x80)
                ascii = false;
        }
        i += step;
    }
    *olen = o;
    return 0;
}

bool email_address_valid(const char *s, size_t len)
{
    long code_points = text_field_utf8_length(s, len);
    if (len == 0 || code_points < 0 || code_points > EMAIL_MAX_CODE_POINTS)
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
    if (domain_len == 9 && memcmp(domain, "localhost", 9) == 0)
        return true;
    if (valid_domain_part(domain, domain_len))
        return true;
    char ascii[DOMAIN_MAX];
    size_t ascii_len = 0;
    if (domain_to_ascii(domain, domain_len, ascii, sizeof ascii, &ascii_len) != 0)
        return false;
    return valid_domain_part(ascii, ascii_len);
}
