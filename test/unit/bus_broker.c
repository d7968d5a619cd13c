/*  Tests of the broker actor (bus_broker.h), started in-process on tcp://127.0.0.1:*
 *  with CURVE and driven over real sockets: by bus clients, by real bus_worker_t
 *  workers (the echo worker), and by scripted workers (raw DEALER sockets) that follow
 *  the protocol only as far as a test needs; each peer has the keys of a role
 *  (testbroker_keys), and some have none or keys the broker never saw. */
#include <criterion/criterion.h>
#include <czmq.h>
#include <string.h>

#include "bus.h"
#include "proto.h"
#include "testbroker.h"
#include "testbus.h"

/* Short timings so that expiry is seen in well under a second. */
static const bus_worker_options_t fast = { .heartbeat_ms = 100, .liveness = 3 };

/* One test's broker, and an echo worker when the test wants one. */
typedef struct {
    zactor_t *broker;           /* the broker under test; BUS_ENDPOINT points at it */
    char *endpoint;             /* where it listens */
    zactor_t *worker;           /* an echo worker of the scene's service, or NULL */
} scene_t;

/*  Starts a broker with the queue limits and (if timing is not NULL) heartbeat
 *  timing, with "nobody" a configured service (it exists with no worker), and when
 *  `service` is not NULL an echo worker of it with the same timing, registered before
 *  this returns. */
static scene_t scene_start(long queue_timeout_ms, long queue_max,
                           const bus_worker_options_t *timing, const char *service)
{
    scene_t scene = { NULL, NULL, NULL };
    bus_broker_config_t config = { queue_timeout_ms, queue_max, timing ? timing->heartbeat_ms : 0,
                                   timing ? timing->liveness : 0, NULL, "nobody" };
    scene.broker = testbroker_start(&config, NULL, &scene.endpoint);
    cr_assert_not_null(scene.broker);
    if (service) {
        scene.worker = testbroker_echo_worker(scene.endpoint, service, NULL, timing);
        cr_assert_not_null(scene.worker);
        cr_assert(testbroker_wait_workers(scene.broker, service, 1, 2000));
    }
    return scene;
}

/* Stops the worker and the broker. */
static void scene_end(scene_t *scene)
{
    zactor_destroy(&scene->worker);
    zactor_destroy(&scene->broker);
    zstr_free(&scene->endpoint);
}

/* A scripted worker with the keys of `role`: a raw DEALER that announced READY for
 * `service`. */
static zsock_t *scripted_worker_as(const char *endpoint, const char *service, const char *role)
{
    zsock_t *sock = bus_socket_new(ZMQ_DEALER, testbroker_keys(role));
    cr_assert_not_null(sock);
    cr_assert_eq(zsock_connect(sock, "%s", endpoint), 0);
    zsock_send(sock, "sss", BUS_WORKER, BUS_READY, service);
    return sock;
}

/* A scripted worker of `service` with the service's own keys. */
static zsock_t *scripted_worker(const char *endpoint, const char *service)
{
    return scripted_worker_as(endpoint, service, service);
}

/* A client with the "client" role's keys. */
static bus_client_t *client_new(const char *endpoint)
{
    bus_client_t *client = bus_client_new(endpoint, testbroker_keys(BUS_ROLE_CLIENT));
    cr_assert_not_null(client);
    return client;
}

/*  Waits at most timeout_ms for a REQUEST on a scripted worker, skipping heartbeats.
 *  Returns it as [client, envelope] (caller destroys), or NULL. */
static zmsg_t *scripted_request(zsock_t *sock, int timeout_ms)
{
    zmsg_t *msg = testbroker_expect(sock, 0, BUS_REQUEST, timeout_ms);
    if (msg) {
        zframe_t *tag = zmsg_pop(msg), *command = zmsg_pop(msg);
        zframe_destroy(&tag);
        zframe_destroy(&command);
    }
    return msg;
}

