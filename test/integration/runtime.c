/*  Tests of the service runtime (service.h) as a whole: service_main() of small test
 *  services against an in-process broker and the test database (DATABASE_URL): start-up
 *  failures of workers and background actors, and background actors that run beside
 *  the workers with their own database connection and sockets, stopped on SIGTERM. */
#include <criterion/criterion.h>
#include <czmq.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "service.h"
#include "testbroker.h"
#include "testbus.h"

#define BACKGROUND_ENDPOINT "inproc://runtime-test-background"

static atomic_int background_runs;      /* background actors that reached their loop */
static atomic_int background_stops;     /* background actors that saw $TERM and returned */

/*  A background actor with its own socket and database connection: answers each
 *  request on BACKGROUND_ENDPOINT with what its own statement computes. */
static int answering_actor(service_actor_ctx_t *ctx)
{
    zsock_t *rep = zsock_new_rep("@" BACKGROUND_ENDPOINT);
    if (!rep)
        return -1;
    service_actor_ready(ctx);
    atomic_fetch_add(&background_runs, 1);
    zpoller_t *poller = zpoller_new(ctx->pipe, rep, NULL);
    for (;;) {
        void *which = zpoller_wait(poller, -1);
        if (which == rep) {
            char *question = zstr_recv(rep);
            PGresult *result = NULL;
            if (db_exec(ctx->db, "answer", 0, NULL, &result) == DB_OK)
                zstr_send(rep, PQgetvalue(result, 0, 0));
            else
                zstr_send(rep, "no database");
            PQclear(result);
            zstr_free(&question);
        } else {
            break;              /* $TERM (or the pipe is gone) */
        }
    }
    zpoller_destroy(&poller);
    zsock_destroy(&rep);
    atomic_fetch_add(&background_stops, 1);
    return 0;
}

/* A background actor whose set-up fails. */
static int failing_actor(service_actor_ctx_t *ctx)
{
    (void) ctx;
    return -1;
}

static const db_statement_t answer_statements[] = {
    { "answer", "SELECT 41 + 1" },
    { NULL, NULL },
};

/* The one method of the test services: answers {"status": "hello"}. */
static proto_status_t hello(service_ctx_t *ctx, const proto_msg_t *request,
                            msgpack_packer *out)
{
    (void) ctx;
    (void) request;
    msgpack_pack_map(out, 1);
    proto_pack_kv_str(out, "status", "hello");
    return PROTO_OK;
}

static const service_method_t methods[] = {
    { "hello", hello, 0 },
    { NULL, NULL, 0 },
};

static const service_actor_t answering_actors[] = {
    { "answering", answering_actor, answer_statements },
    { NULL, NULL, NULL },
};

static const service_actor_t failing_actors[] = {
    { "answering", answering_actor, answer_statements },
    { "failing", failing_actor, NULL },
    { NULL, NULL, NULL },
};

static const service_def_t with_background = {
    .name = "runtime_test", .methods = methods, .actors = answering_actors,
};

static const service_def_t with_failing_background = {
    .name = "runtime_fail", .methods = methods, .actors = failing_actors,
};

/* Runs service_main(arg) in a thread; its exit code is the thread's result. */
static void *run_service_main(void *arg)
{
    return (void *) (intptr_t) service_main(arg);
}

Test(runtime, background_actors_run_beside_the_workers_and_stop_on_sigterm)
{
    bus_broker_config_t config = { 2000, 100, 0, 0, NULL, NULL };
    zactor_t *broker = testbroker_start(&config, NULL, NULL);
    cr_assert_not_null(broker);
    cr_assert_not_null(testbroker_keys("runtime_test"));
    setenv("SERVICE_WORKERS", "2", 1);
    pthread_t service;
    cr_assert_eq(pthread_create(&service, NULL, run_service_main, (void *) &with_background), 0);
    cr_assert(testbroker_wait_workers(broker, "runtime_test", 2, 10000), "workers never came");
    cr_assert_eq(atomic_load(&background_runs), 1, "started before the workers");

    testbus_reply_t r = testbus_call("runtime_test", "hello", 0, NULL);
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_str_eq(testbus_str(&r, "status"), "hello");
    testbus_reply_free(&r);

    zsock_t *req = zsock_new_req(">" BACKGROUND_ENDPOINT);
    zsock_set_rcvtimeo(req, 5000);
    zstr_send(req, "question");
    char *answer = zstr_recv(req);
    cr_assert_str_eq(answer, "42", "the actor's own database connection answers");
    zstr_free(&answer);
    zsock_destroy(&req);

    /* SIGTERM to the service's thread: its signalfd takes it (the signal is blocked
     * there), as it would in a process of its own. */
    pthread_kill(service, SIGTERM);
    void *exit_code = NULL;
    pthread_join(service, &exit_code);
    cr_assert_eq((intptr_t) exit_code, 0);
    cr_assert_eq(atomic_load(&background_stops), 1, "the background actor saw $TERM");
    cr_assert(testbroker_wait_workers(broker, "runtime_test", 0, 2000), "workers left");
    zactor_destroy(&broker);
}

Test(runtime, a_background_actor_that_cannot_start_fails_the_start_up)
{
    bus_broker_config_t config = { 2000, 100, 0, 0, NULL, NULL };
    zactor_t *broker = testbroker_start(&config, NULL, NULL);
    cr_assert_not_null(testbroker_keys("runtime_fail"));
    cr_assert_neq(service_main(&with_failing_background), 0);
    cr_assert_eq(atomic_load(&background_runs), 1);
    cr_assert_eq(atomic_load(&background_stops), 1, "the one started was stopped");
    cr_assert_eq(bus_broker_workers(broker, "runtime_fail"), 0, "no worker was started");
    zactor_destroy(&broker);
}

Test(runtime, a_worker_that_cannot_start_fails_the_start_up)
{
    cr_assert_not_null(testbroker_keys("runtime_plain"));
    setenv("BUS_ENDPOINT", "not an endpoint", 1);
    static const service_def_t plain = { .name = "runtime_plain", .methods = methods };
    cr_assert_neq(service_main(&plain), 0);
}
