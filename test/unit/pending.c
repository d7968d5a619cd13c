/*  Unit tests of pending.c: calls in flight with their completions and deadlines. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "pending.h"

/* What the completions saw, in order. */
typedef struct {
    uint64_t ids[512];           /* ids completed */
    bool timed_out[512];         /* whether each had no reply */
    size_t count;                /* completions so far */
} record_t;

/* Completion that records into a record_t. */
static void record(void *arg, uint64_t id, const proto_msg_t *reply)
{
    record_t *r = arg;
    cr_assert_lt(r->count, 512);
    if (reply)
        cr_assert_eq(reply->id, id);
    r->ids[r->count] = id;
    r->timed_out[r->count] = reply == NULL;
    r->count++;
}

/* A reply for call id. */
static proto_msg_t reply_for(uint64_t id)
{
    proto_msg_t m;
    memset(&m, 0, sizeof m);
    m.id = id;
    m.status = PROTO_OK;
    return m;
}

Test(pending, settle_cancel_and_expire)
{
    pending_t *p = pending_new();
    record_t r = { .count = 0 };
    for (int i = 0; i < 300; i++)
        cr_assert_eq(pending_add(p, (uint64_t) i + 1, 1000 + i, record, &r), 0);
    cr_assert_eq(pending_size(p), 300);
    proto_msg_t m = reply_for(150);
    cr_assert(pending_settle(p, &m));
    cr_assert_eq(r.count, 1);
    cr_assert_eq(r.ids[0], 150);
    cr_assert_not(r.timed_out[0]);
    cr_assert_not(pending_settle(p, &m));     /* a late reply is dropped */
    cr_assert_not(pending_cancel(p, 150));
    m = reply_for(999);
    cr_assert_not(pending_settle(p, &m));     /* unknown */
    cr_assert_eq(r.count, 1);
    cr_assert_eq(pending_expire(p, 999), 0);
    cr_assert_eq(pending_expire(p, 1001), 2);
    cr_assert_eq(r.ids[1], 1);
    cr_assert_eq(r.ids[2], 2);
    cr_assert(r.timed_out[1] && r.timed_out[2]);
    cr_assert_eq(pending_expire(p, 1001), 0);
    cr_assert(pending_cancel(p, 300));
    cr_assert_eq(pending_size(p), 296);
    cr_assert_eq(pending_expire(p, 1 << 20), 296);
    cr_assert_eq(r.count, 299);
    cr_assert_eq(pending_size(p), 0);
    int64_t next;
    cr_assert_not(pending_next_deadline(p, &next));
    pending_add(p, 7, 5, record, &r);         /* freed without a completion */
    pending_destroy(&p);
    cr_assert_null(p);
    cr_assert_eq(r.count, 299);
}

Test(pending, mixed_timeouts_expire_in_deadline_order)
{
    pending_t *p = pending_new();
    record_t r = { .count = 0 };
    /* Sent in this order with timeouts 5 s, 1 s, 30 s, 1 s, 2 s (deadline = sent + t). */
    pending_add(p, 1, 0 + 5000, record, &r);
    pending_add(p, 2, 10 + 1000, record, &r);
    pending_add(p, 3, 20 + 30000, record, &r);
    pending_add(p, 4, 30 + 1000, record, &r);
    pending_add(p, 5, 40 + 2000, record, &r);
    int64_t next;
    cr_assert(pending_next_deadline(p, &next));
    cr_assert_eq(next, 1010);
    cr_assert_eq(pending_expire(p, 1030), 2);
    cr_assert(pending_next_deadline(p, &next));
    cr_assert_eq(next, 2040);
    cr_assert(pending_cancel(p, 5));
    cr_assert(pending_next_deadline(p, &next));
    cr_assert_eq(next, 5000);
    cr_assert_eq(pending_expire(p, 100000), 2);
    uint64_t expect[] = { 2, 4, 1, 3 };
    cr_assert_eq(r.count, 4);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(r.ids[i], expect[i]);
    pending_destroy(&p);
}

/* A completion that, like /readyz, withdraws a sibling call and starts another. */
typedef struct {
    pending_t *p;                /* the table */
    record_t log;                /* what completed */
} chain_t;

static void cancel_sibling(void *arg, uint64_t id, const proto_msg_t *reply)
{
    chain_t *c = arg;
    record(&c->log, id, reply);
    if (id == 1) {
        pending_cancel(c->p, 2);
        pending_add(c->p, 10, 0, cancel_sibling, c);
    }
}

Test(pending, completions_may_change_the_table)
{
    chain_t c = { .p = pending_new(), .log = { .count = 0 } };
    pending_add(c.p, 1, 100, cancel_sibling, &c);
    pending_add(c.p, 2, 100, cancel_sibling, &c);
    pending_add(c.p, 3, 100, cancel_sibling, &c);
    cr_assert_eq(pending_expire(c.p, 100), 3);   /* 1, then the new 10, then 3 */
    cr_assert_eq(c.log.count, 3);
    cr_assert_eq(c.log.ids[0], 1);
    cr_assert_eq(c.log.ids[1], 10);
    cr_assert_eq(c.log.ids[2], 3);
    cr_assert_eq(pending_size(c.p), 0);
    pending_destroy(&c.p);
}

Test(pending, many_calls_grow_the_table)
{
    enum { N = 100000 };
    pending_t *p = pending_new();
    record_t r = { .count = 0 };
    for (uint64_t id = 1; id <= N; id++)
        cr_assert_eq(pending_add(p, id, (int64_t) ((id * 7919) % 1000), record, &r), 0);
    for (uint64_t id = 2; id <= N; id += 2)
        cr_assert(pending_cancel(p, id));
    cr_assert_eq(pending_size(p), N / 2);
    for (uint64_t id = 1; id <= 400; id += 2) {
        proto_msg_t m = reply_for(id);
        cr_assert(pending_settle(p, &m));
        r.count = 0;
    }
    cr_assert_eq(pending_size(p), N / 2 - 200);
    pending_destroy(&p);
}
