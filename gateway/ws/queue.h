/*  queue.h: one socket's outgoing text frames, bounded in bytes.
 *
 *  Each frame is one allocation holding LWS_PRE bytes of room before its payload,
 *  which lws_write() needs to put the frame header in place without a copy. The
 *  bound counts payload bytes; a frame that would cross it is refused whole
 *  (nothing is queued), and the caller closes the socket: a client that falls
 *  behind never makes the gateway's memory grow (Redis's client-output-buffer-limit
 *  is the model). An empty queue holds no memory.
 *
 *  Pure: no lws call (only its LWS_PRE constant), no socket.
 */
#ifndef WS_QUEUE_H_INCLUDED
#define WS_QUEUE_H_INCLUDED

#include <stddef.h>

typedef struct ws_chunk ws_chunk_t;

typedef struct {
    ws_chunk_t *head;          /* oldest frame, written next; NULL when empty */
    ws_chunk_t *tail;          /* newest frame */
    size_t bytes;              /* payload bytes queued */
    size_t count;              /* frames queued */
} ws_queue_t;

typedef enum {
    WS_QUEUE_OK = 0,           /* queued */
    WS_QUEUE_FULL,             /* it would cross the bound: nothing queued */
    WS_QUEUE_NOMEM,            /* out of memory: nothing queued */
} ws_queue_status_t;

/* Queues a copy of bytes[0..len) as one frame unless the queue would then hold more
 * than `limit` payload bytes. */
ws_queue_status_t ws_queue_push(ws_queue_t *self, const char *bytes, size_t len,
                                size_t limit);
/* The oldest frame's payload (LWS_PRE writable bytes precede it) and its length in
 * *len, or NULL when the queue is empty. */
unsigned char *ws_queue_front(const ws_queue_t *self, size_t *len);
/* Drops the oldest frame (after it was written). Safe on an empty queue. */
void ws_queue_pop(ws_queue_t *self);
/* Drops every frame; safe to repeat. */
void ws_queue_clear(ws_queue_t *self);

#endif
