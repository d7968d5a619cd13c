/*  queue.c: outgoing frames. See queue.h. */
#include "queue.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

struct ws_chunk {
    ws_chunk_t *next;          /* the frame queued after it */
    size_t len;                /* payload length */
    unsigned char data[];      /* LWS_PRE bytes of room, then the payload */
};

ws_queue_status_t ws_queue_push(ws_queue_t *self, const char *bytes, size_t len,
                                size_t limit)
{
    if (len > limit || self->bytes > limit - len)
        return WS_QUEUE_FULL;
    ws_chunk_t *chunk = malloc(sizeof *chunk + LWS_PRE + len);
    if (!chunk)
        return WS_QUEUE_NOMEM;
    chunk->next = NULL;
    chunk->len = len;
    if (len)
        memcpy(chunk->data + LWS_PRE, bytes, len);
    if (self->tail)
        self->tail->next = chunk;
    else
        self->head = chunk;
    self->tail = chunk;
    self->bytes += len;
    self->count++;
    return WS_QUEUE_OK;
}

unsigned char *ws_queue_front(const ws_queue_t *self, size_t *len)
{
    if (!self->head)
        return NULL;
    *len = self->head->len;
    return self->head->data + LWS_PRE;
}

void ws_queue_pop(ws_queue_t *self)
{
    ws_chunk_t *chunk = self->head;
    if (!chunk)
        return;
    self->head = chunk->next;
    if (!self->head)
        self->tail = NULL;
    self->bytes -= chunk->len;
    self->count--;
    free(chunk);
}

void ws_queue_clear(ws_queue_t *self)
{
    while (self->head)
        ws_queue_pop(self);
}
