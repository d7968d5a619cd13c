/*  fixedbuf.h: a string built in a caller's fixed-size buffer (textbuf.h is the
 *  growable one).
 *
 *  The buffer is always NUL-terminated. An append that does not fit is dropped whole
 *  and marks the buffer full; once full, every later append is dropped too, so what
 *  the buffer holds is always a prefix made of whole appends (a text written one
 *  character per append is never cut inside a character). Builders check `full`
 *  once at the end.
 */
#ifndef FIXEDBUF_H_INCLUDED
#define FIXEDBUF_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *data;     /* the caller's buffer, NUL-terminated whenever size > 0 */
    size_t size;    /* its capacity in bytes, the NUL included */
    size_t len;     /* bytes used, without the NUL */
    bool full;      /* an append did not fit and was dropped */
} fixedbuf_t;

/* Starts an empty string in data[0..size) (size 0: every append is dropped). */
void fixedbuf_init(fixedbuf_t *self, char *data, size_t size);
/* Appends len bytes, or none of them when they do not fit. */
void fixedbuf_append(fixedbuf_t *self, const void *bytes, size_t len);
/* Appends a NUL-terminated string, all or nothing. */
void fixedbuf_puts(fixedbuf_t *self, const char *text);
/* Appends one byte. */
void fixedbuf_putc(fixedbuf_t *self, char c);
/* Appends printf-style text, all or nothing. */
void fixedbuf_printf(fixedbuf_t *self, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Bytes that still fit, the NUL not counted (0 once full). */
size_t fixedbuf_room(const fixedbuf_t *self);

#endif
