/*  fixedbuf.c: a string built in a fixed-size buffer. See fixedbuf.h. */
#include "fixedbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void fixedbuf_init(fixedbuf_t *self, char *data, size_t size)
{
    self->data = data;
    self->size = size;
    self->len = 0;
    self->full = false;
    if (size > 0)
        data[0] = '\0';
}

size_t fixedbuf_room(const fixedbuf_t *self)
{
    return self->full || self->size == 0 ? 0 : self->size - 1 - self->len;
}

void fixedbuf_append(fixedbuf_t *self, const void *bytes, size_t len)
{
    if (self->full || self->size == 0 || len > fixedbuf_room(self)) {
        self->full = true;
        return;
    }
    if (len)
        memcpy(self->data + self->len, bytes, len);
    self->len += len;
    self->data[self->len] = '\0';
}

void fixedbuf_puts(fixedbuf_t *self, const char *text)
{
    fixedbuf_append(self, text, strlen(text));
}

void fixedbuf_putc(fixedbuf_t *self, char c)
{
    fixedbuf_append(self, &c, 1);
}

void fixedbuf_printf(fixedbuf_t *self, const char *fmt, ...)
{
    if (self->full || self->size == 0) {
        self->full = true;
        return;
    }
    size_t room = self->size - self->len;
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(self->data + self->len, room, fmt, args);
    va_end(args);
    if (n < 0 || (size_t) n >= room) {
        self->data[self->len] = '\0';
        self->full = true;
        return;
    }
    self->len += (size_t) n;
}
