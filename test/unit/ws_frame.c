/*  Unit tests of gateway/ws/frame.c: client messages reassembled from lws's pieces,
 *  used in place when whole, dropped as they stream when binary or too large. */
#include <criterion/criterion.h>
#include <string.h>

#include "frame.h"

static ws_frame_t f;

static void clear(void)
{
    ws_frame_clear(&f);
}

TestSuite(ws_frame, .fini = clear);

Test(ws_frame, a_whole_message_is_used_in_place)
{
    const char in[] = "{\"type\":\"ping\"}";
    const char *msg = NULL;
    size_t len = 0;
    cr_assert_eq(ws_frame_feed(&f, in, sizeof in - 1, true, true, false, 64, &msg, &len),
                 WS_FRAME_MESSAGE);
    cr_assert_eq(msg, in);
    cr_assert_eq(len, sizeof in - 1);
    cr_assert_null(f.buf);
}

Test(ws_frame, pieces_are_reassembled_then_the_buffer_freed)
{
    const char *msg = NULL;
    size_t len = 0;
    cr_assert_eq(ws_frame_feed(&f, "{\"type\":", 8, true, false, false, 64, &msg, &len),
                 WS_FRAME_MORE);
    cr_assert_not_null(f.buf);
    cr_assert_eq(ws_frame_feed(&f, "\"pi", 3, false, false, false, 64, &msg, &len),
                 WS_FRAME_MORE);
    cr_assert_eq(ws_frame_feed(&f, "ng\"}", 4, false, true, false, 64, &msg, &len),
                 WS_FRAME_MESSAGE);
    cr_assert_eq(len, 15);
    cr_assert(memcmp(msg, "{\"type\":\"ping\"}", 15) == 0);
    ws_frame_clear(&f);
    cr_assert_null(f.buf);
}

Test(ws_frame, exactly_the_limit_is_accepted)
{
    char big[100];
    memset(big, 'a', sizeof big);
    const char *msg = NULL;
    size_t len = 0;
    cr_assert_eq(ws_frame_feed(&f, big, 60, true, false, false, 100, &msg, &len),
                 WS_FRAME_MORE);
    cr_assert_eq(ws_frame_feed(&f, big, 40, false, true, false, 100, &msg, &len),
                 WS_FRAME_MESSAGE);
    cr_assert_eq(len, 100);
}

Test(ws_frame, a_message_over_the_limit_is_dropped_as_it_streams)
{
    char big[100];
    memset(big, 'a', sizeof big);
    const char *msg = NULL;
    size_t len = 0;
    cr_assert_eq(ws_frame_feed(&f, big, 60, true, false, false, 100, &msg, &len),
                 WS_FRAME_MORE);
    cr_assert_eq(ws_frame_feed(&f, big, 41, false, false, false, 100, &msg, &len),
                 WS_FRAME_MORE);
    cr_assert_null(f.buf, "the buffer goes as soon as the limit is crossed");
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(ws_frame_feed(&f, big, 100, false, false, false, 100, &msg, &len),
                     WS_FRAME_MORE);
    cr_assert_null(f.buf);
    cr_assert_eq(ws_frame_feed(&f, big, 1, false, true, false, 100, &msg, &len),
                 WS_FRAME_TOO_LARGE);
    /* the next message is read normally */
    cr_assert_eq(ws_frame_feed(&f, "{}", 2, true, true, false, 100, &msg, &len),
                 WS_FRAME_MESSAGE);
}

Test(ws_frame, a_single_piece_over_the_limit_is_too_large)
{
    char big[200];
    memset(big, 'a', sizeof big);
    const char *msg = NULL;
    size_t len = 0;
    cr_assert_eq(ws_frame_feed(&f, big, 200, true, true, false, 100, &msg, &len),
                 WS_FRAME_TOO_LARGE);
}

Test(ws_frame, binary_messages_are_never_buffered)
{
    const char *msg = NULL;
    size_t len = 0;
    cr_assert_eq(ws_frame_feed(&f, "\x01\x02", 2, true, false, true, 100, &msg, &len),
                 WS_FRAME_MORE);
    cr_assert_null(f.buf);
    cr_assert_eq(ws_frame_feed(&f, "\x03", 1, false, true, true, 100, &msg, &len),
                 WS_FRAME_BINARY);
}

Test(ws_frame, a_new_first_piece_restarts)
{
    const char *msg = NULL;
    size_t len = 0;
    ws_frame_feed(&f, "garbage", 7, true, false, false, 100, &msg, &len);
    cr_assert_eq(ws_frame_feed(&f, "{}", 2, true, true, false, 100, &msg, &len),
                 WS_FRAME_MESSAGE);
    cr_assert_eq(len, 2);
}
