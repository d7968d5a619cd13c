/*  textbuf.h: a growable byte string with a sticky failure flag.
 *
 *  Appends never fail from the caller's view: when an allocation fails the buffer
 *  remembers it and textbuf_take() returns NULL, so builders check once at the end.
 */
#ifndef TEXTBUF_H_INCLUDED
#define TEXTBUF_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *data;         /* the bytes, NUL-terminated whenever data is not NULL */
    size_t len;         /* bytes used, without the terminating NUL */
    size_t cap;         /* bytes allocated */
    bool failed;        /* an allocation failed: the content is incomplete */
} textbuf_t;

/* Starts an empty buffer. */
void textbuf_init(textbuf_t *self);
/* Appends len bytes (which may include NULs). */
void textbuf_append(textbuf_t *self, const void *bytes, size_t len);
/* Appends a NUL-terminated string. */
void textbuf_puts(textbuf_t *self, const char *text);
/* Appends one byte. */
void textbuf_putc(textbuf_t *self, char c);
/* Hands the string over (caller frees) and empties the buffer; NULL when an append
 * failed (the buffer is released then). An empty buffer gives "". */
char *textbuf_take(textbuf_t *self, size_t *len);
/* Frees the content; the buffer is empty and usable again. */
void textbuf_release(textbuf_t *self);

#endif
