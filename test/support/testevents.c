/*  testevents.c: a scripted event subscriber. See testevents.h. */
#include "testevents.h"

#include <criterion/criterion.h>
#include <msgpack.h>
#include <string.h>

#include "bus.h"
#include "bus_events.h"
#include "config.h"
#include "event.h"
#include "proto_json.h"
#include "testbus.h"

/* How long a new subscription takes to reach the publisher through the broker. */
#define SUBSCRIBE_SETTLE_MS 700

zsock_t *testevents_subscribe(void)
{
    zsock_t *sub = bus_socket_new(ZMQ_SUB, testbus_keys());
    cr_assert_not_null(sub, "no SUB socket");
    cr_assert_eq(zsock_connect(sub, "%s", config_str("EVENTS_SUB_ENDPOINT", BUS_EVENTS_SUB_DEFAULT)),
                 0);
    zsock_set_subscribe(sub, EVENT_TAG);
    zclock_sleep(SUBSCRIBE_SETTLE_MS);
    return sub;
}

/* The event in msg as JSON, checked for shape; NULL (test failed) otherwise. */
static json_t *decode(zmsg_t *msg)
{
    cr_assert_eq(zmsg_size(msg), 2, "an event has two frames");
    cr_assert(zframe_streq(zmsg_first(msg), EVENT_TAG));
    zframe_t *body = zmsg_next(msg);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    cr_assert_eq(msgpack_unpack_next(&u, (const char *) zframe_data(body), zframe_size(body), NULL),
                 MSGPACK_UNPACK_SUCCESS);
    json_t *event = proto_json_from_msgpack(&u.data);
    msgpack_unpacked_destroy(&u);
    cr_assert(json_is_object(event));
    cr_assert(json_is_string(json_object_get(event, "kind")));
    cr_assert(json_array_size(json_object_get(event, "to")) >= 1);
    cr_assert(json_is_integer(json_object_get(event, "id")));
    return event;
}

/* What an event is about: the notification's id, the presence body's user_id, the
 * chat message's id, else the (gone) recipient. */
static int64_t about_of(const json_t *event)
{
    const char *kind = json_string_value(json_object_get(event, "kind"));
    if (strcmp(kind, "notification") == 0)
        return json_integer_value(json_object_get(event, "id"));
    if (strcmp(kind, "presence") == 0)
        return json_integer_value(json_object_get(json_object_get(event, "body"), "user_id"));
    if (strcmp(kind, "chat.message") == 0)
        return json_integer_value(json_object_get(json_object_get(event, "body"), "id"));
    return json_integer_value(json_array_get(json_object_get(event, "to"), 0));
}

json_t *testevents_next(zsock_t *sub, int timeout_ms, const char *kind, int64_t about)
{
    int64_t deadline = zclock_mono() + timeout_ms;
    zpoller_t *poller = zpoller_new(sub, NULL);
    json_t *found = NULL;
    while (!found) {
        int64_t left = deadline - zclock_mono();
        if (left <= 0 || zpoller_wait(poller, (int) left) != sub)
            break;
        zmsg_t *msg = zmsg_recv(sub);
        json_t *event = decode(msg);
        zmsg_destroy(&msg);
        if (strcmp(json_string_value(json_object_get(event, "kind")), kind) == 0
            && about_of(event) == about)
            found = event;
        else
            json_decref(event);
    }
    zpoller_destroy(&poller);
    return found;
}

bool testevents_to(const json_t *event, int64_t uid)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(event, "to"), i, v)
        if (json_integer_value(v) == uid)
            return true;
    return false;
}
