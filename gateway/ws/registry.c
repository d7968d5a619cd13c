/*  registry.c: sockets by user id. See registry.h. */
#include "registry.h"

#include <stdlib.h>

struct ws_user {
    int64_t uid;               /* the user */
    ws_user_t *next;           /* next entry in its hash bucket */
    ws_member_t *first;        /* its registered sockets */
    size_t count;              /* how many */
    size_t pending;            /* its handshakes holding a place */
    bool announced;            /* presence.open succeeded here */
};

struct ws_registry {
    ws_user_t **buckets;       /* hash buckets (power of two) */
    size_t mask;               /* bucket count - 1 */
    size_t users;              /* entries */
    size_t sockets;            /* registered sockets, all users */
    ws_registry_hook_fn *first_open; /* see registry.h */
    ws_registry_hook_fn *last_close; /* see registry.h */
    void *hook_arg;            /* their argument */
};

#define INITIAL_BUCKETS 64

/* Spreads user ids (often consecutive) over the buckets. */
static size_t hash(int64_t uid)
{
    uint64_t x = (uint64_t) uid;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t) x;
}

ws_registry_t *ws_registry_new(void)
{
    ws_registry_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->buckets = calloc(INITIAL_BUCKETS, sizeof *self->buckets);
    if (!self->buckets) {
        free(self);
        return NULL;
    }
    self->mask = INITIAL_BUCKETS - 1;
    return self;
}

void ws_registry_destroy(ws_registry_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ws_registry_t *self = *self_p;
    for (size_t i = 0; i <= self->mask; i++)
        while (self->buckets[i]) {
            ws_user_t *u = self->buckets[i];
            self->buckets[i] = u->next;
            for (ws_member_t *m = u->first; m; m = m->next)
                m->user = NULL;
            free(u);
        }
    free(self->buckets);
    free(self);
    *self_p = NULL;
}

void ws_registry_set_hooks(ws_registry_t *self, ws_registry_hook_fn *first_open,
                           ws_registry_hook_fn *last_close, void *arg)
{
    self->first_open = first_open;
    self->last_close = last_close;
    self->hook_arg = arg;
}

static ws_user_t *find(const ws_registry_t *self, int64_t uid)
{
    for (ws_user_t *u = self->buckets[hash(uid) & self->mask]; u; u = u->next)
        if (u->uid == uid)
            return u;
    return NULL;
}

/* Doubles the buckets when there are more entries than buckets (a failure to grow
 * only makes chains longer). */
static void grow(ws_registry_t *self)
{
    size_t count = (self->mask + 1) * 2;
    ws_user_t **buckets = calloc(count, sizeof *buckets);
    if (!buckets)
        return;
    for (size_t i = 0; i <= self->mask; i++)
        while (self->buckets[i]) {
            ws_user_t *u = self->buckets[i];
            self->buckets[i] = u->next;
            size_t b = hash(u->uid) & (count - 1);
            u->next = buckets[b];
            buckets[b] = u;
        }
    free(self->buckets);
    self->buckets = buckets;
    self->mask = count - 1;
}

/* Frees an entry that has neither a socket nor a handshake left, after calling
 * last_close if the user was announced. */
static void settle(ws_registry_t *self, ws_user_t *user)
{
    if (user->count > 0 || user->pending > 0)
        return;
    ws_user_t **p = &self->buckets[hash(user->uid) & self->mask];
    while (*p != user)
        p = &(*p)->next;
    *p = user->next;
    self->users--;
    int64_t uid = user->uid;
    bool announced = user->announced;
    free(user);
    if (announced && self->last_close)
        self->last_close(self->hook_arg, uid);
}

ws_reserve_t ws_registry_reserve(ws_registry_t *self, int64_t uid, size_t max,
                                 bool *announce)
{
    ws_user_t *user = find(self, uid);
    if (!user) {
        if (max == 0)
            return WS_RESERVE_FULL;
        user = calloc(1, sizeof *user);
        if (!user)
            return WS_RESERVE_NOMEM;
        user->uid = uid;
        if (self->users >= self->mask + 1)
            grow(self);
        size_t b = hash(uid) & self->mask;
        user->next = self->buckets[b];
        self->buckets[b] = user;
        self->users++;
    } else if (user->count + user->pending >= max) {
        return WS_RESERVE_FULL;
    }
    user->pending++;
    *announce = !user->announced;
    return WS_RESERVE_OK;
}

void ws_registry_announced(ws_registry_t *self, int64_t uid)
{
    ws_user_t *user = find(self, uid);
    if (!user || user->announced)
        return;
    user->announced = true;
    if (self->first_open)
        self->first_open(self->hook_arg, uid);
}

void ws_registry_release(ws_registry_t *self, int64_t uid)
{
    ws_user_t *user = find(self, uid);
    if (!user || user->pending == 0)
        return;
    user->pending--;
    settle(self, user);
}

void ws_registry_add(ws_registry_t *self, int64_t uid, ws_member_t *member)
{
    ws_user_t *user = find(self, uid);
    if (!user || user->pending == 0)
        return;             /* no place was held: API misuse, nothing registered */
    user->pending--;
    member->user = user;
    member->prev = NULL;
    member->next = user->first;
    if (user->first)
        user->first->prev = member;
    user->first = member;
    user->count++;
    self->sockets++;
}

void ws_registry_remove(ws_registry_t *self, ws_member_t *member)
{
    ws_user_t *user = member->user;
    if (!user)
        return;
    if (member->prev)
        member->prev->next = member->next;
    else
        user->first = member->next;
    if (member->next)
        member->next->prev = member->prev;
    member->prev = member->next = NULL;
    member->user = NULL;
    user->count--;
    self->sockets--;
    settle(self, user);
}

bool ws_registry_has(const ws_registry_t *self, int64_t uid)
{
    return find(self, uid) != NULL;
}

size_t ws_registry_count(const ws_registry_t *self, int64_t uid)
{
    const ws_user_t *user = find(self, uid);
    return user ? user->count : 0;
}

int64_t ws_registry_uid(const ws_member_t *member)
{
    return member->user ? member->user->uid : 0;
}

void ws_registry_each(ws_registry_t *self, int64_t uid, ws_registry_each_fn *fn, void *arg)
{
    ws_user_t *user = find(self, uid);
    if (!user)
        return;
    /* A handshake's place keeps the entry alive while fn removes sockets: hold one
     * so `user` survives the walk, then give it back. */
    user->pending++;
    ws_member_t *m = user->first;
    while (m) {
        ws_member_t *next = m->next;
        fn(arg, m);
        m = next;
    }
    user->pending--;
    settle(self, user);
}

void ws_registry_each_all(ws_registry_t *self, ws_registry_each_fn *fn, void *arg)
{
    /* Collect the ids first: fn may free entries and so change the buckets. */
    size_t n = self->users, k = 0;
    if (n == 0)
        return;
    int64_t *uids = malloc(n * sizeof *uids);
    if (!uids)
        return;
    for (size_t i = 0; i <= self->mask; i++)
        for (ws_user_t *u = self->buckets[i]; u && k < n; u = u->next)
            uids[k++] = u->uid;
    for (size_t i = 0; i < k; i++)
        ws_registry_each(self, uids[i], fn, arg);
    free(uids);
}

size_t ws_registry_sockets(const ws_registry_t *self)
{
    return self->sockets;
}

size_t ws_registry_users(const ws_registry_t *self)
{
    return self->users;
}
