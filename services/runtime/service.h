/*  service.h: the runtime every service process is built on.
 *
 *  A service is a name, a table of prepared statements and a table of methods. main()
 *  only calls service_main(); the runtime reads the configuration, starts
 *  SERVICE_WORKERS worker threads (each with its own bus socket and its own database
 *  connection), answers the built-in "ping" method, and on SIGTERM/SIGINT stops taking
 *  requests, finishes the ones in flight and exits. When a worker cannot start, the
 *  process logs it and exits 1.
 *
 *  A handler reads the decoded request and packs exactly one msgpack object (the reply
 *  body) into `out`, or nothing (the body is then nil), and returns the status.
 *  Returning PROTO_INTERNAL or PROTO_UNAVAILABLE discards whatever body was packed.
 */
#ifndef SERVICE_H_INCLUDED
#define SERVICE_H_INCLUDED

#include "db.h"
#include "proto.h"

typedef struct {
    db_t *db;                       /* this worker thread's database connection */
    const void *state;              /* the service's shared read-only state (may be NULL) */
} service_ctx_t;

typedef int (*service_handler_fn)(service_ctx_t *ctx, const proto_msg_t *request,
                                  msgpack_packer *out);

typedef struct {
    const char *name;               /* method name on the bus */
    service_handler_fn handler;     /* its handler */
    int needs_user;                 /* 1: refuse with 401 when the request has no uid */
} service_method_t;

typedef struct {
    const char *name;                     /* service name on the bus: "auth", "user", ... */
    const db_statement_t *statements;     /* prepared statements, NULL-name terminated */
    const service_method_t *methods;      /* methods, NULL-name terminated */
    /* Optional: reads the service's own configuration into *state at start;
     * returns 0 or -1 to refuse to start. */
    int (*setup)(const void **state);
    /* Optional: frees what setup made. */
    void (*teardown)(const void *state);
} service_def_t;

/* Runs the service until SIGTERM/SIGINT. Returns the process exit code. */
int service_main(const service_def_t *def);

/*  Dispatches one encoded request to def's handlers and returns the encoded reply in
 *  *reply (malloc'ed; caller frees) and its size. Used by the worker loop and by tests
 *  that drive handlers without a bus. Never fails on bad input: a malformed envelope
 *  gets a PROTO_INVALID reply with id 0. */
size_t service_dispatch(const service_def_t *def, service_ctx_t *ctx, const void *request,
                        size_t size, void **reply);

/* Convenience for handlers: 401 {"detail": "User not found", "code": "user_not_found"}. */
int service_user_not_found(msgpack_packer *out);

#endif
