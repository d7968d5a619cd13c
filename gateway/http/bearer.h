/*  bearer.h: reading "Authorization: Bearer <token>" as simplejwt does.
 *
 *  simplejwt splits the header on whitespace: a first part other than "Bearer" means
 *  "no credentials", and anything but exactly two parts is malformed. Both answer
 *  401 "Authentication credentials were not provided." here (see docs/api.md).
 */
#ifndef BEARER_H_INCLUDED
#define BEARER_H_INCLUDED

#include <stddef.h>

/* Finds the token in an Authorization header value. Returns 0 and points *token /
 * *token_len into `header`, or -1 when the header is not "Bearer" plus one token
 * (or holds a NUL byte). */
int bearer_token(const char *header, size_t len, const char **token, size_t *token_len);

#endif
