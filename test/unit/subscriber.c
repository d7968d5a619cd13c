/*  Unit tests of the event subscriber: a real PUB socket, a real lws loop; valid
 *  events reach the owner in order, malformed ones never do. */
#include <criterion/criterion.h>
#include <czmq.h>
#include <libwebsockets.h>

#include "event.h"
#include "lws_fixture.h"
#include "proto.h"
#include "subscriber.h"
#include "zwatch.h"

static const struct lws_protocols protocols[] = {
    { "idle", fixture_idle_callback, 0, 0, 0, NULL, 0 },
    { ZWATCH_PROTOCOL, zwatch_callback, 0, 0, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 },
};

static struct lws_context *context;
static zsock_t *publisher;
static subscriber_t *subscriber;
static uint64_t seen[64];
static int nseen;

static void deliver(void *arg, const event_t *ev)
{
    (void) arg;
    cr_assert_lt(nseen, 64);
    seen[nseen++] = ev->id;
}

static void setup(void)
{
    zsys_handler_set(NULL);
    context = fixture_context_new(protocols);
    publisher = zsock_new(ZMQ_PUB);
    cr_assert_not_null(publisher);
    int port = zsock_bind(publisher, "tcp://127.0.0.1:*");
    cr_assert_gt(port, 0);
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", port);
    subscriber = subscriber_new(context, fixture_vhost(context), endpoint, NULL, deliver, NULL);
    cr_assert_not_null(subscriber);
    nseen = 0;
}

static void teardown(void)
{
    subscriber_destroy(&subscriber);
    if (context)
        lws_context_destroy(context);
    context = NULL;
    zsock_destroy(&publisher);
}

/* Publishes [tag, map of a notification event with id `id`] (id 0: a broken map). */
static void publish(const char *tag, uint64_t id, bool third_frame)
{
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    uint64_t to[] = { 7 };
    event_pack_begin(&pk, EVENT_NOTIFICATION, to, 1, id);
    msgpack_pack_map(&pk, 0);
    zmsg_t *msg = zmsg_new();
    zmsg_addstr(msg, tag);
    zmsg_addmem(msg, buf.data, buf.size);
    if (third_frame)
        zmsg_addstr(msg, "extra");
    cr_assert_eq(zmsg_send(&msg, publisher), 0);
    msgpack_sbuffer_destroy(&buf);
}

/* Publishes event `marker` until it arrives: the subscription has reached the PUB
 * socket (a slow joiner's first events are dropped, by design of PUB/SUB). */
static void await_subscription(uint64_t marker)
{
    for (int i = 0; i < 400 && nseen == 0; i++) {
        publish(EVENT_TAG, marker, false);
        for (int turn = 0; turn < 10 && nseen == 0; turn++) {
            lws_service(context, -1);
            zclock_sleep(1);
        }
    }
    cr_assert_gt(nseen, 0, "the subscriber never joined");
    for (int turn = 0; turn < 50; turn++) {
        lws_service(context, -1);
        zclock_sleep(1);
    }
    nseen = 0;
}

static void serve_until(int want)
{
    for (int i = 0; i < 2000 && nseen < want; i++) {
        lws_service(context, -1);
        if (nseen < want)
            zclock_sleep(1);
    }
}

Test(subscriber, delivers_events_in_order, .init = setup, .fini = teardown)
{
    await_subscription(1000);
    for (uint64_t id = 1; id <= 50; id++)
        publish(EVENT_TAG, id, false);
    serve_until(50);
    cr_assert_eq(nseen, 50);
    for (int i = 0; i < 50; i++)
        cr_assert_eq(seen[i], (uint64_t) i + 1);
}

Test(subscriber, drops_malformed_events, .init = setup, .fini = teardown)
{
    await_subscription(1000);
    publish(EVENT_TAG, 0, false);            /* a notification without an id */
    publish(EVENT_TAG, 5, true);             /* three frames */
    publish(EVENT_TAG "X", 6, false);        /* another tag that shares the prefix */
    publish(EVENT_TAG, 7, false);
    serve_until(1);
    for (int turn = 0; turn < 50; turn++) {
        lws_service(context, -1);
        zclock_sleep(1);
    }
    cr_assert_eq(nseen, 1);
    cr_assert_eq(seen[0], 7);
}
