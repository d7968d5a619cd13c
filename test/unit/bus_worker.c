/*  Tests of bus_worker_t (bus_worker.h) against a scripted broker: a raw ROUTER bound
 *  to tcp://127.0.0.1:* that sends and checks frames one by one. (Against the real
 *  broker it is tested in bus_broker.c, where it is the echo worker.) */
#include <criterion/criterion.h>
#include <czmq.h>
#include <string.h>

#include "bus.h"
#include "testbroker.h"

/* One test's scripted broker and the worker under test. */
typedef struct {
    zsock_t *router;            /* the scripted broker */
    char *endpoint;             /* where it listens */
    bus_worker_t *worker;       /* the worker under test, connected to it */
    zmsg_t *ready;              /* the worker's READY: [identity, BUS_WORKER, READY, service, credit] */
} scene_t;

/* Binds a scripted broker, connects a worker of "svc" with options (may be NULL) and
 * receives its READY. */
static scene_t scene_start(const bus_worker_options_t *options)
{
    scene_t scene = { bus_socket_new(ZMQ_ROUTER, NULL), NULL, NULL, NULL };
    cr_assert_not_null(scene.router);
    cr_assert_gt(zsock_bind(scene.router, "tcp://127.0.0.1:*"), 0);
    scene.endpoint = zsock_last_endpoint(scene.router);
    scene.worker = bus_worker_new(scene.endpoint, "svc", NULL, options);
    cr_assert_not_null(scene.worker);
    scene.ready = testbroker_expect(scene.router, 1, BUS_READY, 2000);
    cr_assert_not_null(scene.ready);
    return scene;
}

/* Destroys the worker and the scripted broker. */
static void scene_end(scene_t *scene)
{
    bus_worker_destroy(&scene->worker);
    zmsg_destroy(&scene->ready);
    zstr_free(&scene->endpoint);
    zsock_destroy(&scene->router);
}

/* Waits for [identity, BUS_WORKER, command, ...] on the scripted broker (skipping the
 * rest); NULL when none came within timeout_ms. */
static zmsg_t *expect(scene_t *scene, const char *command, int timeout_ms)
{
    return testbroker_expect(scene->router, 1, command, timeout_ms);
}

/* Sends [identity, BUS_WORKER, command, client?, envelope?] to the socket behind the
 * identity that starts `from`. */
static void send_to(scene_t *scene, zmsg_t *from, const char *command, const char *client,
                    const char *envelope)
{
    zmsg_t *msg = zmsg_new();
    zframe_t *identity = zframe_dup(zmsg_first(from));
    zmsg_append(msg, &identity);
    zmsg_addstr(msg, BUS_WORKER);
    zmsg_addstr(msg, command);
    if (client)
        zmsg_addstr(msg, client);
    if (envelope)
        zmsg_addstr(msg, envelope);
    cr_assert_eq(zmsg_send(&msg, scene->router), 0);
}

/* True when frame i of msg holds exactly `text`. */
static bool frame_is(zmsg_t *msg, int i, const char *text)
{
    zframe_t *frame = zmsg_first(msg);
    while (frame && i-- > 0)
        frame = zmsg_next(msg);
    return frame && zframe_streq(frame, text);
}

/* Receives the next event; asserts it is `expected`. Returns the request's size. */
static size_t await(scene_t *scene, int timeout_ms, bus_worker_event_t expected,
                    const void **request)
{
    size_t size = 0;
    const void *ignored;
    bus_worker_event_t event = bus_worker_recv(scene->worker, NULL, timeout_ms,
                                               request ? request : &ignored, &size);
    cr_assert_eq(event, expected, "event %d, expected %d", event, expected);
    return size;
}

