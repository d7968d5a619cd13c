/*  utf8.c: UTF-8 decoding and encoding. See utf8.h. */
#include "utf8.h"

/*  Reads the longest prefix of s that begins a well-formed sequence (Unicode's
 *  Table 3-7: the second byte's range depends on the first, which excludes overlong
 *  forms, surrogates and code points above U+10FFFF). Returns how many bytes that
 *  prefix holds (0 when s[0] cannot start a sequence) and sets *complete when they
 *  form a whole sequence, whose code point goes to *cp. */
static size_t scan(const unsigned char *s, size_t len, bool *complete, uint32_t *cp)
{
    *complete = false;
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *complete = true;
        *cp = c;
        return 1;
    }
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    uint32_t value;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1, value = c & 0x1f;
    else if (c == 0xE0)
        need = 2, lo = 0xA0, value = c & 0x0f;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        need = 2, value = c & 0x0f;
    else if (c == 0xED)
        need = 2, hi = 0x9F, value = c & 0x0f;
    else if (c == 0xF0)
        need = 3, lo = 0x90, value = c & 0x07;
    else if (c >= 0xF1 && c <= 0xF3)
        need = 3, value = c & 0x07;
    else if (c == 0xF4)
        need = 3, hi = 0x8F, value = c & 0x07;
    else
        return 0;
    size_t got = 0;
    while (got < need && 1 + got < len) {
        unsigned char b = s[1 + got];
        if (b < (got == 0 ? lo : 0x80) || b > (got == 0 ? hi : 0xBF))
            break;
        value = (value << 6) | (b & 0x3f);
        got++;
    }
    if (got == need) {
        *complete = true;
        *cp = value;
    }
    return 1 + got;
}

size_t utf8_next(const char *s, size_t len, uint32_t *cp)
{
    bool complete;
    uint32_t value = 0;
    size_t n = scan((const unsigned char *) s, len, &complete, &value);
    if (!complete)
        return 0;
    *cp = value;
    return n;
}

size_t utf8_invalid_length(const char *s, size_t len)
{
    bool complete;
    uint32_t value;
    size_t n = scan((const unsigned char *) s, len, &complete, &value);
    return n > 0 ? n : 1;
}

bool utf8_valid(const char *s, size_t len)
{
    uint32_t cp;
    for (size_t pos = 0; pos < len;) {
        size_t n = utf8_next(s + pos, len - pos, &cp);
        if (n == 0)
            return false;
        pos += n;
    }
    return true;
}

size_t utf8_length(const char *s, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += ((unsigned char) s[i] & 0xc0) != 0x80;
    return count;
}

size_t utf8_put(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char) cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char) (0xc0 | (cp >> 6));
        out[1] = (char) (0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char) (0xe0 | (cp >> 12));
        out[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char) (0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char) (0xf0 | (cp >> 18));
    out[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char) (0x80 | (cp & 0x3f));
    return 4;
}