/* The correlation id of the request a scripted worker received. */
static uint64_t request_id(zmsg_t *request)
{
    zframe_t *envelope = zmsg_last(request);
    proto_msg_t msg;
    cr_assert_eq(proto_request_decode(zframe_data(envelope), zframe_size(envelope), &msg), 0);
    uint64_t id = msg.id;
    proto_msg_release(&msg);
    return id;
}

/* Answers a request received by a scripted worker with PROTO_OK and its id. */
static void scripted_reply(zsock_t *sock, zmsg_t **request_p)
{
    msgpack_sbuffer buf;
    bus_reply_pack(&buf, request_id(*request_p), PROTO_OK);
    zframe_t *client = zmsg_first(*request_p);
    const void *data[4] = { BUS_WORKER, BUS_REPLY, zframe_data(client), buf.data };
    size_t size[4] = { strlen(BUS_WORKER), 1, zframe_size(client), buf.size };
    cr_assert_eq(bus_send(sock, 4, data, size), 0);
    msgpack_sbuffer_destroy(&buf);
    zmsg_destroy(request_p);
}

/* Sends one request from a client without waiting for its reply. */
static void send_request(bus_client_t *client, uint64_t id, const char *service)
{
    msgpack_sbuffer buf;
    testbroker_request(&buf, id, service);
    int64_t deadline = zclock_mono() + 2000;
    while (bus_client_send(client, service, buf.data, buf.size) != 0) {
        cr_assert_lt(zclock_mono(), deadline, "the client never connected");
        zclock_sleep(5);
    }
    msgpack_sbuffer_destroy(&buf);
}

/* Waits for a reply on a client: its status, its id in *id; -1 when none came. */
static int await_reply(bus_client_t *client, int timeout_ms, uint64_t *id)
{
    const void *data = NULL;
    long n = bus_client_recv(client, timeout_ms, &data);
    return n > 0 ? testbroker_reply_status(data, (size_t) n, id) : -1;
}

/* Calls `service` through the broker at BUS_ENDPOINT; returns the reply status. */
static int ping(const char *service)
{
    testbus_reply_t r = testbus_call(service, "ping", 0, NULL);
    testbus_reply_free(&r);
    return r.status;
}

Test(bus_broker, answers_unavailable_within_the_queue_timeout_when_no_worker)
{
    scene_t scene = scene_start(300, 100, NULL, NULL);
    int64_t started = zclock_mono();
    cr_assert_eq(ping("nobody"), PROTO_UNAVAILABLE);
    int64_t waited = zclock_mono() - started;
    cr_assert_geq(waited, 250, "answered after %lld ms", (long long) waited);
    cr_assert_lt(waited, 1500, "answered after %lld ms", (long long) waited);
    scene_end(&scene);
}

Test(bus_broker, a_full_queue_answers_at_once)
{
    scene_t scene = scene_start(5000, 2, NULL, NULL);
    bus_client_t *client = client_new(scene.endpoint);
    int64_t started = zclock_mono();
    for (uint64_t id = 1; id <= 3; id++)
        send_request(client, id, "nobody");
    uint64_t id = 0;
    cr_assert_eq(await_reply(client, 2000, &id), PROTO_UNAVAILABLE);
    cr_assert_eq(id, 3, "the third request, beyond BUS_QUEUE_MAX, is refused");
    cr_assert_lt(zclock_mono() - started, 2000, "refused at once, not after the timeout");
    cr_assert_eq(await_reply(client, 100, &id), -1, "the two queued ones still wait");
    bus_client_destroy(&client);
    scene_end(&scene);
}

