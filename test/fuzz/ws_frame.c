/*  Fuzz harness: the client-message reader (gateway/ws/frame.c) fed as lws feeds it,
 *  then the dispatch of what it completes (gateway/ws/dispatch.c, with handlers that
 *  do nothing). The input is a list of pieces: a flag byte (bit 0 first, bit 1
 *  final, bit 2 binary), a length byte, then that many bytes. A message handed out
 *  must lie in the piece or the buffer, never exceed the limit, and the buffer
 *  never grow past the limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "frame.h"

#define LIMIT 300

static void nothing(void *arg, struct ws_socket *sock, const json_t *message)
{
    (void) arg;
    (void) sock;
    (void) message;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ws_dispatch_t *d;
    if (!d) {
        d = ws_dispatch_new();
        ws_dispatch_set(d, "ping", nothing, NULL);
        ws_dispatch_set(d, "notifications.resume", nothing, NULL);
    }
    ws_frame_t f = { 0 };
    size_t i = 0;
    while (i + 2 <= size) {
        uint8_t flags = data[i], len = data[i + 1];
        i += 2;
        if (len > size - i)
            len = (uint8_t) (size - i);
        const char *in = (const char *) data + i;
        const char *msg = NULL;
        size_t msg_len = 0;
        ws_frame_status_t st = ws_frame_feed(&f, in, len, flags & 1, flags & 2, flags & 4,
                                             LIMIT, &msg, &msg_len);
        if (f.cap > LIMIT || f.len > f.cap)
            abort();
        if (st == WS_FRAME_MESSAGE) {
            if (msg_len > LIMIT)
                abort();
            bool in_piece = msg >= in && msg + msg_len <= in + len;
            bool in_buf = f.buf && msg >= f.buf && msg + msg_len <= f.buf + f.len;
            if (!in_piece && !in_buf)
                abort();
            char detail[WS_DETAIL_MAX];
            ws_dispatch_run(d, NULL, msg, msg_len, detail);
            ws_frame_clear(&f);
        }
        i += len;
    }
    ws_frame_clear(&f);
    return 0;
}
