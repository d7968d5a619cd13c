/*  registry.h: this gateway's WebSockets by user id.
 *
 *  Each user with a socket open here (or a handshake under way) has one entry,
 *  found through a hash table, holding a doubly-linked list of its sockets'
 *  members (a member is embedded in its socket): adding and removing a socket
 *  cost O(1), and a user's sockets are walked without looking at anyone else's
 *  (event delivery). Handshakes reserve a place first (ws_registry_reserve), so the
 *  per-user limit counts sockets being opened too, and the first handshake of a
 *  user knows it must announce the user (presence.open) before its socket exists.
 *
 *  Two hooks: `first_open` when a user is announced here (the first presence.open
 *  succeeded), `last_close` when an announced user has neither a socket nor a
 *  handshake left. The entry is freed after last_close returns.
 *
 *  Pure: no lws, no bus; knows a socket only as its member.
 */
#ifndef WS_REGISTRY_H_INCLUDED
#define WS_REGISTRY_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ws_user ws_user_t;

/* A socket's place in its user's list (embed it in the socket). */
typedef struct ws_member {
    struct ws_member *prev;    /* previous socket of the user, NULL for the first */
    struct ws_member *next;    /* next socket of the user, NULL for the last */
    ws_user_t *user;           /* its user's entry, NULL while not registered */
} ws_member_t;

typedef struct ws_registry ws_registry_t;

/* A user was announced here (first_open) or left (last_close). */
typedef void ws_registry_hook_fn(void *arg, int64_t uid);
/* Called for each of a user's sockets (ws_registry_each). */
typedef void ws_registry_each_fn(void *arg, ws_member_t *member);

typedef enum {
    WS_RESERVE_OK = 0,         /* a place is held: ws_registry_add or _release later */
    WS_RESERVE_FULL,           /* the user has `max` sockets and handshakes already */
    WS_RESERVE_NOMEM,          /* out of memory */
} ws_reserve_t;

/* An empty registry, or NULL when out of memory. */
ws_registry_t *ws_registry_new(void);
/* Frees the registry and its entries (calling no hook; members are left alone);
 * sets *self_p to NULL; safe on NULL. */
void ws_registry_destroy(ws_registry_t **self_p);
/* Sets the hooks (either may be NULL). */
void ws_registry_set_hooks(ws_registry_t *self, ws_registry_hook_fn *first_open,
                           ws_registry_hook_fn *last_close, void *arg);
/* Holds a place for a handshake of uid, unless the user already has `max` sockets
 * and handshakes. *announce is set true when the user is not announced here yet:
 * the handshake must call presence.open and, when it succeeds,
 * ws_registry_announced(). */
ws_reserve_t ws_registry_reserve(ws_registry_t *self, int64_t uid, size_t max,
                                 bool *announce);
/* The user's presence.open succeeded: calls first_open once. */
void ws_registry_announced(ws_registry_t *self, int64_t uid);
/* Gives back a handshake's place (it failed or was withdrawn). */
void ws_registry_release(ws_registry_t *self, int64_t uid);
/* Turns a handshake's place into the registered socket `member`. */
void ws_registry_add(ws_registry_t *self, int64_t uid, ws_member_t *member);
/* Unregisters a socket; safe on a member not registered. */
void ws_registry_remove(ws_registry_t *self, ws_member_t *member);
/* True when uid has an entry here: a socket, or a handshake under way. */
bool ws_registry_has(const ws_registry_t *self, int64_t uid);
/* The user's registered sockets. */
size_t ws_registry_count(const ws_registry_t *self, int64_t uid);
/* The user id of a registered member. */
int64_t ws_registry_uid(const ws_member_t *member);
/* Calls fn for each of the user's sockets; fn may remove the one it is given. */
void ws_registry_each(ws_registry_t *self, int64_t uid, ws_registry_each_fn *fn, void *arg);
/* Calls fn for every registered socket; fn may remove the one it is given. */
void ws_registry_each_all(ws_registry_t *self, ws_registry_each_fn *fn, void *arg);
/* Registered sockets, all users. */
size_t ws_registry_sockets(const ws_registry_t *self);
/* Users with an entry (a socket or a handshake). */
size_t ws_registry_users(const ws_registry_t *self);

#endif