Test(bus_broker, a_silent_worker_is_forgotten_and_its_requests_get_unavailable)
{
    scene_t scene = scene_start(300, 100, &fast, NULL);
    zsock_t *silent = scripted_worker(scene.endpoint, "quiet");
    cr_assert(testbroker_wait_workers(scene.broker, "quiet", 1, 2000));
    int64_t registered = zclock_mono();
    cr_assert(testbroker_wait_workers(scene.broker, "quiet", 0, 2000), "never forgotten");
    cr_assert_geq(zclock_mono() - registered, 200, "forgotten before its liveness ran out");
    cr_assert_eq(ping("quiet"), PROTO_UNAVAILABLE);
    cr_assert_null(scripted_request(silent, 100), "a forgotten worker is sent nothing");
    zsock_destroy(&silent);
    scene_end(&scene);
}

Test(bus_broker, a_heartbeating_worker_stays_and_serves)
{
    scene_t scene = scene_start(300, 100, &fast, "echo");
    zclock_sleep(1000);         /* ten heartbeat intervals, more than three times liveness */
    cr_assert_eq(bus_broker_workers(scene.broker, "echo"), 1);
    cr_assert_eq(ping("echo"), PROTO_OK);
    zactor_destroy(&scene.worker);
    cr_assert(testbroker_wait_workers(scene.broker, "echo", 0, 1000), "a worker leaving is forgotten");
    scene_end(&scene);
}

Test(bus_broker, routes_each_request_to_the_longest_idle_worker)
{
    scene_t scene = scene_start(2000, 100, NULL, NULL);
    zsock_t *a = scripted_worker(scene.endpoint, "idle");
    cr_assert(testbroker_wait_workers(scene.broker, "idle", 1, 2000));
    zsock_t *b = scripted_worker(scene.endpoint, "idle");
    cr_assert(testbroker_wait_workers(scene.broker, "idle", 2, 2000));
    bus_client_t *client = client_new(scene.endpoint);

    /* a became ready first: it gets the first request, b the second. */
    send_request(client, 1, "idle");
    zmsg_t *on_a = scripted_request(a, 2000);
    cr_assert_not_null(on_a);
    cr_assert_eq(request_id(on_a), 1);
    send_request(client, 2, "idle");
    zmsg_t *on_b = scripted_request(b, 2000);
    cr_assert_not_null(on_b);
    cr_assert_eq(request_id(on_b), 2);

    /* b finishes first, so b has been idle longest when the third request comes. */
    scripted_reply(b, &on_b);
    uint64_t id = 0;
    cr_assert_eq(await_reply(client, 2000, &id), PROTO_OK);
    cr_assert_eq(id, 2);
    scripted_reply(a, &on_a);
    cr_assert_eq(await_reply(client, 2000, &id), PROTO_OK);
    cr_assert_eq(id, 1);
    send_request(client, 3, "idle");
    zmsg_t *third = scripted_request(b, 2000);
    cr_assert_not_null(third, "the longest idle worker (b) gets the third request");
    cr_assert_eq(request_id(third), 3);
    cr_assert_null(scripted_request(a, 100));
    scripted_reply(b, &third);
    cr_assert_eq(await_reply(client, 2000, &id), PROTO_OK);

    bus_client_destroy(&client);
    zsock_destroy(&a);
    zsock_destroy(&b);
    scene_end(&scene);
}

/* A scripted worker of `service` that announced a credit (READY's fourth frame). */
static zsock_t *scripted_worker_with_credit(const char *endpoint, const char *service,
                                            const char *credit)
{
    zsock_t *sock = bus_socket_new(ZMQ_DEALER, testbroker_keys(service));
    cr_assert_not_null(sock);
    cr_assert_eq(zsock_connect(sock, "%s", endpoint), 0);
    zsock_send(sock, "ssss", BUS_WORKER, BUS_READY, service, credit);
    return sock;
}

/* Receives the next request on a scripted worker and checks its id. */
static zmsg_t *expect_request(zsock_t *sock, uint64_t id)
{
    zmsg_t *request = scripted_request(sock, 2000);
    cr_assert_not_null(request, "request %llu never came", (unsigned long long) id);
    cr_assert_eq(request_id(request), id);
    return request;
}

