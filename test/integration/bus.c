/*  Integration tests of the bus itself: the running broker and service workers,
 *  driven over real ZeroMQ sockets with hostile and well-formed messages. */
#include <criterion/criterion.h>
#include <czmq.h>
#include <string.h>

#include "bus.h"
#include "config.h"
#include "proto.h"
#include "testbus.h"

static const char *services[] = { "auth", "user", "friend" };

/* Sends raw frames straight to the broker, as a client (with the client role's key)
 * that does not follow the protocol would. */
static void send_raw_frames(int count, const char *const *frames, const size_t *sizes)
{
    zsock_t *sock = bus_socket_new(ZMQ_DEALER, testbus_keys());
    cr_assert_not_null(sock);
    cr_assert_eq(zsock_connect(sock, "%s", config_str("BUS_ENDPOINT", BUS_DEFAULT_ENDPOINT)), 0);
    zclock_sleep(100);   /* let the connection come up */
    for (int i = 0; i < count; i++)
        zmq_send(zsock_resolve(sock), frames[i], sizes[i], i + 1 < count ? ZMQ_SNDMORE : 0);
    zclock_sleep(100);
    zsock_destroy(&sock);
}

/* Asserts that every service still answers its built-in ping. */
static void assert_all_alive(void)
{
    for (size_t i = 0; i < sizeof services / sizeof *services; i++) {
        testbus_reply_t r = testbus_call(services[i], "ping", 0, NULL);
        cr_assert_eq(r.status, PROTO_OK, "%s ping", services[i]);
        cr_assert_str_eq(testbus_str(&r, "status"), "ok");
        testbus_reply_free(&r);
    }
}

Test(bus, every_service_answers_ping)
{
    assert_all_alive();
}

Test(bus, unknown_method_is_not_found)
{
    testbus_reply_t r = testbus_call("auth", "no_such_method", 0, NULL);
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
}

Test(bus, service_without_workers_answers_unavailable_in_bounded_time)
{
    int64_t started = zclock_mono();
    testbus_reply_t r = testbus_call("nobody_serves_this", "ping", 0, NULL);
    int64_t waited = zclock_mono() - started;
    cr_assert_eq(r.status, PROTO_UNAVAILABLE);
    cr_assert_lt(waited, 5000, "waited %lld ms", (long long) waited);
    testbus_reply_free(&r);
}

Test(bus, element_count_bomb_as_envelope_is_refused)
{
    static const unsigned char bomb[] = { 0xdd, 0xff, 0xff, 0xff, 0xff };
    testbus_reply_t r = testbus_send_raw("auth", bomb, sizeof bomb, 3000);
    cr_assert_eq(r.status, PROTO_INVALID);
    testbus_reply_free(&r);
    assert_all_alive();
}

Test(bus, element_count_bomb_as_body_is_refused)
{
    /* A well-formed envelope head whose body is the bomb: the whole envelope is
     * refused (answered with correlation id 0, as it cannot be trusted). */
    static const unsigned char bomb[] = { 0xdd, 0xff, 0xff, 0xff, 0xff };
    for (size_t i = 0; i < sizeof services / sizeof *services; i++) {
        msgpack_sbuffer buf;
        msgpack_packer pk;
        msgpack_sbuffer_init(&buf);
        msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
        proto_request_begin(&pk, 77, services[i], "ping", 0);
        msgpack_sbuffer_write(&buf, (const char *) bomb, sizeof bomb);
        testbus_reply_t r = testbus_send_raw(services[i], buf.data, buf.size, 3000);
        cr_assert_eq(r.status, PROTO_INVALID, "%s", services[i]);
        testbus_reply_free(&r);
        msgpack_sbuffer_destroy(&buf);
    }
    assert_all_alive();
}

Test(bus, malformed_frames_do_not_hurt_the_broker)
{
    const char *bad_tag[] = { "XX9", "auth", "x" };
    size_t bad_tag_sizes[] = { 3, 4, 1 };
    send_raw_frames(3, bad_tag, bad_tag_sizes);
    const char *short_client[] = { BUS_CLIENT };
    size_t short_client_sizes[] = { strlen(BUS_CLIENT) };
    send_raw_frames(1, short_client, short_client_sizes);
    const char *binary_name[] = { BUS_CLIENT, "au\0th", "x" };
    size_t binary_name_sizes[] = { strlen(BUS_CLIENT), 5, 1 };
    send_raw_frames(3, binary_name, binary_name_sizes);
    /* A fake worker with a bogus reply and an unknown command. */
    const char *fake_reply[] = { BUS_WORKER, BUS_REPLY, "nobody", "junk" };
    size_t fake_reply_sizes[] = { strlen(BUS_WORKER), 1, 6, 4 };
    send_raw_frames(4, fake_reply, fake_reply_sizes);
    const char *fake_ready[] = { BUS_WORKER, BUS_READY, "" };
    size_t fake_ready_sizes[] = { strlen(BUS_WORKER), 1, 0 };
    send_raw_frames(3, fake_ready, fake_ready_sizes);
    assert_all_alive();
}

Test(bus, garbage_envelopes_get_an_error_not_a_crash)
{
    unsigned int seed = 99;
    unsigned char data[48];
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < sizeof data; i++)
            data[i] = (unsigned char) rand_r(&seed);
        testbus_reply_t r = testbus_send_raw("user", data, sizeof data, 3000);
        cr_assert_eq(r.status, PROTO_INVALID);
        testbus_reply_free(&r);
    }
    assert_all_alive();
}
