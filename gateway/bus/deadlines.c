/*  deadlines.c: binary min-heap of deadlines with positions. See deadlines.h. */
#include "deadlines.h"

#include <stdbool.h>
#include <stdlib.h>

struct deadlines {
    deadline_t **nodes;          /* the heap: nodes[0] is the earliest */
    size_t size;                 /* nodes in it */
    size_t cap;                  /* slots allocated */
    uint64_t next_seq;           /* sequence number of the next node added */
};

deadlines_t *deadlines_new(void)
{
    return calloc(1, sizeof(deadlines_t));
}

void deadlines_destroy(deadlines_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    deadlines_t *self = *self_p;
    free(self->nodes);
    free(self);
    *self_p = NULL;
}

/* True when a comes before b. */
static bool earlier(const deadline_t *a, const deadline_t *b)
{
    return a->at_us < b->at_us || (a->at_us == b->at_us && a->seq < b->seq);
}

/* Puts node at slot i. */
static void place(deadlines_t *self, size_t i, deadline_t *node)
{
    self->nodes[i] = node;
    node->index = i;
}

/* Moves the node at slot i up until its parent is earlier. */
static void sift_up(deadlines_t *self, size_t i)
{
    deadline_t *node = self->nodes[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(node, self->nodes[parent]))
            break;
        place(self, i, self->nodes[parent]);
        i = parent;
    }
    place(self, i, node);
}

/* Moves the node at slot i down until both children are later. */
static void sift_down(deadlines_t *self, size_t i)
{
    deadline_t *node = self->nodes[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= self->size)
            break;
        if (child + 1 < self->size && earlier(self->nodes[child + 1], self->nodes[child]))
            child++;
        if (!earlier(self->nodes[child], node))
            break;
        place(self, i, self->nodes[child]);
        i = child;
    }
    place(self, i, node);
}

int deadlines_add(deadlines_t *self, deadline_t *node, int64_t at_us)
{
    if (self->size == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 64;
        deadline_t **nodes = realloc(self->nodes, cap * sizeof *nodes);
        if (!nodes) {
            node->index = DEADLINES_NONE;
            return -1;
        }
        self->nodes = nodes;
        self->cap = cap;
    }
    node->at_us = at_us;
    node->seq = self->next_seq++;
    place(self, self->size++, node);
    sift_up(self, node->index);
    return 0;
}

void deadlines_remove(deadlines_t *self, deadline_t *node)
{
    size_t i = node->index;
    if (i == DEADLINES_NONE || i >= self->size || self->nodes[i] != node)
        return;
    node->index = DEADLINES_NONE;
    deadline_t *last = self->nodes[--self->size];
    if (last == node)
        return;
    place(self, i, last);
    if (i > 0 && earlier(last, self->nodes[(i - 1) / 2]))
        sift_up(self, i);
    else
        sift_down(self, i);
}

deadline_t *deadlines_first(const deadlines_t *self)
{
    return self->size ? self->nodes[0] : NULL;
}

deadline_t *deadlines_pop_due(deadlines_t *self, int64_t now_us)
{
    deadline_t *first = deadlines_first(self);
    if (!first || first->at_us > now_us)
        return NULL;
    deadlines_remove(self, first);
    return first;
}

size_t deadlines_size(const deadlines_t *self)
{
    return self->size;
}
