/*  url.c: URL quoting and UTF-8 repair as Python does it. See url.h. */
#include "url.h"

#include <stdbool.h>
#include <string.h>

#include "utf8.h"

static const char hex_digits[] = "0123456789ABCDEF";

/* True for the bytes urllib.parse never quotes. */
static bool always_safe(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
           || c == '_' || c == '.' || c == '-' || c == '~';
}

/* Appends %XX for one byte. */
static void put_escaped(textbuf_t *out, unsigned char c)
{
    char escaped[3] = { '%', hex_digits[c >> 4], hex_digits[c & 15] };
    textbuf_append(out, escaped, sizeof escaped);
}

void url_quote_plus(textbuf_t *out, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) text[i];
        if (always_safe(c))
            textbuf_putc(out, (char) c);
        else if (c == ' ')
            textbuf_putc(out, '+');
        else
            put_escaped(out, c);
    }
}

void url_quote_path(textbuf_t *out, const char *path, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) path[i];
        if (always_safe(c) || (c && strchr("/:@&+$,!*'()", c)))
            textbuf_putc(out, (char) c);
        else
            put_escaped(out, c);
    }
}

/* Value of a hex digit, or -1. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void url_unquote_plus(textbuf_t *out, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '+') {
            textbuf_putc(out, ' ');
        } else if (text[i] == '%' && i + 2 < len && hex_value(text[i + 1]) >= 0
                   && hex_value(text[i + 2]) >= 0) {
            textbuf_putc(out, (char) (hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            textbuf_putc(out, text[i]);
        }
    }
}

void url_utf8_sanitize(textbuf_t *out, const char *text, size_t len)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_next(text + i, len - i, &cp);
        if (n > 0) {
            textbuf_append(out, text + i, n);
        } else {
            n = utf8_invalid_length(text + i, len - i);
            textbuf_append(out, replacement, 3);
        }
        i += n;
    }
}
