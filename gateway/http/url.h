/*  url.h: the few URL encodings the gateway needs, written to match Python's
 *  urllib.parse and Django exactly (DRF builds its pagination links with them).
 */
#ifndef URL_H_INCLUDED
#define URL_H_INCLUDED

#include <stddef.h>

#include "textbuf.h"

/* Appends `text` as urllib.parse.quote_plus does: letters, digits and "_.-~" stay,
 * space becomes '+', every other byte becomes %XX (upper-case hex). */
void url_quote_plus(textbuf_t *out, const char *text, size_t len);
/* Appends a path as django.utils.encoding.escape_uri_path does: letters, digits and
 * "/:@&+$,-_.!~*'()" stay, every other byte becomes %XX. */
void url_quote_path(textbuf_t *out, const char *path, size_t len);
/* Appends `text` decoded as urllib.parse.unquote_plus does: '+' is a space, %XX a
 * byte, and a '%' not followed by two hex digits stays as it is. */
void url_unquote_plus(textbuf_t *out, const char *text, size_t len);
/* Appends `text` with every invalid UTF-8 sequence replaced by U+FFFD, one per
 * maximal invalid subpart (as Python's errors="replace" decoding does). */
void url_utf8_sanitize(textbuf_t *out, const char *text, size_t len);

#endif