Test(bus_worker, announces_its_credit_and_serves_what_was_sent_in_order)
{
    bus_worker_options_t options = { .credit = 3 };
    scene_t scene = scene_start(&options);
    cr_assert(frame_is(scene.ready, 4, "3"));
    send_to(&scene, scene.ready, BUS_REQUEST, "client-1", "first");
    send_to(&scene, scene.ready, BUS_REQUEST, "client-2", "second");
    const void *request = NULL;
    cr_assert_eq(await(&scene, 2000, BUS_WORKER_REQUEST, &request), 5);
    cr_assert(memcmp(request, "first", 5) == 0);
    cr_assert_eq(bus_worker_reply(scene.worker, "one", 3), 0);
    cr_assert_eq(await(&scene, 2000, BUS_WORKER_REQUEST, &request), 6);
    cr_assert(memcmp(request, "second", 6) == 0);
    cr_assert_eq(bus_worker_reply(scene.worker, "two", 3), 0);
    zmsg_t *reply = expect(&scene, BUS_REPLY, 2000);
    cr_assert_not_null(reply);
    cr_assert(frame_is(reply, 3, "client-1"), "the replies go back in order, each to its client");
    zmsg_destroy(&reply);
    reply = expect(&scene, BUS_REPLY, 2000);
    cr_assert_not_null(reply);
    cr_assert(frame_is(reply, 3, "client-2"));
    zmsg_destroy(&reply);
    scene_end(&scene);
}

Test(bus_worker, announces_ready_serves_a_request_and_sends_the_reply)
{
    scene_t scene = scene_start(NULL);
    cr_assert_eq(zmsg_size(scene.ready), 5);
    cr_assert(frame_is(scene.ready, 3, "svc"));
    cr_assert(frame_is(scene.ready, 4, "1"), "the credit is 1 unless the options say more");

    send_to(&scene, scene.ready, BUS_REQUEST, "client-7", "question");
    const void *request = NULL;
    cr_assert_eq(await(&scene, 2000, BUS_WORKER_REQUEST, &request), 8);
    cr_assert(memcmp(request, "question", 8) == 0);
    cr_assert_eq(bus_worker_reply(scene.worker, "answer", 6), 0);
    cr_assert_eq(bus_worker_reply(scene.worker, "again", 5), -1, "one reply per request");

    zmsg_t *reply = expect(&scene, BUS_REPLY, 2000);
    cr_assert_not_null(reply);
    cr_assert(zframe_eq(zmsg_first(reply), zmsg_first(scene.ready)), "from the same socket");
    cr_assert(frame_is(reply, 3, "client-7") && frame_is(reply, 4, "answer"));
    zmsg_destroy(&reply);
    bus_worker_destroy(&scene.worker);
    bus_worker_destroy(&scene.worker);        /* idempotent */
    cr_assert_null(scene.worker);
    zmsg_t *bye = expect(&scene, BUS_DISCONNECT, 2000);
    cr_assert_not_null(bye, "destroy announces DISCONNECT");
    zmsg_destroy(&bye);
    scene_end(&scene);
}

Test(bus_worker, heartbeats_while_it_waits)
{
    bus_worker_options_t options = { .heartbeat_ms = 50, .liveness = 20 };
    scene_t scene = scene_start(&options);
    await(&scene, 300, BUS_WORKER_TIMEOUT, NULL);
    int beats = 0;
    zmsg_t *msg;
    while ((msg = expect(&scene, BUS_HEARTBEAT, 50)) != NULL) {
        beats++;
        zmsg_destroy(&msg);
    }
    cr_assert_geq(beats, 3, "%d heartbeats in 300 ms at 50 ms", beats);
    cr_assert_eq(bus_worker_reconnects(scene.worker), 0, "liveness of 1 s not used up");
    scene_end(&scene);
}

Test(bus_worker, reconnects_when_the_broker_is_silent)
{
    bus_worker_options_t options = { .heartbeat_ms = 50, .liveness = 3 };
    scene_t scene = scene_start(&options);
    await(&scene, 400, BUS_WORKER_TIMEOUT, NULL);
    cr_assert_geq(bus_worker_reconnects(scene.worker), 1);
    zmsg_t *again = expect(&scene, BUS_READY, 2000);
    cr_assert_not_null(again, "READY again after 150 ms of silence");
    cr_assert_not(zframe_eq(zmsg_first(scene.ready), zmsg_first(again)), "from a new socket");
    zmsg_destroy(&again);
    scene_end(&scene);
}

