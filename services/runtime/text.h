/*  text.h: the parts of Python's str semantics that DRF fields and Django validators
 *  rely on, for UTF-8 text held as (pointer, length) with no terminating NUL. Every
 *  service reads request text through it (charfield.h, email.h, auth's validators,
 *  user's search terms, friend's messages).
 *
 *  Lengths are counted in code points as Python's len() does. Character classes above
 *  ASCII come from tables generated from Python itself (unicode_tables.h).
 */
#ifndef TEXT_H_INCLUDED
#define TEXT_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  Decodes the UTF-8 sequence at s (len bytes available) into *cp. Returns the bytes
 *  it takes (1-4), or 0 when it is not valid UTF-8 (truncated, overlong, a surrogate
 *  or above U+10FFFF). */
size_t text_utf8_next(const char *s, size_t len, uint32_t *cp);
/* True when s holds only valid UTF-8. */
bool text_utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8 text. */
size_t text_length(const char *s, size_t len);
/* Encodes cp as UTF-8 into out (4 bytes of room). Returns the bytes written. */
size_t text_utf8_put(uint32_t cp, char *out);

/* Python's str.isspace() for one code point. */
bool text_is_space(uint32_t cp);
/* Python's re \w for one code point: letters and digits of any script, underscore. */
bool text_is_word(uint32_t cp);
/* Python's str.isdigit() for one code point. */
bool text_is_digit(uint32_t cp);
/* Python's str.lower() for one code point, when it maps to one code point (else cp). */
uint32_t text_lower(uint32_t cp);

/* Narrows (*s, *len) to drop Python whitespace at both ends (str.strip()). The text
 * must be valid UTF-8. */
void text_strip(const char **s, size_t *len);

#endif