Test(bus_broker, a_worker_is_sent_as_many_requests_as_its_credit_spread_over_workers_first)
{
    scene_t scene = scene_start(2000, 100, NULL, NULL);
    zsock_t *a = scripted_worker_with_credit(scene.endpoint, "credit", "2");
    cr_assert(testbroker_wait_workers(scene.broker, "credit", 1, 2000));
    zsock_t *b = scripted_worker_with_credit(scene.endpoint, "credit", "2");
    cr_assert(testbroker_wait_workers(scene.broker, "credit", 2, 2000));
    bus_client_t *client = client_new(scene.endpoint);

    for (uint64_t id = 1; id <= 5; id++)
        send_request(client, id, "credit");
    /* In turn: a, b, a, b; the fifth waits, both credits being spent. */
    zmsg_t *first = expect_request(a, 1), *second = expect_request(b, 2);
    zmsg_t *third = expect_request(a, 3), *fourth = expect_request(b, 4);
    cr_assert_null(scripted_request(a, 100), "a has no credit left");
    cr_assert_null(scripted_request(b, 100), "b has no credit left");

    /* One reply gives one request of credit back. */
    scripted_reply(a, &first);
    uint64_t id = 0;
    cr_assert_eq(await_reply(client, 2000, &id), PROTO_OK);
    cr_assert_eq(id, 1);
    zmsg_t *fifth = expect_request(a, 5);
    zmsg_t **left[] = { &second, &third, &fourth, &fifth };
    zsock_t *owner[] = { b, a, b, a };
    for (size_t i = 0; i < 4; i++)
        scripted_reply(owner[i], left[i]);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(await_reply(client, 2000, &id), PROTO_OK);
    cr_assert_eq(await_reply(client, 100, &id), -1, "every request answered once");

    bus_client_destroy(&client);
    zsock_destroy(&a);
    zsock_destroy(&b);
    scene_end(&scene);
}

Test(bus_broker, a_credit_that_is_not_a_number_from_one_to_the_maximum_is_refused)
{
    scene_t scene = scene_start(2000, 100, NULL, NULL);
    const char *bad[] = { "0", "17", "", "-1", "2x", "99999999999999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zsock_t *sock = scripted_worker_with_credit(scene.endpoint, "credit", bad[i]);
        zmsg_t *told = testbroker_expect(sock, 0, BUS_DISCONNECT, 2000);
        cr_assert_not_null(told, "credit \"%s\" was not refused", bad[i]);
        zmsg_destroy(&told);
        zsock_destroy(&sock);
    }
    cr_assert_eq(bus_broker_workers(scene.broker, "credit"), 0);
    zsock_t *good = scripted_worker_with_credit(scene.endpoint, "credit", "16");
    cr_assert(testbroker_wait_workers(scene.broker, "credit", 1, 2000), "credit 16 is accepted");
    zsock_destroy(&good);
    scene_end(&scene);
}

/* True when a DISCONNECT reaches a scripted peer within timeout_ms. */
static bool told_to_start_over(zsock_t *sock, int timeout_ms)
{
    zmsg_t *msg = testbroker_expect(sock, 0, BUS_DISCONNECT, timeout_ms);
    bool told = msg != NULL;
    zmsg_destroy(&msg);
    return told;
}

Test(bus_broker, tells_strangers_and_twice_ready_workers_to_start_over)
{
    scene_t scene = scene_start(2000, 100, NULL, NULL);
    zsock_t *stranger = bus_socket_new(ZMQ_DEALER, testbroker_keys(BUS_ROLE_CLIENT));
    zsock_connect(stranger, "%s", scene.endpoint);
    zsock_send(stranger, "ss", BUS_WORKER, BUS_HEARTBEAT);
    cr_assert(told_to_start_over(stranger, 2000), "a heartbeat from a stranger: DISCONNECT");

    zsock_t *twice = scripted_worker(scene.endpoint, "twice");
    cr_assert(testbroker_wait_workers(scene.broker, "twice", 1, 2000));
    zsock_send(twice, "sss", BUS_WORKER, BUS_READY, "twice");
    cr_assert(told_to_start_over(twice, 2000), "a second READY: DISCONNECT");
    cr_assert(testbroker_wait_workers(scene.broker, "twice", 0, 2000), "and forgotten");
    zsock_destroy(&stranger);
    zsock_destroy(&twice);
    scene_end(&scene);
}