Test(bus_worker, reconnects_when_told_disconnect_and_serves_again)
{
    scene_t scene = scene_start(NULL);
    send_to(&scene, scene.ready, BUS_DISCONNECT, NULL, NULL);
    await(&scene, 300, BUS_WORKER_TIMEOUT, NULL);
    cr_assert_eq(bus_worker_reconnects(scene.worker), 1);
    zmsg_t *again = expect(&scene, BUS_READY, 2000);
    cr_assert_not_null(again);
    cr_assert_not(zframe_eq(zmsg_first(scene.ready), zmsg_first(again)));
    send_to(&scene, again, BUS_REQUEST, "client", "after");
    await(&scene, 2000, BUS_WORKER_REQUEST, NULL);
    cr_assert_eq(bus_worker_reply(scene.worker, "ok", 2), 0);
    zmsg_t *reply = expect(&scene, BUS_REPLY, 2000);
    cr_assert_not_null(reply);
    cr_assert(zframe_eq(zmsg_first(reply), zmsg_first(again)));
    zmsg_destroy(&reply);
    zmsg_destroy(&again);
    scene_end(&scene);
}

Test(bus_worker, leaving_sends_disconnect_and_answers_what_was_already_sent)
{
    scene_t scene = scene_start(NULL);
    send_to(&scene, scene.ready, BUS_REQUEST, "client", "in flight");
    zclock_sleep(50);                   /* on its way before the worker leaves */
    bus_worker_leave(scene.worker, 200);
    zmsg_t *bye = expect(&scene, BUS_DISCONNECT, 2000);
    cr_assert_not_null(bye);
    cr_assert_eq(await(&scene, -1, BUS_WORKER_REQUEST, NULL), 9);
    cr_assert_eq(bus_worker_reply(scene.worker, "done", 4), 0);
    zmsg_t *reply = expect(&scene, BUS_REPLY, 2000);
    cr_assert_not_null(reply, "the request sent before DISCONNECT is answered");
    int64_t started = zclock_mono();
    send_to(&scene, scene.ready, BUS_DISCONNECT, NULL, NULL);   /* no reconnect now */
    await(&scene, -1, BUS_WORKER_CLOSED, NULL);
    cr_assert_lt(zclock_mono() - started, 1000);
    cr_assert_null(expect(&scene, BUS_READY, 100), "a leaving worker does not come back");
    zmsg_destroy(&reply);
    zmsg_destroy(&bye);
    scene_end(&scene);
}

Test(bus_worker, drops_malformed_messages_from_the_broker)
{
    scene_t scene = scene_start(NULL);
    zframe_t *identity = zmsg_first(scene.ready);
    zsock_send(scene.router, "fs", identity, "XX9");                      /* unknown protocol */
    zsock_send(scene.router, "fs", identity, BUS_WORKER);                 /* no command */
    zsock_send(scene.router, "fss", identity, BUS_WORKER, "\077");        /* unknown command */
    zsock_send(scene.router, "fsss", identity, BUS_WORKER, BUS_REQUEST, "one part only");
    send_to(&scene, scene.ready, BUS_REQUEST, "client", "good");
    const void *request = NULL;
    cr_assert_eq(await(&scene, 2000, BUS_WORKER_REQUEST, &request), 4);
    cr_assert(memcmp(request, "good", 4) == 0);
    cr_assert_eq(bus_worker_reconnects(scene.worker), 0);
    scene_end(&scene);
}

Test(bus_worker, wakes_up_for_the_watched_socket)
{
    scene_t scene = scene_start(NULL);
    zsock_t *watched = zsock_new_pair("@inproc://bus_worker_watch");
    zsock_t *poke = zsock_new_pair(">inproc://bus_worker_watch");
    zstr_send(poke, "wake up");
    const void *request;
    size_t size;
    int64_t started = zclock_mono();
    cr_assert_eq(bus_worker_recv(scene.worker, watched, 5000, &request, &size),
                 BUS_WORKER_INTERRUPTED);
    cr_assert_lt(zclock_mono() - started, 1000);
    char *left = zstr_recv(watched);
    cr_assert_str_eq(left, "wake up", "the watched socket is not read");
    zstr_free(&left);
    zsock_destroy(&poke);
    zsock_destroy(&watched);
    scene_end(&scene);
}

Test(bus_worker, refuses_an_invalid_endpoint)
{
    cr_assert_null(bus_worker_new("not an endpoint", "svc", NULL, NULL));
}
