/*  frame.c: client messages reassembled. See frame.h. */
#include "frame.h"

#include <stdlib.h>
#include <string.h>

void ws_frame_clear(ws_frame_t *self)
{
    free(self->buf);
    memset(self, 0, sizeof *self);
}

/* Appends a piece to the buffer, growing it (doubling, capped at max). Returns 0,
 * or -1 when out of memory. */
static int append(ws_frame_t *self, const char *in, size_t len, size_t max)
{
    if (len == 0)
        return 0;
    if (self->len + len > self->cap) {
        size_t cap = self->cap ? self->cap : 1024;
        while (cap < self->len + len)
            cap *= 2;
        if (cap > max)
            cap = max;
        char *grown = realloc(self->buf, cap);
        if (!grown)
            return -1;
        self->buf = grown;
        self->cap = cap;
    }
    memcpy(self->buf + self->len, in, len);
    self->len += len;
    return 0;
}

/* Drops the message from now on: its buffer goes at once. */
static void drop(ws_frame_t *self)
{
    self->dropping = true;
    free(self->buf);
    self->buf = NULL;
    self->len = self->cap = 0;
}

ws_frame_status_t ws_frame_feed(ws_frame_t *self, const char *in, size_t len, bool first,
                                bool final, bool binary, size_t max, const char **msg,
                                size_t *msg_len)
{
    if (first || !self->active) {
        ws_frame_clear(self);
        self->active = true;
        self->binary = binary;
        if (binary)
            self->dropping = true;
    }
    /* total only grows while the message lasts: len <= the piece lws holds, so no
     * overflow before the limit check trips. */
    if (len > max - (self->total < max ? self->total : max) || self->total > max) {
        self->total = max + 1;
        if (!self->dropping)
            drop(self);
    } else {
        self->total += len;
    }
    if (!self->dropping && !(final && self->len == 0)) {
        if (append(self, in, len, max) != 0) {
            drop(self);
            self->nomem = true;
        }
    }
    if (!final)
        return WS_FRAME_MORE;
    ws_frame_status_t status;
    if (self->binary)
        status = WS_FRAME_BINARY;
    else if (self->nomem)
        status = WS_FRAME_NOMEM;
    else if (self->dropping)
        status = WS_FRAME_TOO_LARGE;
    else {
        status = WS_FRAME_MESSAGE;
        if (self->len == 0) {
            *msg = in;              /* the whole message came in one piece */
            *msg_len = len;
        } else {
            *msg = self->buf;
            *msg_len = self->len;
        }
    }
    self->active = false;
    if (status != WS_FRAME_MESSAGE)
        ws_frame_clear(self);
    return status;
}
