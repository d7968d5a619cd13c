/*  broker.h: the bus broker. See bus.h for the protocol and docs/architecture.md for
 *  why the bus has this shape.
 *
 *  The broker binds one ROUTER socket, routes each client request to a ready worker of
 *  the named service (the one idle longest first), queues requests while no worker is
 *  ready, answers PROTO_UNAVAILABLE itself when a request waits longer than the queue
 *  timeout or the queue is full, and forgets workers that miss their heartbeats or
 *  whose connection is gone.
 */
#ifndef BROKER_H_INCLUDED
#define BROKER_H_INCLUDED

#include <signal.h>

typedef struct {
    const char *endpoint;       /* where to bind the ROUTER */
    long queue_timeout_ms;      /* longest wait for a ready worker */
    long queue_max;             /* most requests queued per service */
} broker_config_t;

typedef struct broker broker_t;

/* Binds the endpoint. Returns NULL (logged) when it cannot. */
broker_t *broker_new(const broker_config_t *config);
/* Frees everything; sets *self_p to NULL; safe on NULL. */
void broker_destroy(broker_t **self_p);
/* Routes messages until *stop becomes non-zero (checked at least every 100 ms). */
void broker_run(broker_t *self, volatile sig_atomic_t *stop);

#endif