Test(bus_broker, a_worker_announces_itself_again_after_the_broker_restarts)
{
    scene_t scene = scene_start(3000, 100, &fast, "phoenix");
    cr_assert_eq(ping("phoenix"), PROTO_OK);

    zactor_destroy(&scene.broker);
    bus_broker_config_t config = { 3000, 100, fast.heartbeat_ms, fast.liveness, NULL, NULL };
    /* libzmq closes the old listener in its own thread, a moment later. */
    int64_t deadline = zclock_mono() + 2000;
    while (!(scene.broker = testbroker_start(&config, scene.endpoint, NULL))
           && zclock_mono() < deadline)
        zclock_sleep(20);
    cr_assert_not_null(scene.broker, "the same endpoint binds again");
    cr_assert(testbroker_wait_workers(scene.broker, "phoenix", 1, 3000), "the worker came back");
    cr_assert_eq(ping("phoenix"), PROTO_OK);
    scene_end(&scene);
}

/* Sends raw frames to the broker from a new socket, as a peer breaking the protocol. */
static void send_frames(const char *endpoint, int count, const char *const *frames,
                        const size_t *sizes)
{
    zsock_t *sock = bus_socket_new(ZMQ_DEALER, testbroker_keys("sturdy"));
    zsock_connect(sock, "%s", endpoint);
    const void *data[8];
    for (int i = 0; i < count; i++)
        data[i] = frames[i];
    int64_t deadline = zclock_mono() + 2000;
    while (bus_send(sock, count, data, sizes) != 0 && zclock_mono() < deadline)
        zclock_sleep(5);
    zclock_sleep(20);
    zsock_destroy(&sock);
}

Test(bus_broker, malformed_frames_are_dropped_without_harm)
{
    scene_t scene = scene_start(2000, 100, NULL, "sturdy");
    const char *at = scene.endpoint;
    send_frames(at, 3, (const char *[]) { "XX9", "sturdy", "x" }, (size_t[]) { 3, 6, 1 });
    send_frames(at, 1, (const char *[]) { "" }, (size_t[]) { 0 });
    send_frames(at, 1, (const char *[]) { BUS_CLIENT }, (size_t[]) { 3 });
    send_frames(at, 3, (const char *[]) { BUS_CLIENT, "stu\0rdy", "x" }, (size_t[]) { 3, 7, 1 });
    send_frames(at, 3, (const char *[]) { BUS_CLIENT, "a-name-far-longer-than-thirty-one-bytes", "x" },
                (size_t[]) { 3, 39, 1 });
    send_frames(at, 3, (const char *[]) { BUS_CLIENT, "nobody", "\xdd\xff\xff\xff\xff" },
                (size_t[]) { 3, 6, 5 });
    send_frames(at, 1, (const char *[]) { BUS_WORKER }, (size_t[]) { 3 });
    send_frames(at, 2, (const char *[]) { BUS_WORKER, "\077" }, (size_t[]) { 3, 1 });
    send_frames(at, 3, (const char *[]) { BUS_WORKER, BUS_REPLY, "nobody" }, (size_t[]) { 3, 1, 6 });
    send_frames(at, 4, (const char *[]) { BUS_WORKER, BUS_REPLY, "nobody", "junk" },
                (size_t[]) { 3, 1, 6, 4 });
    send_frames(at, 3, (const char *[]) { BUS_WORKER, BUS_READY, "" }, (size_t[]) { 3, 1, 0 });
    send_frames(at, 4, (const char *[]) { BUS_WORKER, BUS_READY, "sturdy", "more" },
                (size_t[]) { 3, 1, 6, 4 });

    cr_assert_eq(bus_broker_workers(scene.broker, "sturdy"), 1, "no bogus worker registered");
    cr_assert_eq(ping("sturdy"), PROTO_OK);
    scene_end(&scene);
}

