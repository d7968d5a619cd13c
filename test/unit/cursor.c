/*  Unit tests of the replay/live merge: every interleaving of pages and live events
 *  sends each id once, in ascending order. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "cursor.h"

/* What a socket was sent: the ids, read back from the frames' text. */
typedef struct {
    uint64_t ids[256];
    size_t n;
} sent_t;

static int emit(void *arg, const char *text, size_t len)
{
    sent_t *sent = arg;
    char copy[32];
    cr_assert_lt(len, sizeof copy);
    snprintf(copy, sizeof copy, "%.*s", (int) len, text);
    sent->ids[sent->n++] = strtoull(copy, NULL, 10);
    return 0;
}

/* A live event `id` whose frame is its id in text. */
static void live(cursor_t *c, sent_t *sent, uint64_t id)
{
    char text[32];
    int len = snprintf(text, sizeof text, "%llu", (unsigned long long) id);
    cr_assert_eq(cursor_on_live(c, id, text, (size_t) len, emit, sent), 0);
}

/* A page of rows from..to (inclusive) arriving for generation g; rows that the cursor
 * says to send are emitted. */
static void page(cursor_t *c, sent_t *sent, uint32_t g, uint64_t from, uint64_t to, bool more)
{
    for (uint64_t id = from; id && id <= to; id++)
        if (cursor_page_row(c, g, id))
            sent->ids[sent->n++] = id;
    cr_assert_eq(cursor_page_end(c, g, more, false, emit, sent), 0);
}

static void assert_sent(const sent_t *sent, uint64_t first, uint64_t last)
{
    cr_assert_eq(sent->n, last - first + 1, "sent %zu frames", sent->n);
    for (size_t i = 0; i < sent->n; i++)
        cr_assert_eq(sent->ids[i], first + i, "frame %zu is id %llu", i,
                     (unsigned long long) sent->ids[i]);
}

Test(cursor, live_drops_duplicates_and_old_ids)
{
    cursor_t c;
    sent_t sent = { 0 };
    cursor_init(&c, false);
    live(&c, &sent, 1);
    live(&c, &sent, 2);
    live(&c, &sent, 2);
    live(&c, &sent, 1);
    live(&c, &sent, 3);
    assert_sent(&sent, 1, 3);
    cursor_clear(&c);
}

Test(cursor, resume_replays_then_goes_live_without_a_seam)
{
    cursor_t c;
    sent_t sent = { 0 };
    cursor_init(&c, false);
    cursor_resume(&c, 5);
    live(&c, &sent, 7);                      /* no page out: the page will hold it */
    cr_assert(cursor_wants_page(&c));
    uint64_t after = 0;
    uint32_t g = cursor_page_begin(&c, &after);
    cr_assert_eq(after, 5);
    cr_assert_not(cursor_wants_page(&c));
    live(&c, &sent, 8);                      /* may or may not be in the page: kept */
    live(&c, &sent, 9);
    page(&c, &sent, g, 6, 8, false);         /* holds 8 but not 9 */
    live(&c, &sent, 9);                      /* the duplicate from the publisher */
    live(&c, &sent, 10);
    assert_sent(&sent, 6, 10);
    cr_assert_eq(c.mode, CURSOR_LIVE);
    cursor_clear(&c);
}

Test(cursor, long_backlog_page_by_page)
{
    cursor_t c;
    sent_t sent = { 0 };
    cursor_init(&c, false);
    cursor_resume(&c, 0);
    uint64_t after;
    for (uint64_t p = 0; p < 5; p++) {
        cr_assert(cursor_wants_page(&c));
        uint32_t g = cursor_page_begin(&c, &after);
        cr_assert_eq(after, p * 10);
        page(&c, &sent, g, p * 10 + 1, p * 10 + 10, p < 4);
    }
    cr_assert_not(cursor_wants_page(&c));
    live(&c, &sent, 51);
    assert_sent(&sent, 1, 51);
    cursor_clear(&c);
}

