/*  frame.h: client messages reassembled from the pieces lws hands over.
 *
 *  lws 4.1.6 delivers a client message in pieces of at most the protocol's
 *  rx_buffer_size (WS_RX_BUFFER, protocol.h): a frame longer than that spills in
 *  several LWS_CALLBACK_RECEIVE calls, and a fragmented message (continuation
 *  frames) in more. lws_is_first_fragment() marks the first piece of a message,
 *  lws_is_final_fragment() its last. A message that arrives in one piece is used
 *  where it lies (no copy); only a message in progress has a buffer here, grown up
 *  to the limit (WS_MAX_FRAME) and freed once the message is handled
 *  (ws_frame_clear). A message longer than the limit, and any binary message, is
 *  dropped piece by piece as it streams: it is never buffered, and only its end
 *  is reported, so the sender can be told.
 *
 *  Pure: no lws, no socket. Fuzzed by test/fuzz/ws_frame.c.
 */
#ifndef WS_FRAME_H_INCLUDED
#define WS_FRAME_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

/* What a piece completed. */
typedef enum {
    WS_FRAME_MORE = 0,         /* a message is in progress: nothing to do yet */
    WS_FRAME_MESSAGE,          /* a whole text message: *msg, *msg_len */
    WS_FRAME_BINARY,           /* a binary message ended (its bytes were dropped) */
    WS_FRAME_TOO_LARGE,        /* a message over the limit ended (dropped as it came) */
    WS_FRAME_NOMEM,            /* out of memory: the message was dropped */
} ws_frame_status_t;

/* The message being reassembled (all zero: none). */
typedef struct {
    char *buf;                 /* the pieces so far (malloc'ed), NULL when none */
    size_t len;                /* bytes in it */
    size_t cap;                /* its size */
    size_t total;              /* bytes of the current message so far */
    bool active;               /* a message is in progress */
    bool binary;               /* it is binary (dropped) */
    bool dropping;             /* it is dropped (binary, too large or no memory) */
    bool nomem;                /* it was dropped for want of memory */
} ws_frame_t;

/*  Takes one piece in[0..len) of a client message: first/final as lws reports
 *  them, binary for a binary message, at most `max` bytes per message. A piece that
 *  is not first while no message is in progress starts one (lws never does that;
 *  nothing is assumed). On WS_FRAME_MESSAGE, *msg points to the whole message,
 *  either `in` itself or the buffer, valid until the next call or ws_frame_clear(). */
ws_frame_status_t ws_frame_feed(ws_frame_t *self, const char *in, size_t len, bool first,
                                bool final, bool binary, size_t max, const char **msg,
                                size_t *msg_len);
/* Frees the buffer and forgets any message in progress; safe to repeat. */
void ws_frame_clear(ws_frame_t *self);

#endif
