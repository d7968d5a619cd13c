/*  service.c: the worker runtime every service process runs. See service.h.
 *
 *  The process starts the service's background actors, then SERVICE_WORKERS worker
 *  actors. Each worker owns one bus_worker_t (its DEALER to the broker: READY,
 *  heartbeats, reconnects; see bus_worker.h) and one database connection, and serves
 *  one request at a time. Every actor reports whether it started; one that did not
 *  fails the process's start-up. Stop signals are taken by the main thread alone
 *  (signals.h), which then destroys the workers (each tells the broker it is leaving,
 *  answers what was already sent to it, and exits) and then the background actors.
 */
#include "service.h"

#include <openssl/crypto.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "drf_messages.h"
#include "service_config.h"
#include "signals.h"
#include "log.h"

/* How long a leaving worker keeps answering requests the broker sent before it
 * processed our DISCONNECT. */
#define SERVICE_DRAIN_MS 300

/* What one actor (worker or background) is given, and how it reports its start. */
typedef struct {
    const service_def_t *def;        /* the service being run */
    const service_config_t *config;  /* process configuration */
    const bus_keys_t *keys;          /* the bus keys of the service's role */
    const void *state;               /* the service's shared state from setup() */
    const service_actor_t *actor;    /* background actors: which one; NULL for a worker */
    atomic_bool failed;              /* set by the actor before its handshake if it could not start */
} actor_start_t;

/* Packs the 401 for a caller whose account no longer exists. */
int service_user_not_found(msgpack_packer *out)
{
    proto_pack_detail_code(out, "User not found", "user_not_found");
    return PROTO_UNAUTHORIZED;
}

