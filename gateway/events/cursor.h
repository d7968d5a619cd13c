/*  cursor.h: one WebSocket's place in its user's notifications, merging the replay
 *  that notifications.resume asks for with the live events, by id.
 *
 *  Why this is correct. A recipient's notification ids increase in commit order (the
 *  database assigns them under a per-recipient lock), and an event is published only
 *  after its notification committed. So a replay query issued after a live event
 *  arrived always sees that notification. The cursor keeps `last_id`, the largest id
 *  this socket has been sent, and:
 *    - OPENING (a socket's first moments, until cursor_open_end): live events are
 *      kept, not sent, so that a resume sent right after the handshake still replays
 *      in order (an event published in the meantime is in its first page). Without a
 *      resume, cursor_open_end sends them in id order; CURSOR_KEEP_MAX of them end the
 *      hold at once.
 *    - LIVE: an event with a larger id is sent; any other is a duplicate (the
 *      publisher delivers at least once) and is dropped.
 *    - REPLAYING (after resume): pages of "notifications after last_id" are asked for
 *      one at a time, each only once the socket's outgoing queue has drained, so a long
 *      backlog never fills the queue and memory stays bounded. Live events that arrive
 *      while no page is in flight are dropped: the next page holds them. Live events
 *      that arrive while a page is in flight may or may not be in it: up to
 *      CURSOR_KEEP_MAX of them are kept; when more arrive, they are dropped and another
 *      page is asked for. When a page comes back complete (no more rows) and nothing
 *      was dropped, the kept events with larger ids are sent and the cursor is LIVE.
 *  Nothing is sent twice and nothing out of order, whatever interleaving.
 *
 *  The cursor only decides; the caller sends (through the emit function) and makes
 *  the bus calls. A resume while a page is in flight starts a new generation: the
 *  late reply of the old one is ignored.
 */
#ifndef CURSOR_H_INCLUDED
#define CURSOR_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Live events kept per socket while a replay page is in flight. */
#define CURSOR_KEEP_MAX 32

typedef enum {
    CURSOR_LIVE = 0,
    CURSOR_OPENING,
    CURSOR_REPLAYING,
} cursor_mode_t;

typedef struct {
    uint64_t id;
    char *text;                   /* the frame, malloc'ed */
    size_t len;
} cursor_kept_t;

typedef struct {
    uint64_t last_id;             /* largest notification id sent on this socket */
    cursor_mode_t mode;
    bool page_in_flight;          /* a replay call is out */
    bool dropped;                 /* live events were dropped while it was out */
    uint32_t generation;          /* bumped by every resume */
    cursor_kept_t kept[CURSOR_KEEP_MAX];
    size_t nkept;
} cursor_t;

/* Sends one frame on the socket; returns 0, or -1 when the socket is gone. */
typedef int cursor_emit_fn(void *arg, const char *text, size_t len);

/* A cursor that has sent nothing: OPENING when `holding` (call cursor_open_end when
 * the hold is over), else LIVE. */
void cursor_init(cursor_t *c, bool holding);
/* The opening hold is over: the kept events go out in id order and the cursor is LIVE.
 * Does nothing unless OPENING. Returns emit's first failure, or 0. */
int cursor_open_end(cursor_t *c, cursor_emit_fn *emit, void *arg);
/* Frees the kept frames. */
void cursor_clear(cursor_t *c);

/*  A live notification event `id` with frame `text` arrived. Sends it through emit
 *  when it is the next thing to send, keeps or drops it otherwise (see above).
 *  Returns emit's result, or 0 when nothing was sent. */
int cursor_on_live(cursor_t *c, uint64_t id, const char *text, size_t len,
                   cursor_emit_fn *emit, void *arg);

/* The client resumes after `after`: the cursor replays from there (what an OPENING
 * cursor kept is in the replay). */
void cursor_resume(cursor_t *c, uint64_t after);
/* True when a replay page should be asked for now (the caller also waits for its
 * outgoing queue to drain). */
bool cursor_wants_page(const cursor_t *c);
/* A page is being asked for: returns the generation to hand back with its reply and
 * the id to ask for rows after. */
uint32_t cursor_page_begin(cursor_t *c, uint64_t *after);
/*  A row of the page of `generation`: true when the caller must send it (it is the
 *  next one), false when it is stale or already sent. Rows come in ascending id. */
bool cursor_page_row(cursor_t *c, uint32_t generation, uint64_t id);
/*  The page of `generation` is over (more: the service has more rows; failed: the
 *  call failed and should be retried later). Sends the kept events when the replay
 *  is complete and the cursor goes LIVE. Returns emit's first failure, or 0. */
int cursor_page_end(cursor_t *c, uint32_t generation, bool more, bool failed,
                    cursor_emit_fn *emit, void *arg);

#endif
