/*  email.h: Django's EmailValidator (the rules of "Enter a valid email address."), so
 *  that addresses accepted here are exactly those Django accepts.
 *
 *  The part before the last "@" is a dot-atom or a quoted string of ASCII; the part
 *  after it is "localhost", a domain name whose last label has at least two
 *  characters (internationalized names are checked in their punycode form, idna.h),
 *  or an IPv4/IPv6 literal in brackets. At most 320 characters in all.
 *
 *  Used by auth's registration and user's profile update.
 */
#ifndef EMAIL_H_INCLUDED
#define EMAIL_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#define EMAIL_INVALID_MESSAGE "Enter a valid email address."

/* True when [s, s+len) is valid UTF-8 and an email address Django would accept. */
bool email_valid(const char *s, size_t len);

#endif