Test(cursor, too_many_live_events_during_a_page_ask_for_another)
{
    cursor_t c;
    sent_t sent = { 0 };
    cursor_init(&c, false);
    cursor_resume(&c, 0);
    uint64_t after;
    uint32_t g = cursor_page_begin(&c, &after);
    for (uint64_t id = 2; id < 2 + CURSOR_KEEP_MAX + 5; id++)
        live(&c, &sent, id);
    page(&c, &sent, g, 1, 1, false);
    cr_assert(cursor_wants_page(&c), "what was dropped is in the next page");
    g = cursor_page_begin(&c, &after);
    cr_assert_eq(after, 1);
    page(&c, &sent, g, 2, 1 + CURSOR_KEEP_MAX + 5, false);
    assert_sent(&sent, 1, 1 + CURSOR_KEEP_MAX + 5);
    cr_assert_eq(c.mode, CURSOR_LIVE);
    cursor_clear(&c);
}

Test(cursor, a_failed_page_is_asked_for_again)
{
    cursor_t c;
    sent_t sent = { 0 };
    cursor_init(&c, false);
    cursor_resume(&c, 3);
    uint64_t after;
    uint32_t g = cursor_page_begin(&c, &after);
    live(&c, &sent, 4);
    cr_assert_eq(cursor_page_end(&c, g, false, true, emit, &sent), 0);
    cr_assert_eq(sent.n, 0);
    cr_assert(cursor_wants_page(&c));
    g = cursor_page_begin(&c, &after);
    cr_assert_eq(after, 3);
    page(&c, &sent, g, 4, 4, false);
    assert_sent(&sent, 4, 4);
    cursor_clear(&c);
}

Test(cursor, a_second_resume_ignores_the_first_pages_reply)
{
    cursor_t c;
    sent_t sent = { 0 };
    cursor_init(&c, false);
    cursor_resume(&c, 10);
    uint64_t after;
    uint32_t old = cursor_page_begin(&c, &after);
    cursor_resume(&c, 2);
    cr_assert(cursor_wants_page(&c));
    page(&c, &sent, old, 11, 12, false);     /* the stale reply: ignored */
    cr_assert_eq(sent.n, 0);
    uint32_t g = cursor_page_begin(&c, &after);
    cr_assert_eq(after, 2);
    page(&c, &sent, g, 3, 12, false);
    assert_sent(&sent, 3, 12);
    cursor_clear(&c);
}

Test(cursor, live_sockets_that_never_resume_start_at_the_first_event)
{
    cursor_t c;
    sent_t sent = { 0 };
    cursor_init(&c, false);
    cr_assert_not(cursor_wants_page(&c));
    live(&c, &sent, 40);
    live(&c, &sent, 41);
    assert_sent(&sent, 40, 41);
    cursor_clear(&c);
}

Test(cursor, a_resume_right_after_opening_replays_what_the_hold_kept_in_order)
{
    cursor_t c;
    sent_t sent = { 0 };
    cursor_init(&c, true);
    live(&c, &sent, 120);                    /* published late, before the resume came */
    cr_assert_eq(sent.n, 0, "held, not sent");
    cursor_resume(&c, 0);
    uint64_t after;
    uint32_t g = cursor_page_begin(&c, &after);
    cr_assert_eq(after, 0);
    page(&c, &sent, g, 1, 120, false);
    live(&c, &sent, 121);
    cr_assert_eq(cursor_open_end(&c, emit, &sent), 0, "a late hold end does nothing");
    assert_sent(&sent, 1, 121);
    cursor_clear(&c);
}

Test(cursor, without_a_resume_the_hold_ends_with_the_kept_events_in_id_order)
{
    cursor_t c;
    sent_t sent = { 0 };
    cursor_init(&c, true);
    live(&c, &sent, 8);
    live(&c, &sent, 7);
    live(&c, &sent, 8);                      /* the publisher's duplicate */
    cr_assert_eq(sent.n, 0);
    cr_assert_not(cursor_wants_page(&c));
    cr_assert_eq(cursor_open_end(&c, emit, &sent), 0);
    cr_assert_eq(c.mode, CURSOR_LIVE);
    live(&c, &sent, 9);
    assert_sent(&sent, 7, 9);
    cursor_clear(&c);
}

Test(cursor, a_full_hold_ends_at_once)
{
    cursor_t c;
    sent_t sent = { 0 };
    cursor_init(&c, true);
    for (uint64_t id = 1; id <= CURSOR_KEEP_MAX; id++)
        live(&c, &sent, id);
    cr_assert_eq(sent.n, 0);
    live(&c, &sent, CURSOR_KEEP_MAX + 1);
    assert_sent(&sent, 1, CURSOR_KEEP_MAX + 1);
    cr_assert_eq(c.mode, CURSOR_LIVE);
    cursor_clear(&c);
}
