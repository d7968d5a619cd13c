/*  pending.h: the bus calls in flight, by correlation id.
 *
 *  Each entry ties a correlation id to its owner (the connection waiting for the
 *  reply) and a deadline. Lookup is a hash on the id; entries also sit in a list in
 *  insertion order, which is deadline order because every call gets the same
 *  timeout, so expiring is a look at the head. The owner is an opaque pointer: this
 *  module knows nothing of libwebsockets.
 */
#ifndef PENDING_H_INCLUDED
#define PENDING_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

typedef struct pending pending_t;

/* An empty table, or NULL when out of memory. */
pending_t *pending_new(void);
/* Frees the table; sets *self_p to NULL; safe on NULL. */
void pending_destroy(pending_t **self_p);
/* Records call `id` for owner with its deadline (monotonic microseconds); ids must be
 * unique and deadlines non-decreasing. Returns 0, or -1 when out of memory. */
int pending_add(pending_t *self, uint64_t id, void *owner, int64_t deadline_us);
/* Removes call `id` and returns its owner, or NULL when it is unknown (expired,
 * cancelled, or never sent). */
void *pending_take(pending_t *self, uint64_t id);
/* Removes the oldest call whose deadline is at or before now_us and returns its
 * owner (its id in *id), or NULL when none has expired. */
void *pending_expire(pending_t *self, int64_t now_us, uint64_t *id);
/* Number of calls in flight. */
size_t pending_size(const pending_t *self);

#endif
