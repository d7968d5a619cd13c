/*  Unit tests of calls.c: bus calls made from a real lws loop to a scripted broker
 *  (a ROUTER on loopback TCP): replies, per-call deadlines in any order, cancel,
 *  late replies dropped, and completions never run inside calls_send(). */
#include <criterion/criterion.h>
#include <czmq.h>
#include <libwebsockets.h>

#include "calls.h"
#include "lws_fixture.h"
#include "zwatch.h"

static const struct lws_protocols protocols[] = {
    { "idle", fixture_idle_callback, 0, 0, 0, NULL, 0 },
    { ZWATCH_PROTOCOL, zwatch_callback, 0, 0, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 },
};

/* What the completions saw, in order. */
typedef struct {
    uint64_t ids[16];            /* ids completed */
    int status[16];              /* reply status, -1 for the deadline */
    int64_t at_ms[16];           /* when (zclock_mono) */
    int count;                   /* completions so far */
} record_t;

static struct lws_context *context;
static zsock_t *broker;
static bus_client_t *bus;
static calls_t *calls;
static record_t seen;

/* calls_done_fn: records the outcome. */
static void record(void *arg, uint64_t id, const proto_msg_t *reply)
{
    record_t *r = arg;
    cr_assert_lt(r->count, 16);
    r->ids[r->count] = id;
    r->status[r->count] = reply ? reply->status : -1;
    r->at_ms[r->count] = zclock_mono();
    r->count++;
}

static void setup(void)
{
    zsys_handler_set(NULL);
    context = fixture_context_new(protocols);
    broker = zsock_new(ZMQ_ROUTER);
    int port = zsock_bind(broker, "tcp://127.0.0.1:*");
    cr_assert_gt(port, 0);
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", port);
    bus = bus_client_new(endpoint, NULL);
    cr_assert_not_null(bus);
    calls = calls_new(context, fixture_vhost(context), bus);
    cr_assert_not_null(calls);
    memset(&seen, 0, sizeof seen);
}

static void teardown(void)
{
    calls_destroy(&calls);
    if (context)
        lws_context_destroy(context);
    context = NULL;
    bus_client_destroy(&bus);
    zsock_destroy(&broker);
}

/* Turns the loop (without waiting in poll) for about ms milliseconds, or until
 * `want` completions were seen. */
static void serve(int64_t ms, int want)
{
    int64_t end = zclock_mono() + ms;
    while (zclock_mono() < end && seen.count < want) {
        lws_service(context, -1);
        zclock_sleep(1);
    }
}

/* Sends a ping to `service` with timeout_ms; waits for the connection first (the
 * bus client refuses sends until it is up). Returns the call's id. */
static uint64_t ping(const char *service, long timeout_ms)
{
    for (int i = 0; i < 500; i++) {
        uint64_t id;
        msgpack_packer *pk = calls_begin(calls, service, "ping", 0, &id);
        msgpack_pack_nil(pk);
        if (calls_send(calls, timeout_ms, record, &seen) == 0)
            return id;
        zclock_sleep(10);
    }
    cr_assert_fail("the bus never connected");
    return 0;
}

/* The broker takes one request; returns its correlation id and keeps the route in
 * *identity (caller destroys). */
static uint64_t broker_take(zframe_t **identity)
{
    zsock_set_rcvtimeo(broker, 2000);
    zmsg_t *msg = zmsg_recv(broker);
    cr_assert_not_null(msg);
    *identity = zmsg_pop(msg);
    zframe_t *tag = zmsg_pop(msg), *service = zmsg_pop(msg), *env = zmsg_pop(msg);
    proto_msg_t req;
    cr_assert_eq(proto_request_decode(zframe_data(env), zframe_size(env), &req), 0);
    uint64_t id = req.id;
    proto_msg_release(&req);
    zframe_destroy(&tag);
    zframe_destroy(&service);
    zframe_destroy(&env);
    zmsg_destroy(&msg);
    return id;
}

