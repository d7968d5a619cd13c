/*  Unit tests of adopt.c: who closes a descriptor, on success and on failure, inside
 *  a real lws context. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <libwebsockets.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "adopt.h"
#include "lws_fixture.h"

/* Close callbacks seen by the "raw" protocol. */
static int closed;

/* protocols[0] and "raw": counts RAW_CLOSE_FILE. */
static int raw_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                        void *in, size_t len)
{
    (void) wsi;
    (void) user;
    (void) in;
    (void) len;
    if (reason == LWS_CALLBACK_RAW_CLOSE_FILE)
        closed++;
    return 0;
}

static const struct lws_protocols protocols[] = {
    { "first", raw_callback, 0, 0, 0, NULL, 0 },
    { "raw", raw_callback, 0, 0, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 },
};

static struct lws_context *context;
static struct lws_vhost *vhost;

static void setup(void)
{
    context = fixture_context_new(protocols);
    lws_set_log_level(0, NULL);               /* the failure below is expected */
    vhost = fixture_vhost(context);
    closed = 0;
}

static void teardown(void)
{
    if (context)
        lws_context_destroy(context);
    context = NULL;
}

/* True when fd is an open descriptor. */
static bool is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

Test(adopt, raw_fd_belongs_to_lws_once_adopted, .init = setup, .fini = teardown)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    struct lws *wsi = adopt_raw_fd(vhost, p[0], "raw", NULL);
    cr_assert_not_null(wsi);
    cr_assert(is_open(p[0]));
    lws_context_destroy(context);
    context = NULL;
    cr_assert_eq(closed, 1);
    cr_assert_not(is_open(p[0]));
    close(p[1]);
}

Test(adopt, raw_fd_is_closed_when_adoption_fails, .init = setup, .fini = teardown)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    /* An unknown protocol fails in lws_adopt_descriptor_vhost1(), which leaves a raw
     * file open: the helper closes it, and lws keeps nothing that would close it
     * again. */
    cr_assert_null(adopt_raw_fd(vhost, p[0], "no-such-protocol", NULL));
    cr_assert_not(is_open(p[0]));
    int again = dup(p[1]);                    /* likely reuses p[0]'s number */
    lws_context_destroy(context);
    context = NULL;
    cr_assert_eq(closed, 0);
    cr_assert(is_open(again));
    close(again);
    close(p[1]);
}

Test(adopt, http_socket_belongs_to_lws_once_adopted, .init = setup, .fini = teardown)
{
    int s[2];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
    cr_assert_not_null(adopt_http_socket(vhost, s[0]));
    cr_assert(is_open(s[0]));
    lws_context_destroy(context);
    context = NULL;
    cr_assert_not(is_open(s[0]));
    close(s[1]);
}
