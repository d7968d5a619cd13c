/*  Unit tests of gateway/ws/queue.c: frames in order with LWS_PRE room, the byte
 *  bound refusing a frame whole, no memory when empty. */
#include <criterion/criterion.h>
#include <libwebsockets.h>
#include <string.h>

#include "queue.h"

Test(ws_queue, frames_come_out_in_order_with_room_before_them)
{
    ws_queue_t q = { 0 };
    cr_assert_eq(ws_queue_push(&q, "one", 3, 100), WS_QUEUE_OK);
    cr_assert_eq(ws_queue_push(&q, "two!", 4, 100), WS_QUEUE_OK);
    cr_assert_eq(q.bytes, 7);
    cr_assert_eq(q.count, 2);
    size_t len = 0;
    unsigned char *p = ws_queue_front(&q, &len);
    cr_assert_eq(len, 3);
    cr_assert(memcmp(p, "one", 3) == 0);
    memset(p - LWS_PRE, 0xaa, LWS_PRE);   /* lws writes its header there */
    ws_queue_pop(&q);
    p = ws_queue_front(&q, &len);
    cr_assert_eq(len, 4);
    cr_assert(memcmp(p, "two!", 4) == 0);
    ws_queue_pop(&q);
    cr_assert_null(ws_queue_front(&q, &len));
    cr_assert_eq(q.bytes, 0);
    cr_assert_null(q.head);
    cr_assert_null(q.tail);
    ws_queue_pop(&q);                      /* safe when empty */
}

Test(ws_queue, the_bound_refuses_a_frame_whole)
{
    ws_queue_t q = { 0 };
    char frame[40];
    memset(frame, 'x', sizeof frame);
    cr_assert_eq(ws_queue_push(&q, frame, 40, 100), WS_QUEUE_OK);
    cr_assert_eq(ws_queue_push(&q, frame, 40, 100), WS_QUEUE_OK);
    cr_assert_eq(ws_queue_push(&q, frame, 21, 100), WS_QUEUE_FULL);
    cr_assert_eq(q.bytes, 80, "nothing of the refused frame is queued");
    cr_assert_eq(q.count, 2);
    cr_assert_eq(ws_queue_push(&q, frame, 20, 100), WS_QUEUE_OK, "up to the bound exactly");
    cr_assert_eq(q.bytes, 100);
    ws_queue_clear(&q);
    cr_assert_eq(q.bytes, 0);
    cr_assert_null(q.head);
}

Test(ws_queue, a_frame_larger_than_the_bound_is_refused)
{
    ws_queue_t q = { 0 };
    char frame[200] = { 0 };
    cr_assert_eq(ws_queue_push(&q, frame, sizeof frame, 100), WS_QUEUE_FULL);
    cr_assert_eq(ws_queue_push(&q, frame, (size_t) -1, 100), WS_QUEUE_FULL);
    cr_assert_null(q.head);
}

Test(ws_queue, a_flood_never_holds_more_than_the_bound)
{
    ws_queue_t q = { 0 };
    size_t refused = 0;
    for (int i = 0; i < 100000; i++)
        if (ws_queue_push(&q, "{\"type\":\"pong\"}", 15, 4096) != WS_QUEUE_OK)
            refused++;
    cr_assert_leq(q.bytes, 4096);
    cr_assert_eq(q.count, 4096 / 15);
    cr_assert_eq(refused, 100000 - 4096 / 15);
    ws_queue_clear(&q);
}