/* The broker answers call id with status. */
static void broker_reply(zframe_t **identity, uint64_t id, int status)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    proto_reply_begin(&pk, id, status);
    msgpack_pack_nil(&pk);
    zmsg_t *msg = zmsg_new();
    zmsg_append(msg, identity);
    zmsg_addstr(msg, BUS_CLIENT);
    zmsg_addstr(msg, "svc");
    zmsg_addmem(msg, sb.data, sb.size);
    cr_assert_eq(zmsg_send(&msg, broker), 0);
    msgpack_sbuffer_destroy(&sb);
}

Test(calls, reply_completes_the_call_on_a_later_loop_turn, .init = setup, .fini = teardown)
{
    uint64_t id = ping("svc", 2000);
    cr_assert_eq(calls_in_flight(calls), 1);
    zframe_t *who;
    cr_assert_eq(broker_take(&who), id);
    broker_reply(&who, id, PROTO_OK);
    zclock_sleep(50);
    /* Another send while the reply waits: still no completion inside calls_send. */
    uint64_t other = ping("svc", 2000);
    cr_assert_eq(seen.count, 0);
    serve(2000, 1);
    cr_assert_eq(seen.count, 1);
    cr_assert_eq(seen.ids[0], id);
    cr_assert_eq(seen.status[0], PROTO_OK);
    calls_cancel(calls, other);
    cr_assert_eq(calls_in_flight(calls), 0);
}

Test(calls, mixed_timeouts_end_in_deadline_order, .init = setup, .fini = teardown)
{
    uint64_t slow = ping("svc", 600);
    int64_t start = zclock_mono();            /* slow's deadline: start + 600 at most */
    uint64_t fast = ping("svc", 100);
    uint64_t middle = ping("svc", 300);
    serve(2000, 3);
    cr_assert_eq(seen.count, 3);
    cr_assert_eq(seen.ids[0], fast);
    cr_assert_eq(seen.ids[1], middle);
    cr_assert_eq(seen.ids[2], slow);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(seen.status[i], -1);
    /* The short deadline did not wait for the long one (no insertion order). */
    cr_assert_geq(seen.at_ms[0] - start, 99);
    cr_assert_lt(seen.at_ms[0] - start, 550);
    cr_assert_geq(seen.at_ms[2] - start, 590);
}

Test(calls, cancelled_call_never_completes, .init = setup, .fini = teardown)
{
    uint64_t id = ping("svc", 200);
    zframe_t *who;
    cr_assert_eq(broker_take(&who), id);
    calls_cancel(calls, id);
    calls_cancel(calls, id);
    calls_cancel(calls, 0);
    calls_cancel(NULL, id);
    cr_assert_eq(calls_in_flight(calls), 0);
    broker_reply(&who, id, PROTO_OK);
    serve(400, 1);
    cr_assert_eq(seen.count, 0);
}

Test(calls, late_reply_is_dropped, .init = setup, .fini = teardown)
{
    uint64_t id = ping("svc", 50);
    zframe_t *who;
    cr_assert_eq(broker_take(&who), id);
    serve(1000, 1);
    cr_assert_eq(seen.count, 1);
    cr_assert_eq(seen.status[0], -1);
    broker_reply(&who, id, PROTO_OK);
    /* A later call's reply still arrives; the late one is gone without a trace. */
    uint64_t next = ping("svc", 2000);
    zframe_t *who2;
    cr_assert_eq(broker_take(&who2), next);
    broker_reply(&who2, next, PROTO_OK);
    serve(2000, 2);
    cr_assert_eq(seen.count, 2);
    cr_assert_eq(seen.ids[1], next);
    cr_assert_eq(seen.status[1], PROTO_OK);
    serve(100, 3);
    cr_assert_eq(seen.count, 2);
}

Test(calls, destroy_drops_calls_in_flight_silently, .init = setup, .fini = teardown)
{
    ping("svc", 50);
    calls_destroy(&calls);
    cr_assert_null(calls);
    serve(200, 1);
    cr_assert_eq(seen.count, 0);
}
