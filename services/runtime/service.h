/*  service.h: the runtime every service process is built on.
 *
 *  A service is a name, a table of prepared statements, a table of methods and,
 *  optionally, a table of background actors. main() only calls service_main(); the
 *  runtime reads the configuration, runs setup(), starts the background actors and
 *  SERVICE_WORKERS worker threads (each with its own bus socket and its own database
 *  connection), answers the built-in "ping" method, and on SIGTERM/SIGINT stops taking
 *  requests, finishes the ones in flight, stops the background actors and exits. When
 *  any worker or background actor cannot start, the process logs it and exits 1.
 *
 *  A handler reads the decoded request and packs exactly one msgpack object (the reply
 *  body) into `out`, or nothing (the body is then nil), and returns the status.
 *  Returning PROTO_INTERNAL or PROTO_UNAVAILABLE discards whatever body was packed.
 */
#ifndef SERVICE_H_INCLUDED
#define SERVICE_H_INCLUDED

#include <czmq.h>
#include <stdbool.h>

#include "bus_keys.h"
#include "db.h"
#include "proto.h"

typedef struct {
    db_t *db;                       /* this worker thread's database connection */
    const void *state;              /* the service's shared read-only state (may be NULL) */
} service_ctx_t;

typedef proto_status_t (*service_handler_fn)(service_ctx_t *ctx, const proto_msg_t *request,
                                             msgpack_packer *out);

typedef struct {
    const char *name;               /* method name on the bus */
    service_handler_fn handler;     /* its handler */
    int needs_user;                 /* 1: refuse with 401 when the request has no uid */
} service_method_t;

/*  A background actor: long-lived work beside the handlers (a PUB socket, a LISTEN
 *  connection, an outbox reader, a sweeper). Each runs in its own thread (a czmq
 *  zactor) with its own database connection, and may open its own sockets. */
typedef struct {
    zsock_t *pipe;                  /* the actor's pipe: "$TERM" arrives here */
    db_t *db;                       /* this actor's own database connection */
    const void *state;              /* the service's shared read-only state (may be NULL) */
    bool ready;                     /* set by service_actor_ready() */
    const bus_keys_t *keys;         /* the service role's bus keys, for sockets of its own */
} service_actor_ctx_t;

/*  The body of a background actor. It sets itself up, calls service_actor_ready(ctx)
 *  once it is, then works (polling ctx->pipe among its own sockets) until "$TERM"
 *  arrives on ctx->pipe, and returns 0. Returning before service_actor_ready fails the
 *  process's start-up (log why first); returning non-zero later is logged as an error. */
typedef int (*service_actor_fn)(service_actor_ctx_t *ctx);

typedef struct {
    const char *name;                     /* for logs: "outbox", "sweeper", ... */
    service_actor_fn run;                 /* its body */
    const db_statement_t *statements;     /* prepared on its connection, NULL-name terminated (may be NULL) */
} service_actor_t;

typedef struct {
    const char *name;                     /* service name on the bus: "auth", "user", ... */
    const db_statement_t *statements;     /* prepared statements, NULL-name terminated */
    const service_method_t *methods;      /* methods, NULL-name terminated */
    /* Optional: reads the service's own configuration into *state at start;
     * returns 0 or -1 to refuse to start. */
    int (*setup)(const void **state);
    /* Optional: frees what setup made. */
    void (*teardown)(const void *state);
    /* Optional: background actors, NULL-name terminated; started after setup() before
     * the workers, stopped after them. */
    const service_actor_t *actors;
    /* Optional: the SERVICE_CREDIT its workers take when the environment names none
     * (0: SERVICE_CREDIT_DEFAULT). A service whose requests are slow says 1, so that
     * none waits behind another while a worker is free. */
    int credit;
} service_def_t;

/* Runs the service until SIGTERM/SIGINT. Returns the process exit code. */
int service_main(const service_def_t *def);

/*  Dispatches one encoded request to def's handlers and returns the encoded reply in
 *  *reply (malloc'ed; caller frees) and its size. Used by the worker loop and by tests
 *  that drive handlers without a bus. Never fails on bad input: a malformed envelope
 *  gets a PROTO_INVALID reply with id 0. */
size_t service_dispatch(const service_def_t *def, service_ctx_t *ctx, const void *request,
                        size_t size, void **reply);

/* Tells the runtime a background actor is set up and running. Call once. */
void service_actor_ready(service_actor_ctx_t *ctx);

/* Convenience for handlers: 401 {"detail": "User not found", "code": "user_not_found"}. */
int service_user_not_found(msgpack_packer *out);

#endif
