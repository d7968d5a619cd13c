/*  utf8.h: UTF-8 text held as (pointer, length), with no terminating NUL: decoding
 *  with every invalid form refused, encoding, validation and length in code points
 *  (as Python's len() counts). The one UTF-8 decoder of the tree: the gateway's query
 *  reader and the services' field validators both read text through it.
 */
#ifndef UTF8_H_INCLUDED
#define UTF8_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  Decodes the UTF-8 sequence at s (len bytes available) into *cp. Returns the bytes
 *  it takes (1-4), or 0 when it is not valid UTF-8 (truncated, overlong, a surrogate
 *  or above U+10FFFF). */
size_t utf8_next(const char *s, size_t len, uint32_t *cp);
/*  Length of the maximal ill-formed subpart at s, where utf8_next found no valid
 *  sequence (1 or more, at most len): each such run is what one U+FFFD replaces in
 *  Python's decode(errors="replace") and Django's QueryDict. */
size_t utf8_invalid_length(const char *s, size_t len);
/* True when s holds only valid UTF-8. */
bool utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8 text. */
size_t utf8_length(const char *s, size_t len);
/* Encodes cp as UTF-8 into out (4 bytes of room). Returns the bytes written. */
size_t utf8_put(uint32_t cp, char *out);

#endif
