/*  Unit tests of zwatch.c: a real ZeroMQ PAIR watched inside a real lws context. */
#include <criterion/criterion.h>
#include <czmq.h>
#include <libwebsockets.h>

#include "lws_fixture.h"
#include "zwatch.h"

static const struct lws_protocols protocols[] = {
    { "idle", fixture_idle_callback, 0, 0, 0, NULL, 0 },
    { ZWATCH_PROTOCOL, zwatch_callback, 0, 0, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 },
};

/* The socket watched and what its receive function saw. */
typedef struct {
    void *sock;                  /* the watched end of the pair */
    int received;                /* messages taken */
    int this_turn;               /* messages taken since the loop last turned */
    int most_per_turn;           /* the largest this_turn seen */
} sink_t;

/* zwatch_recv_fn: takes one message off the sink's socket. */
static bool take(void *arg)
{
    sink_t *s = arg;
    char buf[16];
    if (zmq_recv(s->sock, buf, sizeof buf, ZMQ_DONTWAIT) < 0)
        return false;
    s->received++;
    if (++s->this_turn > s->most_per_turn)
        s->most_per_turn = s->this_turn;
    return true;
}

static struct lws_context *context;
static struct lws_vhost *vhost;
static zsock_t *writer, *reader;
static sink_t sink;

static void setup(void)
{
    zsys_handler_set(NULL);
    context = fixture_context_new(protocols);
    vhost = fixture_vhost(context);
    writer = zsock_new_pair("@inproc://zwatch-test");
    reader = zsock_new_pair(">inproc://zwatch-test");
    cr_assert(writer && reader);
    memset(&sink, 0, sizeof sink);
    sink.sock = zsock_resolve(reader);
}

static void teardown(void)
{
    if (context)
        lws_context_destroy(context);
    context = NULL;
    zsock_destroy(&reader);
    zsock_destroy(&writer);
}

/* The fd of the reader's ZMQ_FD. */
static int reader_fd(void)
{
    int fd = -1;
    size_t len = sizeof fd;
    zmq_getsockopt(sink.sock, ZMQ_FD, &fd, &len);
    return fd;
}

/* Turns the loop (without waiting in poll) until `want` messages arrived or about
 * two seconds passed. */
static void serve_until(int want)
{
    for (int i = 0; i < 2000 && sink.received < want; i++) {
        sink.this_turn = 0;
        lws_service(context, -1);
        if (sink.received < want)
            zclock_sleep(1);
    }
}

/* Sends n one-byte messages from the writer. */
static void send_many(int n)
{
    for (int i = 0; i < n; i++)
        cr_assert_eq(zmq_send(zsock_resolve(writer), "m", 1, 0), 1);
}

Test(zwatch, drains_what_arrives, .init = setup, .fini = teardown)
{
    zwatch_t *w = zwatch_new(context, vhost, reader_fd(), take, &sink);
    cr_assert_not_null(w);
    serve_until(1);
    cr_assert_eq(sink.received, 0);
    send_many(3);
    serve_until(3);
    cr_assert_eq(sink.received, 3);
    send_many(1);
    serve_until(4);
    cr_assert_eq(sink.received, 4);
    zwatch_destroy(&w);
    cr_assert_null(w);
    zwatch_destroy(&w);
}

Test(zwatch, messages_sent_before_watching_are_drained, .init = setup, .fini = teardown)
{
    send_many(5);
    zclock_sleep(20);
    /* Reading the socket's state consumes the edge, as a send would. */
    int events = 0;
    size_t len = sizeof events;
    zmq_getsockopt(sink.sock, ZMQ_EVENTS, &events, &len);
    zwatch_t *w = zwatch_new(context, vhost, reader_fd(), take, &sink);
    serve_until(5);
    cr_assert_eq(sink.received, 5);
    zwatch_destroy(&w);
}

Test(zwatch, soon_drains_after_the_edge_is_gone, .init = setup, .fini = teardown)
{
    zwatch_t *w = zwatch_new(context, vhost, reader_fd(), take, &sink);
    serve_until(1);
    send_many(2);
    zclock_sleep(20);
    int events = 0;
    size_t len = sizeof events;
    zmq_getsockopt(sink.sock, ZMQ_EVENTS, &events, &len);   /* eats the edge */
    cr_assert(events & ZMQ_POLLIN);
    zwatch_soon(w);
    serve_until(2);
    cr_assert_eq(sink.received, 2);
    zwatch_destroy(&w);
}

Test(zwatch, drains_in_bounded_bursts, .init = setup, .fini = teardown)
{
    zwatch_t *w = zwatch_new(context, vhost, reader_fd(), take, &sink);
    send_many(10 * ZWATCH_BURST + 3);
    serve_until(10 * ZWATCH_BURST + 3);
    cr_assert_eq(sink.received, 10 * ZWATCH_BURST + 3);
    cr_assert_leq(sink.most_per_turn, ZWATCH_BURST);
    zwatch_destroy(&w);
}

Test(zwatch, nothing_is_taken_after_destroy, .init = setup, .fini = teardown)
{
    zwatch_t *w = zwatch_new(context, vhost, reader_fd(), take, &sink);
    zwatch_soon(w);
    zwatch_destroy(&w);
    send_many(2);
    serve_until(1);
    cr_assert_eq(sink.received, 0);
}

Test(zwatch, outlives_its_context, .init = setup, .fini = teardown)
{
    zwatch_t *w = zwatch_new(context, vhost, reader_fd(), take, &sink);
    zwatch_soon(w);
    lws_context_destroy(context);
    context = NULL;
    zwatch_destroy(&w);
    cr_assert_null(w);
}

Test(zwatch, refuses_a_bad_fd, .init = setup, .fini = teardown)
{
    cr_assert_null(zwatch_new(context, vhost, -1, take, &sink));
}
