/*  service.c: the worker runtime every service process runs. See service.h.
 *
 *  The process starts SERVICE_WORKERS worker actors. Each actor owns one DEALER socket
 *  to the broker and one database connection, announces itself READY, and then serves
 *  one request at a time (bus.h describes the frames). Signals are handled by the main
 *  thread alone (blocked everywhere else, taken with sigwait), which then destroys the
 *  actors: each tells the broker it is leaving, answers what was already sent to it,
 *  and exits.
 */
#include "service.h"

#include <czmq.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "bus.h"
#include "drf_messages.h"
#include "service_config.h"
#include "log.h"

/* How long a leaving worker keeps answering requests the broker sent before it
 * processed our DISCONNECT. */
#define SERVICE_DRAIN_MS 300

typedef struct {
    const service_def_t *def;        /* the service being run */
    const service_config_t *config;  /* process configuration */
    const void *state;               /* the service's shared state from setup() */
} worker_args_t;

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

/* Opens a DEALER to the broker and announces the service. NULL on failure. */
static zsock_t *worker_connect(const worker_args_t *args)
{
    zsock_t *sock = zsock_new(ZMQ_DEALER);
    if (!sock)
        return NULL;
    int64_t maxsize = PROTO_MAX_MESSAGE;
    int zero = 0;
    zmq_setsockopt(zsock_resolve(sock), ZMQ_MAXMSGSIZE, &maxsize, sizeof maxsize);
    zmq_setsockopt(zsock_resolve(sock), ZMQ_LINGER, &zero, sizeof zero);
    if (zsock_connect(sock, "%s", args->config->bus_endpoint) != 0) {
        zsock_destroy(&sock);
        return NULL;
    }
    zsock_send(sock, "sss", BUS_WORKER, BUS_READY, args->def->name);
    return sock;
}

/*  Handles one message from the broker. Returns 1 when the broker asked us to
 *  reconnect, 0 otherwise. Malformed messages are dropped. */
static int worker_handle(zsock_t *sock, const worker_args_t *args, service_ctx_t *ctx)
{
    zmsg_t *msg = zmsg_recv(sock);
    if (!msg)
        return 0;
    int reconnect = 0;
    char *tag = zmsg_popstr(msg);
    char *command = zmsg_popstr(msg);
    if (!tag || !command || strcmp(tag, BUS_WORKER) != 0) {
        log_warn("dropped a malformed message from the broker");
    } else if (strcmp(command, BUS_REQUEST) == 0 && zmsg_size(msg) == 2) {
        zframe_t *client = zmsg_pop(msg);
        zframe_t *request = zmsg_pop(msg);
        void *reply = NULL;
        size_t size = service_dispatch(args->def, ctx, zframe_data(request),
                                       zframe_size(request), &reply);
        zmsg_t *out = zmsg_new();
        zmsg_addstr(out, BUS_WORKER);
        zmsg_addstr(out, BUS_REPLY);
        zmsg_append(out, &client);
        zmsg_addmem(out, reply, size);
        zmsg_send(&out, sock);
        free(reply);
        zframe_destroy(&request);
    } else if (strcmp(command, BUS_DISCONNECT) == 0) {
        reconnect = 1;
    } else if (strcmp(command, BUS_HEARTBEAT) != 0) {
        log_warn("dropped an unknown command from the broker");
    }
    free(tag);
    free(command);
    zmsg_destroy(&msg);
    return reconnect;
}

/*  The worker actor: serves requests until $TERM, reconnecting when the broker is
 *  silent for BUS_HEARTBEAT_LIVENESS heartbeats or asks us to. */
static void worker_actor(zsock_t *pipe, void *arg)
{
    const worker_args_t *args = arg;
    service_ctx_t ctx = { db_new(args->config->database_url, args->def->statements),
                          args->state };
    zsock_t *sock = ctx.db ? worker_connect(args) : NULL;
    zsock_signal(pipe, 0);
    if (!sock) {
        log_error("worker could not start");
        db_destroy(&ctx.db);
        return;
    }
    zpoller_t *poller = zpoller_new(pipe, sock, NULL);
    int liveness = BUS_HEARTBEAT_LIVENESS;
    int64_t heartbeat_at = zclock_mono() + BUS_HEARTBEAT_MS;
    int terminated = 0;
    while (!terminated) {
        void *which = zpoller_wait(poller, BUS_HEARTBEAT_MS);
        if (which == pipe) {
            char *command = zstr_recv(pipe);
            terminated = !command || strcmp(command, "$TERM") == 0;
            free(command);
        } else if (which == sock) {
            liveness = BUS_HEARTBEAT_LIVENESS;
            if (worker_handle(sock, args, &ctx))
                liveness = 0;
        } else if (zpoller_terminated(poller)) {
            terminated = 1;
        } else {
            liveness--;
        }
        if (!terminated && liveness <= 0) {
            log_warn("broker silent or restarted: reconnecting");
            zpoller_remove(poller, sock);
            zsock_destroy(&sock);
            sock = worker_connect(args);
            if (!sock)
                break;
            zpoller_add(poller, sock);
            liveness = BUS_HEARTBEAT_LIVENESS;
        }
        if (zclock_mono() >= heartbeat_at) {
            zsock_send(sock, "ss", BUS_WORKER, BUS_HEARTBEAT);
            heartbeat_at = zclock_mono() + BUS_HEARTBEAT_MS;
        }
    }
    if (sock) {
        /* Leave cleanly: no new work, but answer what is already on its way. */
        zsock_send(sock, "ss", BUS_WORKER, BUS_DISCONNECT);
        int64_t until = zclock_mono() + SERVICE_DRAIN_MS;
        while (zclock_mono() < until) {
            zmq_pollitem_t item = { zsock_resolve(sock), 0, ZMQ_POLLIN, 0 };
            if (zmq_poll(&item, 1, (long) (until - zclock_mono())) > 0)
                worker_handle(sock, args, &ctx);
        }
    }
    zpoller_destroy(&poller);
    zsock_destroy(&sock);
    db_destroy(&ctx.db);
}

int service_main(const service_def_t *def)
{
    log_init(def->name);
    /* The main thread owns SIGINT/SIGTERM: czmq's handlers are disabled and the
     * signals blocked in every thread (actors inherit the mask) before any starts. */
    zsys_handler_set(NULL);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);

    service_config_t config;
    if (service_config_load(&config) != 0)
        return 2;
    const void *state = NULL;
    if (def->setup && def->setup(&state) != 0) {
        log_error("configuration refused: not starting");
        return 2;
    }
    worker_args_t args = { def, &config, state };
    zactor_t **workers = calloc((size_t) config.workers, sizeof *workers);
    int exit_code = 0;
    for (long i = 0; workers && i < config.workers; i++) {
        workers[i] = zactor_new(worker_actor, &args);
        if (!workers[i])
            exit_code = 1;
    }
    if (!workers || exit_code != 0) {
        log_error("could not start the workers");
        exit_code = 1;
    } else {
        log_info("serving %s with %ld workers on %s", def->name, config.workers,
                 config.bus_endpoint);
        int sig = 0;
        sigwait(&signals, &sig);
        log_info("signal %d: finishing in-flight requests and stopping", sig);
    }
    for (long i = 0; workers && i < config.workers; i++)
        zactor_destroy(&workers[i]);
    free(workers);
    if (def->teardown)
        def->teardown(state);
    log_info("stopped");
    return exit_code;
}
