/*  textbuf.c: growable byte string. See textbuf.h. */
#include "textbuf.h"

#include <stdlib.h>
#include <string.h>

void textbuf_init(textbuf_t *self)
{
    self->data = NULL;
    self->len = 0;
    self->cap = 0;
    self->failed = false;
}

/* Makes room for `more` bytes plus a NUL. Returns 0, or -1 (and marks the buffer). */
static int reserve(textbuf_t *self, size_t more)
{
    if (self->failed)
        return -1;
    if (more > ((size_t) -1) / 2 - self->len) {
        self->failed = true;
        return -1;
    }
    size_t need = self->len + more + 1;
    if (need <= self->cap)
        return 0;
    size_t cap = self->cap ? self->cap : 64;
    while (cap < need)
        cap *= 2;
    char *data = realloc(self->data, cap);
    if (!data) {
        self->failed = true;
        return -1;
    }
    self->data = data;
    self->cap = cap;
    return 0;
}

void textbuf_append(textbuf_t *self, const void *bytes, size_t len)
{
    if (reserve(self, len) != 0)
        return;
    if (len)
        memcpy(self->data + self->len, bytes, len);
    self->len += len;
    self->data[self->len] = '\0';
}

void textbuf_puts(textbuf_t *self, const char *text)
{
    textbuf_append(self, text, strlen(text));
}

void textbuf_putc(textbuf_t *self, char c)
{
    textbuf_append(self, &c, 1);
}

char *textbuf_take(textbuf_t *self, size_t *len)
{
    if (!self->failed && !self->data && reserve(self, 0) == 0)
        self->data[0] = '\0';
    if (self->failed) {
        textbuf_release(self);
        return NULL;
    }
    char *data = self->data;
    if (len)
        *len = self->len;
    textbuf_init(self);
    return data;
}

void textbuf_release(textbuf_t *self)
{
    free(self->data);
    textbuf_init(self);
}