/* Finds the method entry by name, or NULL. */
static const service_method_t *find_method(const service_def_t *def, const char *name)
{
    for (const service_method_t *m = def->methods; m && m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m;
    return NULL;
}

/* Runs the handler (or a built-in answer) for a decoded request, packing the body. */
static int run_method(const service_def_t *def, service_ctx_t *ctx, const proto_msg_t *req,
                      msgpack_packer *out)
{
    if (strcmp(req->method, "ping") == 0) {
        msgpack_pack_map(out, 1);
        proto_pack_kv_str(out, "status", "ok");
        return PROTO_OK;
    }
    if (strcmp(req->service, def->name) != 0)
        return PROTO_NOT_FOUND;
    const service_method_t *method = find_method(def, req->method);
    if (!method)
        return PROTO_NOT_FOUND;
    if (method->needs_user && req->user_id == 0)
        return PROTO_UNAUTHORIZED;
    if (req->user_id > INT64_MAX)
        return service_user_not_found(out);
    return method->handler(ctx, req, out);
}

size_t service_dispatch(const service_def_t *def, service_ctx_t *ctx, const void *request,
                        size_t size, void **reply)
{
    proto_msg_t req;
    msgpack_sbuffer body;
    msgpack_packer body_pk;
    msgpack_sbuffer_init(&body);
    msgpack_packer_init(&body_pk, &body, msgpack_sbuffer_write);

    int64_t started = zclock_usecs();
    int status;
    uint64_t id = 0;
    if (proto_request_decode(request, size, &req) != 0) {
        status = PROTO_INVALID;
        proto_pack_detail(&body_pk, DRF_MALFORMED_REQUEST);
        log_warn("malformed request envelope (%zu bytes) dropped", size);
    } else {
        id = req.id;
        status = run_method(def, ctx, &req, &body_pk);
        if (!proto_status_valid(status)) {
            log_error("%s.%s returned an unknown status %d", def->name, req.method, status);
            status = PROTO_INTERNAL;
        }
        if (body.size > 0 && proto_validate(body.data, body.size) != 0) {
            log_error("%s.%s packed a malformed body", def->name, req.method);
            status = PROTO_INTERNAL;
        }
        /* Server-side failures never carry details out of the service. */
        if (status == PROTO_INTERNAL || status == PROTO_UNAVAILABLE)
            msgpack_sbuffer_clear(&body);
        log_debug("%s.%s uid=%llu -> %d in %lld us", def->name, req.method,
                  (unsigned long long) req.user_id, status,
                  (long long) (zclock_usecs() - started));
    }
    proto_msg_release(&req);

    msgpack_sbuffer out;
    msgpack_packer pk;
    msgpack_sbuffer_init(&out);
    msgpack_packer_init(&pk, &out, msgpack_sbuffer_write);
    proto_reply_begin(&pk, id, status);
    if (body.size > 0)
        msgpack_sbuffer_write(&out, body.data, body.size);
    else
        msgpack_pack_nil(&pk);
    msgpack_sbuffer_destroy(&body);
    size_t reply_size = out.size;
    *reply = msgpack_sbuffer_release(&out);
    return reply_size;
}

/* Serves one request: dispatches it and sends the reply. */
static void serve(bus_worker_t *worker, const service_def_t *def, service_ctx_t *ctx,
                  const void *request, size_t size)
{
    void *reply = NULL;
    size_t reply_size = service_dispatch(def, ctx, request, size, &reply);
    bus_worker_reply(worker, reply, reply_size);
    free(reply);
}

/* Reads one command from an actor's pipe. Returns 1 when it is $TERM (or the pipe
 * failed), 0 otherwise. */
static int pipe_says_stop(zsock_t *pipe)
{
    char *command = zstr_recv(pipe);
    int stop = !command || streq(command, "$TERM");
    zstr_free(&command);
    return stop;
}

/*  The worker actor: serves requests until $TERM, then leaves the broker and answers
 *  what it had already been sent. Reports a failed start (database or bus socket)
 *  through start->failed before the handshake. */
static void worker_actor(zsock_t *pipe, void *arg)
{
    actor_start_t *start = arg;
    const service_def_t *def = start->def;
    service_ctx_t ctx = { db_new(start->config->database_url, def->statements), start->state };
    bus_worker_options_t options = { .credit = (int) start->config->credit };
    bus_worker_t *worker = ctx.db ? bus_worker_new(start->config->bus_endpoint, def->name,
                                                 start->keys, &options)
                                  : NULL;
    if (!worker) {
        log_error("a worker of %s could not start", def->name);
        atomic_store(&start->failed, true);
        zsock_signal(pipe, 1);
        goto done;
    }
    zsock_signal(pipe, 0);
    const void *request;
    size_t size;
    for (;;) {
        bus_worker_event_t event = bus_worker_recv(worker, pipe, -1, &request, &size);
        if (event == BUS_WORKER_REQUEST)
            serve(worker, def, &ctx, request, size);
        else if (event == BUS_WORKER_FAILED || (event == BUS_WORKER_INTERRUPTED
                                                && pipe_says_stop(pipe)))
            break;
    }
    /* Leave cleanly: no new work, but answer what is already on its way. */
    bus_worker_leave(worker, SERVICE_DRAIN_MS);
    while (bus_worker_recv(worker, NULL, -1, &request, &size) == BUS_WORKER_REQUEST)
        serve(worker, def, &ctx, request, size);
done:
    bus_worker_destroy(&worker);
    db_destroy(&ctx.db);
}

void service_actor_ready(service_actor_ctx_t *ctx)
{
    if (ctx->ready)
        return;
    ctx->ready = true;
    zsock_signal(ctx->pipe, 0);
}

/*  A background actor: opens its database connection and runs its body. A body that
 *  returns before service_actor_ready has failed the start. */
static void background_actor(zsock_t *pipe, void *arg)
{
    actor_start_t *start = arg;
    const service_actor_t *actor = start->actor;
    service_actor_ctx_t ctx = { pipe, db_new(start->config->database_url, actor->statements),
                                start->state, false, start->keys };
    int rc = ctx.db ? actor->run(&ctx) : -1;
    if (!ctx.ready) {
        log_error("background actor %s of %s could not start", actor->name, start->def->name);
        atomic_store(&start->failed, true);
        zsock_signal(pipe, 1);
    } else if (rc != 0) {
        log_error("background actor %s of %s stopped with an error", actor->name,
                  start->def->name);
    }
    db_destroy(&ctx.db);
}

/* Starts one actor and waits for its report. Returns it, or NULL when it failed. */
static zactor_t *actor_start(zactor_fn *body, actor_start_t *start)
{
    zactor_t *actor = zactor_new(body, start);
    if (actor && atomic_load(&start->failed))
        zactor_destroy(&actor);
    return actor;
}

/*  Starts the background actors, then the workers, into actors[] (count of them, in
 *  that order). Returns 0, or -1 as soon as one fails. */
static int start_all(actor_start_t *starts, zactor_t **actors, size_t count, size_t backgrounds)
{
    for (size_t i = 0; i < count; i++) {
        actors[i] = actor_start(i < backgrounds ? background_actor : worker_actor, &starts[i]);
        if (!actors[i])
            return -1;
    }
    return 0;
}

/*  Stops actors in the reverse order of their start: the workers first (all told at
 *  once, so their drains overlap), the background actors once no worker runs. */
static void stop_all(zactor_t **actors, size_t count, size_t backgrounds)
{
    for (size_t i = backgrounds; i < count; i++)
        if (actors[i])
            zstr_send(actors[i], "$TERM");
    for (size_t i = count; i > 0; i--)
        zactor_destroy(&actors[i - 1]);
}

/* Number of entries before the NULL-name end of a background actor table. */
static size_t count_actors(const service_actor_t *actors)
{
    size_t n = 0;
    while (actors && actors[n].name)
        n++;
    return n;
}

/*  Runs setup, the actors, waits for a stop signal and stops everything. Returns the
 *  exit code: 1 when an actor could not start. */
static int run_service(const service_def_t *def, const service_config_t *config,
                       const bus_keys_t *keys, int signal_fd)
{
    const void *state = NULL;
    if (def->setup && def->setup(&state) != 0) {
        log_error("configuration refused: not starting");
        return 2;
    }
    size_t backgrounds = count_actors(def->actors);
    size_t count = backgrounds + (size_t) config->workers;
    actor_start_t *starts = calloc(count, sizeof *starts);
    zactor_t **actors = calloc(count, sizeof *actors);
    int exit_code = 1;
    for (size_t i = 0; starts && i < count; i++) {
        starts[i].def = def;
        starts[i].config = config;
        starts[i].keys = keys;
        starts[i].state = state;
        starts[i].actor = i < backgrounds ? &def->actors[i] : NULL;
        atomic_init(&starts[i].failed, false);
    }
    if (!starts || !actors || start_all(starts, actors, count, backgrounds) != 0) {
        log_error("%s could not start: stopping", def->name);
    } else {
        log_info("serving %s with %ld workers and %zu background actors on %s", def->name,
                 config->workers, backgrounds, config->bus_endpoint);
        int sig = signals_wait(signal_fd);
        log_info("signal %d: finishing in-flight requests and stopping", sig);
        exit_code = sig > 0 ? 0 : 1;
    }
    if (actors)
        stop_all(actors, count, backgrounds);
    free(actors);
    free(starts);
    if (def->teardown)
        def->teardown(state);
    return exit_code;
}

int service_main(const service_def_t *def)
{
    log_init(def->name);
    /* libpq uses OpenSSL's libcrypto (SCRAM), whose atexit cleanup would free its state
     * while a worker or actor thread that czmq has let go is still ending and running
     * libcrypto's per-thread destructors: a crash at exit, seen in the notification
     * service's actors. Without that cleanup the process simply exits; the memory is
     * the kernel's to take back. */
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
    int signal_fd = signals_open();
    service_config_t config;
    bus_keys_t *keys = NULL;
    if (signal_fd < 0 || service_config_load(&config, def->name, def->credit) != 0
        || !(keys = bus_keys_new(&config.bus_keys, false))) {
        if (signal_fd >= 0)
            close(signal_fd);
        return 2;
    }
    int exit_code = run_service(def, &config, keys, signal_fd);
    bus_keys_destroy(&keys);
    close(signal_fd);
    log_info("%s", exit_code == 0 ? "stopped" : "stopped after a failure");
    return exit_code;
}
