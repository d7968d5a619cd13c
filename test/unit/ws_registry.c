/*  Unit tests of gateway/ws/registry.c: sockets by user, places held by
 *  handshakes and the per-user limit, the first_open and last_close hooks, walks
 *  that remove what they visit, and many users. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "registry.h"

typedef struct {
    int64_t opened[8];         /* first_open calls */
    int opens;
    int64_t closed[8];         /* last_close calls */
    int closes;
} hooks_t;

static void on_open(void *arg, int64_t uid)
{
    hooks_t *h = arg;
    if (h->opens < 8)
        h->opened[h->opens] = uid;
    h->opens++;
}

static void on_close(void *arg, int64_t uid)
{
    hooks_t *h = arg;
    if (h->closes < 8)
        h->closed[h->closes] = uid;
    h->closes++;
}

static ws_registry_t *reg;
static hooks_t hooks;

static void setup(void)
{
    reg = ws_registry_new();
    cr_assert_not_null(reg);
    memset(&hooks, 0, sizeof hooks);
    ws_registry_set_hooks(reg, on_open, on_close, &hooks);
}

static void teardown(void)
{
    ws_registry_destroy(&reg);
    cr_assert_null(reg);
}

TestSuite(ws_registry, .init = setup, .fini = teardown);

/* Reserves and adds a socket of uid; returns whether it had to be announced. */
static bool open_socket(int64_t uid, ws_member_t *m)
{
    bool announce = false;
    cr_assert_eq(ws_registry_reserve(reg, uid, 32, &announce), WS_RESERVE_OK);
    if (announce)
        ws_registry_announced(reg, uid);
    ws_registry_add(reg, uid, m);
    return announce;
}

Test(ws_registry, first_open_and_last_close)
{
    ws_member_t a = { 0 }, b = { 0 };
    cr_assert(open_socket(7, &a), "the first socket announces the user");
    cr_assert_eq(hooks.opens, 1);
    cr_assert_eq(hooks.opened[0], 7);
    cr_assert_not(open_socket(7, &b), "the second does not");
    cr_assert_eq(hooks.opens, 1);
    cr_assert_eq(ws_registry_count(reg, 7), 2);
    cr_assert_eq(ws_registry_uid(&a), 7);
    ws_registry_remove(reg, &a);
    cr_assert_eq(hooks.closes, 0);
    cr_assert_eq(ws_registry_count(reg, 7), 1);
    ws_registry_remove(reg, &b);
    cr_assert_eq(hooks.closes, 1);
    cr_assert_eq(hooks.closed[0], 7);
    cr_assert_eq(ws_registry_count(reg, 7), 0);
    cr_assert_eq(ws_registry_users(reg), 0);
    ws_registry_remove(reg, &b);       /* not registered: nothing happens */
    cr_assert_eq(hooks.closes, 1);
}

Test(ws_registry, the_limit_counts_handshakes_too)
{
    bool announce;
    for (int i = 0; i < 3; i++)
        cr_assert_eq(ws_registry_reserve(reg, 9, 3, &announce), WS_RESERVE_OK);
    cr_assert_eq(ws_registry_reserve(reg, 9, 3, &announce), WS_RESERVE_FULL);
    ws_registry_release(reg, 9);
    cr_assert_eq(ws_registry_reserve(reg, 9, 3, &announce), WS_RESERVE_OK);
    cr_assert_eq(ws_registry_reserve(reg, 10, 3, &announce), WS_RESERVE_OK,
                 "another user has its own places");
    for (int i = 0; i < 3; i++)
        ws_registry_release(reg, 9);
    ws_registry_release(reg, 10);
    cr_assert_eq(ws_registry_users(reg), 0);
    cr_assert_eq(hooks.closes, 0, "never announced: no last_close");
}

Test(ws_registry, a_failed_handshake_after_an_announce_closes_the_user)
{
    bool announce;
    cr_assert_eq(ws_registry_reserve(reg, 5, 32, &announce), WS_RESERVE_OK);
    cr_assert(announce);
    ws_registry_announced(reg, 5);
    ws_registry_release(reg, 5);
    cr_assert_eq(hooks.closes, 1);
    cr_assert_eq(hooks.closed[0], 5);
}

/* ws_registry_each: removes every member it visits. */
static void remove_it(void *arg, ws_member_t *m)
{
    int *visits = arg;
    (*visits)++;
    ws_registry_remove(reg, m);
}

Test(ws_registry, a_walk_may_remove_what_it_visits)
{
    ws_member_t m[5] = { 0 };
    for (int i = 0; i < 5; i++)
        open_socket(3, &m[i]);
    int visits = 0;
    ws_registry_each(reg, 3, remove_it, &visits);
    cr_assert_eq(visits, 5);
    cr_assert_eq(ws_registry_count(reg, 3), 0);
    cr_assert_eq(ws_registry_users(reg), 0);
    cr_assert_eq(hooks.closes, 1);
}

Test(ws_registry, many_users_and_walking_them_all)
{
    enum { USERS = 5000 };
    ws_member_t *m = calloc(USERS * 2, sizeof *m);
    for (int i = 0; i < USERS; i++) {
        open_socket(i + 1, &m[2 * i]);
        open_socket(i + 1, &m[2 * i + 1]);
    }
    cr_assert_eq(ws_registry_users(reg), USERS);
    cr_assert_eq(ws_registry_sockets(reg), 2 * USERS);
    for (int i = 0; i < USERS; i++)
        cr_assert_eq(ws_registry_count(reg, i + 1), 2);
    int visits = 0;
    ws_registry_each_all(reg, remove_it, &visits);
    cr_assert_eq(visits, 2 * USERS);
    cr_assert_eq(ws_registry_sockets(reg), 0);
    cr_assert_eq(hooks.closes, USERS);
    free(m);
}

Test(ws_registry, has_sees_sockets_and_handshakes)
{
    bool announce;
    cr_assert_not(ws_registry_has(reg, 21));
    cr_assert_eq(ws_registry_reserve(reg, 21, 3, &announce), WS_RESERVE_OK);
    cr_assert(ws_registry_has(reg, 21), "a handshake under way counts");
    cr_assert_eq(ws_registry_count(reg, 21), 0);
    ws_registry_release(reg, 21);
    cr_assert_not(ws_registry_has(reg, 21));
    ws_member_t m = { 0 };
    open_socket(22, &m);
    cr_assert(ws_registry_has(reg, 22));
    ws_registry_remove(reg, &m);
    cr_assert_not(ws_registry_has(reg, 22), "the entry goes with the last socket");
}
