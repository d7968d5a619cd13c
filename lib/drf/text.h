/*  text.h: the parts of Python's str semantics that DRF fields and Django validators
 *  rely on, for UTF-8 text held as (pointer, length) with no terminating NUL. Every
 *  service reads request text through it (charfield.h, email.h, auth's validators,
 *  user's search terms, friend's messages).
 *
 *  UTF-8 itself is utf8.h's (lengths in code points, as Python's len() counts them);
 *  character classes above ASCII come from tables generated from Python itself
 *  (unicode_tables.h).
 */
#ifndef TEXT_H_INCLUDED
#define TEXT_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "utf8.h"

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