Test(bus_broker, bind_answers_the_port_chosen_and_refuses_a_bad_endpoint)
{
    bus_broker_config_t config = { 2000, 100, 0, 0, NULL, NULL };    /* no CURVE */
    zactor_t *broker = zactor_new(bus_broker_actor, &config);
    char *bound = bus_broker_bind(broker, "tcp://127.0.0.1:*");
    cr_assert_not_null(bound);
    cr_assert(strncmp(bound, "tcp://127.0.0.1:", 16) == 0 && atoi(bound + 16) > 0, "%s", bound);
    cr_assert_null(bus_broker_bind(broker, "not an endpoint"));
    cr_assert_null(bus_broker_bind(broker, bound), "the port is taken");
    zstr_free(&bound);
    zactor_destroy(&broker);
}

Test(bus_broker, a_request_for_an_unknown_service_is_answered_at_once)
{
    scene_t scene = scene_start(3000, 100, NULL, NULL);
    int64_t started = zclock_mono();
    cr_assert_eq(ping("nosuch"), PROTO_UNAVAILABLE);
    cr_assert_lt(zclock_mono() - started, 1000, "not after the queue timeout");
    cr_assert_eq(bus_broker_services(scene.broker), 1, "only the configured one");
    scene_end(&scene);
}

Test(bus_broker, a_burst_of_bogus_names_leaves_the_table_as_it_was)
{
    scene_t scene = scene_start(2000, 100, NULL, "real");
    long before = bus_broker_services(scene.broker);
    cr_assert_eq(before, 2, "nobody (configured) and real");
    bus_client_t *client = client_new(scene.endpoint);
    enum { BURST = 10000 };
    for (uint64_t id = 1; id <= BURST; id++) {
        char name[32];
        snprintf(name, sizeof name, "bogus-%llu", (unsigned long long) id);
        send_request(client, id, name);
    }
    size_t unavailable = 0;
    uint64_t id = 0;
    while (unavailable < BURST && await_reply(client, 2000, &id) == PROTO_UNAVAILABLE)
        unavailable++;
    cr_assert_eq(unavailable, BURST, "every bogus request is answered");
    cr_assert_eq(bus_broker_services(scene.broker), before, "no name was kept");
    cr_assert_eq(ping("real"), PROTO_OK, "the real service still works");
    bus_client_destroy(&client);
    scene_end(&scene);
}

Test(bus_broker, a_service_is_dropped_when_its_last_worker_leaves)
{
    scene_t scene = scene_start(2000, 100, NULL, "fleeting");
    cr_assert_eq(bus_broker_services(scene.broker), 2);
    zactor_destroy(&scene.worker);
    cr_assert(testbroker_wait_workers(scene.broker, "fleeting", 0, 2000));
    cr_assert_eq(bus_broker_services(scene.broker), 1, "fleeting dropped, nobody kept");
    cr_assert_eq(ping("fleeting"), PROTO_UNAVAILABLE);
    scene_end(&scene);
}

/* True when a worker of `service` with the keys of `role` is refused: it never counts
 * as a worker, and a request for the service never reaches it. */
static bool refused_as(const char *endpoint, zactor_t *broker, const char *service,
                       const char *role)
{
    zsock_t *impostor = scripted_worker_as(endpoint, service, role);
    zactor_t *echo = testbroker_echo_worker(endpoint, service, testbroker_keys(role), NULL);
    cr_assert_not_null(echo);
    zclock_sleep(300);
    bool refused = bus_broker_workers(broker, service) == 0 && ping(service) == PROTO_UNAVAILABLE
                   && scripted_request(impostor, 200) == NULL;
    zactor_destroy(&echo);
    zsock_destroy(&impostor);
    return refused;
}

