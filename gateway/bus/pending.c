/*  pending.c: calls in flight. See pending.h. */
#include "pending.h"

#include <stdlib.h>

#include "deadlines.h"

typedef struct entry {
    deadline_t deadline;         /* its node in the deadline heap (first member) */
    uint64_t id;                 /* correlation id */
    pending_done_fn *done;       /* completion */
    void *arg;                   /* its argument */
    struct entry *chain;         /* next entry in the same hash bucket */
} entry_t;

struct pending {
    entry_t **buckets;           /* hash buckets (chains) */
    size_t bucket_count;         /* a power of two */
    size_t size;                 /* entries stored */
    deadlines_t *deadlines;      /* every entry's deadline */
};

pending_t *pending_new(void)
{
    pending_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->bucket_count = 64;
    self->buckets = calloc(self->bucket_count, sizeof *self->buckets);
    self->deadlines = deadlines_new();
    if (!self->buckets || !self->deadlines)
        pending_destroy(&self);
    return self;
}

void pending_destroy(pending_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    pending_t *self = *self_p;
    for (size_t b = 0; self->buckets && b < self->bucket_count; b++) {
        entry_t *e = self->buckets[b];
        while (e) {
            entry_t *next = e->chain;
            free(e);
            e = next;
        }
    }
    free(self->buckets);
    deadlines_destroy(&self->deadlines);
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

int pending_add(pending_t *self, uint64_t id, int64_t deadline_us, pending_done_fn *done,
                void *arg)
{
    entry_t *e = malloc(sizeof *e);
    if (!e)
        return -1;
    if (deadlines_add(self->deadlines, &e->deadline, deadline_us) != 0) {
        free(e);
        return -1;
    }
    if (self->size >= self->bucket_count)
        grow(self);
    e->id = id;
    e->done = done;
    e->arg = arg;
    size_t b = bucket_of(self, id);
    e->chain = self->buckets[b];
    self->buckets[b] = e;
    self->size++;
    return 0;
}

/* Unlinks e from its bucket and the heap, and frees it. */
static void remove_entry(pending_t *self, entry_t *e)
{
    entry_t **link = &self->buckets[bucket_of(self, e->id)];
    while (*link != e)
        link = &(*link)->chain;
    *link = e->chain;
    deadlines_remove(self->deadlines, &e->deadline);
    free(e);
    self->size--;
}

/* The entry of call `id`, or NULL. */
static entry_t *find(const pending_t *self, uint64_t id)
{
    for (entry_t *e = self->buckets[bucket_of(self, id)]; e; e = e->chain)
        if (e->id == id)
            return e;
    return NULL;
}

/* Removes e, then calls its completion with reply (the completion may change the
 * table). */
static void finish(pending_t *self, entry_t *e, const proto_msg_t *reply)
{
    pending_done_fn *done = e->done;
    void *arg = e->arg;
    uint64_t id = e->id;
    remove_entry(self, e);
    done(arg, id, reply);
}

bool pending_settle(pending_t *self, const proto_msg_t *reply)
{
    entry_t *e = find(self, reply->id);
    if (!e)
        return false;
    finish(self, e, reply);
    return true;
}

bool pending_cancel(pending_t *self, uint64_t id)
{
    entry_t *e = find(self, id);
    if (!e)
        return false;
    remove_entry(self, e);
    return true;
}

size_t pending_expire(pending_t *self, int64_t now_us)
{
    size_t count = 0;
    deadline_t *d;
    while ((d = deadlines_pop_due(self->deadlines, now_us)) != NULL) {
        finish(self, (entry_t *) d, NULL);
        count++;
    }
    return count;
}

bool pending_next_deadline(const pending_t *self, int64_t *deadline_us)
{
    const deadline_t *d = deadlines_first(self->deadlines);
    if (!d)
        return false;
    *deadline_us = d->at_us;
    return true;
}

size_t pending_size(const pending_t *self)
{
    return self->size;
}
