/*  deadlines.h: a binary min-heap of deadlines, correct for any mix of timeouts.
 *
 *  Nodes are embedded in the caller's own records (deadline_t) and remember their
 *  place in the heap, so removing any node (a call cancelled or answered) costs
 *  O(log n), as do adding and taking the earliest. Equal deadlines come out in the
 *  order they were added. Pure: no clock, no libwebsockets.
 */
#ifndef DEADLINES_H_INCLUDED
#define DEADLINES_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

/* A node: embed it in the record that has the deadline. */
typedef struct {
    int64_t at_us;               /* the deadline (monotonic microseconds) */
    uint64_t seq;                /* order of insertion, breaks ties */
    size_t index;                /* place in the heap, DEADLINES_NONE when not in it */
} deadline_t;

#define DEADLINES_NONE ((size_t) -1)

typedef struct deadlines deadlines_t;

/* An empty heap, or NULL when out of memory. */
deadlines_t *deadlines_new(void);
/* Frees the heap, never touching the nodes (they may be freed already); sets
 * *self_p to NULL; safe on NULL. */
void deadlines_destroy(deadlines_t **self_p);
/* Adds node (not in any heap) with deadline at_us. Returns 0, or -1 when out of
 * memory (node left out). */
int deadlines_add(deadlines_t *self, deadline_t *node, int64_t at_us);
/* Removes node if it is in the heap; safe to repeat. */
void deadlines_remove(deadlines_t *self, deadline_t *node);
/* The earliest node (still in the heap), or NULL when empty. */
deadline_t *deadlines_first(const deadlines_t *self);
/* Removes and returns the earliest node whose deadline is at or before now_us, or
 * NULL when none is due. */
deadline_t *deadlines_pop_due(deadlines_t *self, int64_t now_us);
/* Number of nodes in the heap. */
size_t deadlines_size(const deadlines_t *self);

#endif