Test(bus_broker, a_worker_serves_only_the_service_its_key_names)
{
    scene_t scene = scene_start(2000, 100, NULL, NULL);
    cr_assert(refused_as(scene.endpoint, scene.broker, "auth", BUS_ROLE_GATEWAY),
              "a gateway key cannot serve auth");
    cr_assert(refused_as(scene.endpoint, scene.broker, "auth", BUS_ROLE_CLIENT),
              "a client key cannot serve auth");
    cr_assert(refused_as(scene.endpoint, scene.broker, "auth", "user"),
              "a user key cannot serve auth");
    cr_assert(refused_as(scene.endpoint, scene.broker, "gateway", BUS_ROLE_GATEWAY),
              "a gateway key cannot serve even its own name");
    zactor_t *auth = testbroker_echo_worker(scene.endpoint, "auth", NULL, NULL);
    cr_assert(testbroker_wait_workers(scene.broker, "auth", 1, 2000), "the auth key can");
    cr_assert_eq(ping("auth"), PROTO_OK);
    zactor_destroy(&auth);
    scene_end(&scene);
}

/* True when a request sent on sock (a DEALER connecting to endpoint) gets no reply
 * within timeout_ms. */
static bool gets_nothing(zsock_t *sock, const char *endpoint, int timeout_ms)
{
    cr_assert_eq(zsock_connect(sock, "%s", endpoint), 0);
    msgpack_sbuffer buf;
    testbroker_request(&buf, 1, "nobody");
    const void *data[3] = { BUS_CLIENT, "nobody", buf.data };
    size_t size[3] = { 3, 6, buf.size };
    int64_t deadline = zclock_mono() + timeout_ms;
    while (bus_send(sock, 3, data, size) != 0 && zclock_mono() < deadline)
        zclock_sleep(5);
    msgpack_sbuffer_destroy(&buf);
    zmq_pollitem_t item = { zsock_resolve(sock), 0, ZMQ_POLLIN, 0 };
    long left = (long) (deadline - zclock_mono());
    return zmq_poll(&item, 1, left > 0 ? left : 0) == 0;
}

Test(bus_broker, a_peer_without_a_known_key_is_not_admitted)
{
    scene_t scene = scene_start(300, 100, NULL, NULL);
    /* With a known key, "nobody" (configured, no worker) answers 503 in 300 ms. */
    zsock_t *known = bus_socket_new(ZMQ_DEALER, testbroker_keys(BUS_ROLE_CLIENT));
    cr_assert_not(gets_nothing(known, scene.endpoint, 1500), "a known key is answered");
    zsock_destroy(&known);

    zsock_t *plain = bus_socket_new(ZMQ_DEALER, NULL);
    cr_assert(gets_nothing(plain, scene.endpoint, 1500), "no key: nothing");
    zsock_destroy(&plain);

    /* A well-formed certificate naming a role, but not in the broker's store. */
    zcert_t *unknown = zcert_new();
    zcert_set_meta(unknown, "role", "client");
    char broker_cert[600];
    snprintf(broker_cert, sizeof broker_cert, "%s/broker.crt", getenv("BUS_KEYS"));
    zcert_t *broker = zcert_load(broker_cert);
    cr_assert_not_null(broker);
    zsock_t *stranger = bus_socket_new(ZMQ_DEALER, NULL);
    zcert_apply(unknown, stranger);
    zsock_set_curve_serverkey(stranger, zcert_public_txt(broker));
    cr_assert(gets_nothing(stranger, scene.endpoint, 1500), "an unknown key: nothing");
    zsock_destroy(&stranger);
    zcert_destroy(&broker);
    zcert_destroy(&unknown);
    scene_end(&scene);
}
