/*  event.h: the events that services publish to every gateway (PUB → broker → SUB).
 *
 *  An event is two ZeroMQ frames: the tag EVENT_TAG (what gateways subscribe to) and
 *  one msgpack map:
 *      {"kind": "notification" | "presence" | "user_gone" | "chat.message",
 *       "to":   [<u64 recipient user id>, ...],     1..EVENT_MAX_RECIPIENTS of them
 *       "id":   <u64: the notification's id for kind notification, else 0>,
 *       "body": <the object the gateway forwards>}
 *  Bodies: notification → the Notification object as the REST routes return it;
 *  presence → {"user_id": N, "status": "online"|"offline"}; user_gone → nil (the
 *  gateway closes those users' sockets); chat.message → the Message object.
 *
 *  Gateways trust no event blindly: event_decode validates the bytes (proto_validate)
 *  and every field before anything is delivered.
 */
#ifndef EVENT_H_INCLUDED
#define EVENT_H_INCLUDED

#include <msgpack.h>
#include <stddef.h>
#include <stdint.h>

/* The first frame of every event, and the gateways' subscription prefix. */
#define EVENT_TAG "EV1"
/* Most recipients one event may name (a user's friends, for presence). */
#define EVENT_MAX_RECIPIENTS 100000

typedef enum {
    EVENT_NOTIFICATION = 0,
    EVENT_PRESENCE,
    EVENT_USER_GONE,
    EVENT_CHAT_MESSAGE,
} event_kind_t;

/* A decoded event: owns the unpacked tree that `to` and `body` point into. */
typedef struct {
    event_kind_t kind;
    const msgpack_object *to;      /* the recipients: `recipients` positive integers */
    size_t recipients;
    uint64_t id;                   /* notification id, 0 for other kinds */
    msgpack_object body;           /* nil when absent */
    msgpack_unpacked unpacked;     /* storage for the tree */
} event_t;

/* The kind's name on the wire ("notification", ...). */
const char *event_kind_name(event_kind_t kind);
/* The kind named `name`; returns 0, or -1 when no kind has that name. */
int event_kind_parse(const char *name, event_kind_t *kind);

/*  Packs an event's map up to its body: the caller packs exactly one object (the
 *  body) right after. `to` holds `count` recipient ids (1..EVENT_MAX_RECIPIENTS). */
void event_pack_begin(msgpack_packer *pk, event_kind_t kind, const uint64_t *to,
                      size_t count, uint64_t id);

/*  Decodes the map frame of an event into `ev` (release it with event_release,
 *  whatever the result). Returns 0, or -1 when the bytes are not a valid event: an
 *  unknown kind, no recipient or a recipient that is not a positive id, too many
 *  recipients, a notification without an id. */
int event_decode(const void *data, size_t size, event_t *ev);
/* Recipient i (0 <= i < ev->recipients) of a decoded event. */
uint64_t event_recipient(const event_t *ev, size_t i);
/* Frees what event_decode allocated; safe to call twice. */
void event_release(event_t *ev);

#endif
