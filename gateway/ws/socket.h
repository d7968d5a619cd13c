/*  socket.h: one client WebSocket of /ws/main/, and what other parts do with it.
 *
 *  This is the API the events part (gateway/events/) uses to deliver to a socket:
 *
 *      ws_send_text(sock, bytes, len)     queue one text frame (one JSON message)
 *      ws_send_json(sock, value)          the same, serialized from a jansson value
 *      ws_send_frame(sock, value)         the same, for a value made for it (taken)
 *      ws_socket_queued(sock)             payload bytes queued, not yet written
 *      ws_socket_on_drained(sock, low, fn, arg)
 *                                         call fn once, from the socket's writeable
 *                                         callback, when fewer than `low` bytes
 *                                         remain queued (replay asks for its next
 *                                         page then)
 *      ws_socket_uid(sock)                the authenticated user
 *      ws_socket_set_state(sock, slot, p, free)
 *                                         a part's own per-socket state in its
 *                                         slot (the events part's cursor, the chat
 *                                         part's sends in flight), freed with
 *                                         free(p) when the socket closes
 *      ws_socket_close(sock, code, why)   close it with a WebSocket close code
 *
 *  and, through the endpoint (endpoint.h), a user's sockets: ws_server_each(),
 *  ws_server_count(), ws_server_close_user().
 *
 *  Writing: each socket has its own queue (queue.h) bounded by WS_SEND_QUEUE_MAX;
 *  ws_send_text copies the frame into it (with LWS_PRE room) and asks lws for a
 *  writeable callback, which writes one frame per call. A client that lets its
 *  queue reach the bound is closed with 1008 and its queue freed at once.
 *  The socket's memory is the lws per-session user space (protocol.h): lws frees it
 *  after LWS_CALLBACK_CLOSED.
 */
#ifndef WS_SOCKET_H_INCLUDED
#define WS_SOCKET_H_INCLUDED

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "queue.h"
#include "registry.h"

/* Close codes the gateway sends (RFC 6455 section 7.4.1; 4001 from docs/api.md). */
#define WS_CLOSE_GOING_AWAY 1001     /* the gateway is shutting down */
#define WS_CLOSE_POLICY 1008         /* fell behind its queue bound, or kept
                                        sending unusable frames */
#define WS_CLOSE_INTERNAL 1011       /* out of memory */
#define WS_CLOSE_USER_GONE 4001      /* the user no longer exists (user_gone) */

struct lws;
struct ws_server;
typedef struct ws_socket ws_socket_t;

/* The parts that keep state on a socket: one slot each (ws_socket_set_state). */
typedef enum {
    WS_SLOT_EVENTS = 0,        /* gateway/events/: the notification cursor, replay */
    WS_SLOT_CHAT,              /* gateway/chat/: chat.send calls in flight */
    WS_SLOTS                   /* how many */
} ws_slot_t;

/* One part's state on a socket. */
typedef struct {
    void *state;               /* the part's state, NULL when none */
    void (*free)(void *);      /* frees it when the socket closes, or NULL */
} ws_socket_slot_t;

/* The drained hook: the queue fell below its low-water mark. */
typedef void ws_drained_fn(void *arg, ws_socket_t *sock);

struct ws_socket {
    struct lws *wsi;           /* its lws connection */
    struct ws_server *server;  /* the server it belongs to */
    int64_t uid;               /* the authenticated user, 0 until established */
    ws_member_t member;        /* its place among its user's sockets */
    ws_queue_t queue;          /* frames waiting to be written */
    ws_frame_t frame;          /* the client message being reassembled */
    unsigned bad_in_a_row;     /* client messages refused since the last good one */
    uint16_t close_code;       /* non-zero once closing: nothing more is queued */
    bool established;          /* the handshake is done and the socket registered */
    int64_t opened_us;         /* lws_now_usecs() when it was established */
    bool spoken;               /* the client has sent a whole message */
    size_t low_water;          /* the drained hook's mark */
    ws_drained_fn *drained;    /* the drained hook, NULL when not armed */
    void *drained_arg;         /* its argument */
    ws_socket_slot_t slots[WS_SLOTS]; /* the parts' states (ws_socket_set_state) */
};

/* Queues a text frame; asks for a writeable callback. Returns 0, or -1 when the
 * socket is closing or the frame would cross WS_SEND_QUEUE_MAX (the socket is
 * then closed with 1008 and its queue freed) or memory ran out (closed, 1011). */
int ws_send_text(ws_socket_t *sock, const char *bytes, size_t len);
/* ws_send_text of value serialized compactly. Same returns. */
int ws_send_json(ws_socket_t *sock, const json_t *value);
/* ws_send_json of a frame made for this send, whose reference it takes; NULL (the
 * frame could not be made: out of memory) closes the socket with 1011. Same returns. */
int ws_send_frame(ws_socket_t *sock, json_t *frame);
/* Sends {"type": "error", "detail": detail}. Same returns. */
int ws_send_error(ws_socket_t *sock, const char *detail);
/* Payload bytes queued, not yet written. */
size_t ws_socket_queued(const ws_socket_t *sock);
/* Arms the drained hook (replacing any): fn(arg, sock) is called once, from the
 * writeable callback, when fewer than low_water bytes remain queued (at once, on the
 * next callback, if that is already true). fn NULL disarms it. */
void ws_socket_on_drained(ws_socket_t *sock, size_t low_water, ws_drained_fn *fn,
                          void *arg);
/* The authenticated user. */
int64_t ws_socket_uid(const ws_socket_t *sock);
/* lws_now_usecs() when the handshake completed. */
int64_t ws_socket_opened_us(const ws_socket_t *sock);
/* True once the client has sent a whole message (any, even a refused one). */
bool ws_socket_has_spoken(const ws_socket_t *sock);
/* Attaches a part's state in its slot, freed with state_free (may be NULL) on close.
 * A state already in the slot is replaced, not freed. */
void ws_socket_set_state(ws_socket_t *sock, ws_slot_t slot, void *state,
                         void (*state_free)(void *));
/* The state attached in slot, or NULL. */
void *ws_socket_state(const ws_socket_t *sock, ws_slot_t slot);
/* Frees every slot's state (the socket closed). */
void ws_socket_free_states(ws_socket_t *sock);
/* Starts closing with `code` (and a short reason, may be NULL): the queue is freed,
 * nothing more is queued, the close frame is sent from the writeable callback, and a
 * socket that cannot be written to is dropped after WS_CLOSE_GRACE_S. Safe to
 * repeat (the first code wins). */
void ws_socket_close(ws_socket_t *sock, uint16_t code, const char *reason);
/* Seconds a closing socket is given to take its close frame. */
#define WS_CLOSE_GRACE_S 5

#endif
