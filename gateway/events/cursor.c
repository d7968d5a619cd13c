/*  cursor.c: the replay/live merge of one socket. See cursor.h. */
#include "cursor.h"

#include <stdlib.h>
#include <string.h>

void cursor_init(cursor_t *c, bool holding)
{
    memset(c, 0, sizeof *c);
    c->mode = holding ? CURSOR_OPENING : CURSOR_LIVE;
}

/* Forgets the kept frames. */
static void drop_kept(cursor_t *c)
{
    for (size_t i = 0; i < c->nkept; i++)
        free(c->kept[i].text);
    c->nkept = 0;
}

void cursor_clear(cursor_t *c)
{
    drop_kept(c);
}

/* Sends a frame and advances the cursor past it. */
static int send_now(cursor_t *c, uint64_t id, const char *text, size_t len,
                    cursor_emit_fn *emit, void *arg)
{
    c->last_id = id;
    return emit(arg, text, len);
}

/* Keeps a copy of a live frame; false when there is no room or memory for it. */
static bool keep(cursor_t *c, uint64_t id, const char *text, size_t len)
{
    if (c->nkept == CURSOR_KEEP_MAX)
        return false;
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return false;
    memcpy(copy, text, len);
    c->kept[c->nkept++] = (cursor_kept_t) { id, copy, len };
    return true;
}

static int by_id(const void *a, const void *b)
{
    uint64_t x = ((const cursor_kept_t *) a)->id, y = ((const cursor_kept_t *) b)->id;
    return (x > y) - (x < y);
}

/* Sends the kept frames with ids above last_id, in id order, and forgets them all. */
static int send_kept(cursor_t *c, cursor_emit_fn *emit, void *arg)
{
    qsort(c->kept, c->nkept, sizeof c->kept[0], by_id);
    int rc = 0;
    for (size_t i = 0; i < c->nkept; i++) {
        if (rc == 0 && c->kept[i].id > c->last_id)
            rc = send_now(c, c->kept[i].id, c->kept[i].text, c->kept[i].len, emit, arg);
    }
    drop_kept(c);
    return rc;
}

int cursor_open_end(cursor_t *c, cursor_emit_fn *emit, void *arg)
{
    if (c->mode != CURSOR_OPENING)
        return 0;
    c->mode = CURSOR_LIVE;
    return send_kept(c, emit, arg);
}

int cursor_on_live(cursor_t *c, uint64_t id, const char *text, size_t len,
                   cursor_emit_fn *emit, void *arg)
{
    if (id <= c->last_id)
        return 0;                              /* sent already, or replayed before */
    if (c->mode == CURSOR_LIVE)
        return send_now(c, id, text, len, emit, arg);
    if (c->mode == CURSOR_OPENING) {
        if (keep(c, id, text, len))
            return 0;
        int rc = cursor_open_end(c, emit, arg); /* no room: the hold ends now */
        return rc ? rc : cursor_on_live(c, id, text, len, emit, arg);
    }
    if (!c->page_in_flight)
        return 0;                              /* the next page holds it */
    if (c->dropped)
        return 0;
    if (!keep(c, id, text, len)) {
        drop_kept(c);                          /* all of them are in a later page */
        c->dropped = true;
    }
    return 0;
}

void cursor_resume(cursor_t *c, uint64_t after)
{
    drop_kept(c);
    c->last_id = after;
    c->mode = CURSOR_REPLAYING;
    c->page_in_flight = false;
    c->dropped = false;
    c->generation++;
}

bool cursor_wants_page(const cursor_t *c)
{
    return c->mode == CURSOR_REPLAYING && !c->page_in_flight;
}

uint32_t cursor_page_begin(cursor_t *c, uint64_t *after)
{
    /* Whatever was kept before now committed before this page's query: it is in it. */
    drop_kept(c);
    c->dropped = false;
    c->page_in_flight = true;
    *after = c->last_id;
    return c->generation;
}

bool cursor_page_row(cursor_t *c, uint32_t generation, uint64_t id)
{
    if (generation != c->generation || !c->page_in_flight || id <= c->last_id)
        return false;
    c->last_id = id;
    return true;
}

int cursor_page_end(cursor_t *c, uint32_t generation, bool more, bool failed,
                    cursor_emit_fn *emit, void *arg)
{
    if (generation != c->generation || !c->page_in_flight)
        return 0;
    c->page_in_flight = false;
    if (failed || more || c->dropped) {
        drop_kept(c);                          /* the next page holds them */
        c->dropped = false;
        return 0;
    }
    c->mode = CURSOR_LIVE;
    return send_kept(c, emit, arg);
}
