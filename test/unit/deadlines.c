/*  Unit tests of deadlines.c: the min-heap of deadlines with positions. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "deadlines.h"

Test(deadlines, earliest_first_ties_in_insertion_order)
{
    deadlines_t *h = deadlines_new();
    cr_assert_not_null(h);
    deadline_t n[6];
    int64_t at[6] = { 50, 10, 30, 10, 70, 30 };
    for (int i = 0; i < 6; i++)
        cr_assert_eq(deadlines_add(h, &n[i], at[i]), 0);
    cr_assert_eq(deadlines_size(h), 6);
    cr_assert_eq(deadlines_first(h), &n[1]);
    cr_assert_null(deadlines_pop_due(h, 9));
    int expect[6] = { 1, 3, 2, 5, 0, 4 };
    for (int i = 0; i < 6; i++)
        cr_assert_eq(deadlines_pop_due(h, 1000), &n[expect[i]], "pop %d", i);
    cr_assert_null(deadlines_pop_due(h, 1000));
    cr_assert_null(deadlines_first(h));
    deadlines_destroy(&h);
    cr_assert_null(h);
    deadlines_destroy(&h);
}

Test(deadlines, pop_due_stops_at_now)
{
    deadlines_t *h = deadlines_new();
    deadline_t a, b;
    deadlines_add(h, &a, 100);
    deadlines_add(h, &b, 200);
    cr_assert_eq(deadlines_pop_due(h, 100), &a);
    cr_assert_eq(a.index, DEADLINES_NONE);
    cr_assert_null(deadlines_pop_due(h, 199));
    cr_assert_eq(deadlines_pop_due(h, 200), &b);
    deadlines_destroy(&h);
}

Test(deadlines, remove_anywhere_is_idempotent)
{
    deadlines_t *h = deadlines_new();
    deadline_t n[5];
    for (int i = 0; i < 5; i++)
        deadlines_add(h, &n[i], 10 * (i + 1));
    deadlines_remove(h, &n[0]);               /* the root */
    deadlines_remove(h, &n[4]);               /* the last slot */
    deadlines_remove(h, &n[2]);               /* the middle */
    deadlines_remove(h, &n[2]);               /* again: nothing */
    cr_assert_eq(deadlines_size(h), 2);
    cr_assert_eq(deadlines_pop_due(h, 1000), &n[1]);
    cr_assert_eq(deadlines_pop_due(h, 1000), &n[3]);
    cr_assert_null(deadlines_pop_due(h, 1000));
    deadlines_destroy(&h);
}

/* Checks the heap order of every node against its parent through pops: returns
 * the count popped, asserting non-decreasing deadlines. */
static size_t drain_in_order(deadlines_t *h)
{
    size_t count = 0;
    int64_t last = INT64_MIN;
    deadline_t *d;
    while ((d = deadlines_pop_due(h, INT64_MAX)) != NULL) {
        cr_assert_geq(d->at_us, last);
        last = d->at_us;
        count++;
    }
    return count;
}

Test(deadlines, many_random_deadlines_with_cancels_in_the_middle)
{
    enum { N = 20000 };
    deadlines_t *h = deadlines_new();
    deadline_t *n = calloc(N, sizeof *n);
    cr_assert_not_null(n);
    srand(12345);
    for (int i = 0; i < N; i++)
        cr_assert_eq(deadlines_add(h, &n[i], rand() % 5000), 0);
    /* Cancel every third node, in an order unrelated to the heap's. */
    size_t removed = 0;
    for (int i = N - 1; i >= 0; i -= 3) {
        deadlines_remove(h, &n[i]);
        removed++;
    }
    cr_assert_eq(deadlines_size(h), N - removed);
    /* Take the due half, add more, cancel more, then drain the rest in order. */
    int64_t last = INT64_MIN;
    deadline_t *d;
    size_t popped = 0;
    while ((d = deadlines_pop_due(h, 2500)) != NULL) {
        cr_assert_leq(d->at_us, 2500);
        cr_assert_geq(d->at_us, last);
        last = d->at_us;
        popped++;
    }
    cr_assert(deadlines_first(h) == NULL || deadlines_first(h)->at_us > 2500);
    for (int i = 0; i < N; i += 7)
        if (n[i].index == DEADLINES_NONE)
            cr_assert_eq(deadlines_add(h, &n[i], 2500 + rand() % 5000), 0);
    for (int i = 1; i < N; i += 11)
        deadlines_remove(h, &n[i]);
    size_t left = deadlines_size(h);
    cr_assert_eq(drain_in_order(h), left);
    cr_assert_gt(popped, 0);
    for (int i = 0; i < N; i++)
        cr_assert_eq(n[i].index, DEADLINES_NONE);
    deadlines_destroy(&h);
    free(n);
}
