/*  events.h: the gateway's side of the event path — what arrives on the SUB socket
 *  goes to the right WebSockets, notifications.resume replays, and the presence lease
 *  is kept.
 *
 *  One per gateway. It owns the subscriber (subscriber.h), the lease (lease.h) and,
 *  on each socket that has received a notification or asked to resume, a cursor
 *  (cursor.h) attached in the socket's WS_SLOT_EVENTS (ws_socket_set_state), with the replay
 *  call in flight and its retry timer, both withdrawn when the socket closes.
 *
 *      notification  → the cursor of each of the recipient's sockets on this gateway
 *      presence      → each socket of each recipient (friends of the user)
 *      chat.message  → each socket of each recipient
 *      user_gone     → the users' sockets closed with 4001
 *
 *  The frame of an event is built once, whatever the number of sockets. Replay pages
 *  ("replay" on the notification service, EVENTS_REPLAY_PAGE rows) are asked for only
 *  once the socket's queue is below EVENTS_REPLAY_LOW_WATER bytes.
 */
#ifndef EVENTS_H_INCLUDED
#define EVENTS_H_INCLUDED

#include <libwebsockets.h>

#include "bus_keys.h"
#include "calls.h"
#include "endpoint.h"

/* Rows per replay page (the notification service allows 1..100). */
#define EVENTS_REPLAY_PAGE 100
/* A socket asks for its next replay page once fewer bytes than this are queued. */
#define EVENTS_REPLAY_LOW_WATER (32 * 1024)
/* How long a socket's first live notifications are held (cursor.h, OPENING) so that
 * a notifications.resume sent right after the handshake replays them in order; the
 * client's first message of another type ends the hold at once. */
#define EVENTS_OPEN_HOLD_MS 250
/* Delay before a failed replay page is asked for again. */
#define EVENTS_REPLAY_RETRY_MS 1000

typedef struct events events_t;

typedef struct {
    const char *sub_endpoint;         /* EVENTS_SUB_ENDPOINT */
    const bus_keys_t *keys;           /* the gateway's CURVE keys */
    const char *gateway_id;           /* this process's presence id (kept by pointer) */
    long lease_ms;                    /* GATEWAY_LEASE_MS */
    long call_timeout_ms;             /* deadline of replay calls */
} events_config_t;

/*  Subscribes, starts the lease and plugs notifications.resume into ws's dispatch
 *  table and the drain hook into ws. Returns NULL (logged) on failure. */
events_t *events_new(struct lws_context *context, struct lws_vhost *vhost, calls_t *calls,
                     ws_server_t *ws, const events_config_t *config);
/* Stops the subscriber and the lease and lets go of the calls, which may then be
 * destroyed: call first when the gateway stops, while the lws context lives. The
 * sockets' states still point here until their sockets close. Safe on NULL. */
void events_stop(events_t *self);
/* Frees what is left (events_stop first if not done); call after the lws context is
 * destroyed, when no socket is left; sets *self_p to NULL; safe on NULL. */
void events_destroy(events_t **self_p);

#endif
