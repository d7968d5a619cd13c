/*  idna.h: a domain name in its ASCII (punycode) form, as Python's
 *  domain.encode("idna") writes it, for Django's EmailValidator.
 *
 *  Labels are split at "." and at the ideographic and fullwidth full stops (U+3002,
 *  U+FF0E, U+FF61), as IDNA does; ASCII labels are kept as they are, the others are
 *  written "xn--" + RFC 3492 punycode. Nameprep's mappings (case folding, NFKC) are
 *  not applied: no Unicode normalization library is available, and a name that only
 *  they would change still encodes to a well-formed label.
 */
#ifndef IDNA_H_INCLUDED
#define IDNA_H_INCLUDED

#include <stddef.h>

/*  Encodes the domain [s, s+len) (valid UTF-8) into out (capacity cap, the
 *  terminating NUL included) and sets *out_len. Returns 0, or -1 when Python would refuse it
 *  (an empty label other than a final one, a label longer than 63 characters once
 *  encoded) or it does not fit in out. */
int idna_to_ascii(const char *s, size_t len, char *out, size_t cap, size_t *out_len);

#endif
