/*  notification_service.h: the notification service (notifications, presence, and the
 *  events published to the gateways).
 *
 *  Bus methods (service "notification"):
 *    list            GET    /api/notifications/               newest first, paginated;
 *                                                             query "unread" ("true"/"1": unread only)
 *    unread_count    GET    /api/notifications/unread-count/  {"count": N}
 *    read            PUT    /api/notifications/{id}/read/     200 Notification, is_read true (idempotent)
 *    read_all        PUT    /api/notifications/read-all/      {"updated": N}
 *    delete          DELETE /api/notifications/{id}/          204
 *  Another user's notification is 404 on every route; a caller whose account is gone 401.
 *  Called by gateways only (no route):
 *    replay          uid, {"after": N >= 0, "limit": 1..100}
 *                    -> {"results": [Notification, ascending id > after], "more": bool}
 *    presence.open   uid, {"gateway", "ttl_ms"} -> {} : the gateway's first local socket of
 *                    uid (ttl_ms: the gateway's lease, for a gateway not leased yet)
 *                    (401 when the user does not exist)
 *    presence.close  uid, {"gateway"} -> {} : its last local socket of uid closed
 *    presence.lease  {"gateway", "ttl_ms": 1000..60000, "draining": bool} -> {}
 *  A gateway name is 1..64 characters of [A-Za-z0-9_.-].
 *
 *  Background actors (main.c):
 *    outbox   the one publisher of event_outbox at a time (outbox.c)
 *    sweeper  removes the presence rows of gateways whose lease expired (sweeper.c)
 *
 *  Ownership: this service owns notifications, event_outbox, presence and
 *  gateway_leases (sql/004_realtime.sql). Other services insert notifications in their
 *  own transactions, atomic with their cause; triggers put the events in the outbox.
 *
 *  The folder: main.c wires the service; handlers.c one function per method; queries.c
 *  every statement (NOTIFICATION_Q_*); notification_record.c the Notification object;
 *  notification_config.c the settings the actors read (EVENTS_PUB_ENDPOINT).
 */
#ifndef NOTIFICATION_SERVICE_H_INCLUDED
#define NOTIFICATION_SERVICE_H_INCLUDED

#include "service.h"

/* Names of the prepared statements (queries.c). */
#define NOTIFICATION_Q_LIST "notification_list"
#define NOTIFICATION_Q_LIST_UNREAD "notification_list_unread"
#define NOTIFICATION_Q_UNREAD_COUNT "notification_unread_count"
#define NOTIFICATION_Q_READ "notification_read"
#define NOTIFICATION_Q_READ_ALL "notification_read_all"
#define NOTIFICATION_Q_DELETE "notification_delete"
#define NOTIFICATION_Q_REPLAY "notification_replay"
#define NOTIFICATION_Q_PRESENCE_OPEN "notification_presence_open"
#define NOTIFICATION_Q_PRESENCE_CLOSE "notification_presence_close"
#define NOTIFICATION_Q_PRESENCE_LEASE "notification_presence_lease"
/* The outbox actor's statements. */
#define NOTIFICATION_Q_OUTBOX_LOCK "notification_outbox_lock"
#define NOTIFICATION_Q_OUTBOX_LISTEN "notification_outbox_listen"
#define NOTIFICATION_Q_OUTBOX_BATCH "notification_outbox_batch"
#define NOTIFICATION_Q_OUTBOX_DELETE "notification_outbox_delete"
#define NOTIFICATION_Q_OUTBOX_ASYNC "notification_outbox_async"
#define NOTIFICATION_Q_OUTBOX_ASLEEP "notification_outbox_asleep"
#define NOTIFICATION_Q_OUTBOX_QUIET "notification_outbox_quiet"
/* The sweeper actor's statement. */
#define NOTIFICATION_Q_SWEEP "notification_sweep"

/* Most notifications in one replay page, and outbox rows in one published batch. */
#define NOTIFICATION_REPLAY_MAX 100
#define NOTIFICATION_OUTBOX_BATCH 200
/* Presence rows the sweeper removes in one transaction. */
#define NOTIFICATION_SWEEP_BATCH 200

/* Every statement the workers prepare, and the actors' (queries.c). */
extern const db_statement_t notification_statements[];
extern const db_statement_t notification_outbox_statements[];
extern const db_statement_t notification_sweeper_statements[];

/* The bus methods (handlers.c; see the top of this file). */
proto_status_t notification_list(service_ctx_t *ctx, const proto_msg_t *request,
                                 msgpack_packer *out);
proto_status_t notification_unread_count(service_ctx_t *ctx, const proto_msg_t *request,
                                         msgpack_packer *out);
proto_status_t notification_read(service_ctx_t *ctx, const proto_msg_t *request,
                                 msgpack_packer *out);
proto_status_t notification_read_all(service_ctx_t *ctx, const proto_msg_t *request,
                                     msgpack_packer *out);
proto_status_t notification_delete(service_ctx_t *ctx, const proto_msg_t *request,
                                   msgpack_packer *out);
proto_status_t notification_replay(service_ctx_t *ctx, const proto_msg_t *request,
                                   msgpack_packer *out);
proto_status_t notification_presence_open(service_ctx_t *ctx, const proto_msg_t *request,
                                          msgpack_packer *out);
proto_status_t notification_presence_close(service_ctx_t *ctx, const proto_msg_t *request,
                                           msgpack_packer *out);
proto_status_t notification_presence_lease(service_ctx_t *ctx, const proto_msg_t *request,
                                           msgpack_packer *out);

/* The background actors (outbox.c, sweeper.c). */
int notification_outbox_actor(service_actor_ctx_t *ctx);
int notification_sweeper_actor(service_actor_ctx_t *ctx);

#endif
