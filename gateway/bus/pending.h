/*  pending.h: the bus calls in flight, each with its own completion and deadline.
 *
 *  An entry ties a correlation id to a completion (a function and its argument)
 *  and a deadline. Lookup is a hash on the id; deadlines sit in a min-heap
 *  (deadlines.h), so any mix of timeouts expires in deadline order and removing an
 *  entry costs O(log n). Each entry ends exactly once: settled by its reply,
 *  expired at its deadline (both call the completion, after the entry is gone, so
 *  the completion may add or cancel entries), or cancelled (no call). A reply for
 *  an id that is not here (late, cancelled, unknown) is dropped. Pure: no clock,
 *  no socket, no libwebsockets; it knows nothing of who waits.
 */
#ifndef PENDING_H_INCLUDED
#define PENDING_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/*  How a call ends: reply is the decoded reply, or NULL when the deadline passed.
 *  It is valid only during the call. */
typedef void pending_done_fn(void *arg, uint64_t id, const proto_msg_t *reply);

typedef struct pending pending_t;

/* An empty table, or NULL when out of memory. */
pending_t *pending_new(void);
/* Frees the table without calling any completion; sets *self_p to NULL; safe on
 * NULL. */
void pending_destroy(pending_t **self_p);
/* Records call `id` (unique) ending at deadline_us with done(arg, …). Returns 0, or
 * -1 when out of memory (nothing recorded). */
int pending_add(pending_t *self, uint64_t id, int64_t deadline_us, pending_done_fn *done,
                void *arg);
/* Ends the call reply->id with its reply. Returns true, or false when the id is not
 * in flight (the reply is dropped). */
bool pending_settle(pending_t *self, const proto_msg_t *reply);
/* Withdraws call `id` without calling its completion. Returns true when it was in
 * flight. */
bool pending_cancel(pending_t *self, uint64_t id);
/* Ends every call whose deadline is at or before now_us, earliest first, calling
 * each completion with a NULL reply. Returns how many. */
size_t pending_expire(pending_t *self, int64_t now_us);
/* The earliest deadline in flight in *deadline_us. Returns false when none. */
bool pending_next_deadline(const pending_t *self, int64_t *deadline_us);
/* Number of calls in flight. */
size_t pending_size(const pending_t *self);

#endif
