/*  Unit tests of pending.c: the table of calls in flight. */
#include <criterion/criterion.h>

#include "pending.h"

Test(pending, take_and_expire)
{
    pending_t *p = pending_new();
    int owners[300];
    for (int i = 0; i < 300; i++)
        cr_assert_eq(pending_add(p, (uint64_t) i + 1, &owners[i], 1000 + i), 0);
    cr_assert_eq(pending_size(p), 300);
    cr_assert_eq(pending_take(p, 150), &owners[149]);
    cr_assert_null(pending_take(p, 150));
    cr_assert_null(pending_take(p, 999));
    uint64_t id;
    cr_assert_null(pending_expire(p, 999, &id));
    cr_assert_eq(pending_expire(p, 1001, &id), &owners[0]);
    cr_assert_eq(id, 1);
    cr_assert_eq(pending_expire(p, 1001, &id), &owners[1]);
    cr_assert_null(pending_expire(p, 1001, &id));
    cr_assert_eq(pending_take(p, 300), &owners[299]);
    cr_assert_eq(pending_size(p), 296);
    int expired = 0;
    while (pending_expire(p, 1 << 20, &id))
        expired++;
    cr_assert_eq(expired, 296);
    cr_assert_eq(pending_size(p), 0);
    pending_add(p, 7, &owners[0], 5);
    pending_destroy(&p);
    cr_assert_null(p);
}
