/*  pending.c: calls in flight. See pending.h. */
#include "pending.h"

#include <stdlib.h>

typedef struct entry {
    uint64_t id;                 /* correlation id */
    void *owner;                 /* who waits for the reply */
    int64_t deadline_us;         /* when the call times out (monotonic) */
    struct entry *chain;         /* next entry in the same hash bucket */
    struct entry *older;         /* previous entry in insertion order */
    struct entry *newer;         /* next entry in insertion order */
} entry_t;

struct pending {
    entry_t **buckets;           /* hash buckets (chains) */
    size_t bucket_count;         /* a power of two */
    size_t size;                 /* entries stored */
    entry_t *oldest;             /* head of the insertion-order list */
    entry_t *newest;             /* its tail */
};

pending_t *pending_new(void)
{
    pending_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->bucket_count = 64;
    self->buckets = calloc(self->bucket_count, sizeof *self->buckets);
    if (!self->buckets) {
        free(self);
        return NULL;
    }
    return self;
}

void pending_destroy(pending_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    pending_t *self = *self_p;
    entry_t *e = self->oldest;
    while (e) {
        entry_t *next = e->newer;
        free(e);
        e = next;
    }
    free(self->buckets);
    free(self);
    *self_p = NULL;
}

/* Bucket index of an id (ids are sequential: mix the bits anyway). */
static size_t bucket_of(const pending_t *self, uint64_t id)
{
    id ^= id >> 33;
    id *= 0xff51afd7ed558ccdULL;
    id ^= id >> 33;
    return (size_t) (id & (self->bucket_count - 1));
}

/* Doubles the bucket array when the table gets full; keeps going on failure. */
static void grow(pending_t *self)
{
    size_t count = self->bucket_count * 2;
    entry_t **buckets = calloc(count, sizeof *buckets);
    if (!buckets)
        return;
    entry_t **old = self->buckets;
    size_t old_count = self->bucket_count;
    self->buckets = buckets;
    self->bucket_count = count;
    for (size_t i = 0; i < old_count; i++) {
        entry_t *e = old[i];
        while (e) {
            entry_t *next = e->chain;
            size_t b = bucket_of(self, e->id);
            e->chain = buckets[b];
            buckets[b] = e;
            e = next;
        }
    }
    free(old);
}

int pending_add(pending_t *self, uint64_t id, void *owner, int64_t deadline_us)
{
    entry_t *e = malloc(sizeof *e);
    if (!e)
        return -1;
    if (self->size >= self->bucket_count)
        grow(self);
    e->id = id;
    e->owner = owner;
    e->deadline_us = deadline_us;
    size_t b = bucket_of(self, id);
    e->chain = self->buckets[b];
    self->buckets[b] = e;
    e->older = self->newest;
    e->newer = NULL;
    if (self->newest)
        self->newest->newer = e;
    else
        self->oldest = e;
    self->newest = e;
    self->size++;
    return 0;
}

/* Unlinks e from its bucket and from the order list, then frees it; returns owner. */
static void *remove_entry(pending_t *self, entry_t *e)
{
    entry_t **link = &self->buckets[bucket_of(self, e->id)];
    while (*link != e)
        link = &(*link)->chain;
    *link = e->chain;
    if (e->older)
        e->older->newer = e->newer;
    else
        self->oldest = e->newer;
    if (e->newer)
        e->newer->older = e->older;
    else
        self->newest = e->older;
    void *owner = e->owner;
    free(e);
    self->size--;
    return owner;
}

void *pending_take(pending_t *self, uint64_t id)
{
    for (entry_t *e = self->buckets[bucket_of(self, id)]; e; e = e->chain)
        if (e->id == id)
            return remove_entry(self, e);
    return NULL;
}

void *pending_expire(pending_t *self, int64_t now_us, uint64_t *id)
{
    entry_t *e = self->oldest;
    if (!e || e->deadline_us > now_us)
        return NULL;
    *id = e->id;
    return remove_entry(self, e);
}

size_t pending_size(const pending_t *self)
{
    return self->size;
}
