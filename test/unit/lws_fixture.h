/*  lws_fixture.h: a real lws context without a listener, for the unit tests of the
 *  gateway's loop helpers and bus calls (test/unit/adopt.c, zwatch.c, calls.c).
 *  Header only: every test file is its own binary. */
#ifndef LWS_FIXTURE_H_INCLUDED
#define LWS_FIXTURE_H_INCLUDED

#include <criterion/criterion.h>
#include <libwebsockets.h>
#include <string.h>

/* A protocol callback with nothing to do (protocols[0] of a test vhost). */
static inline int fixture_idle_callback(struct lws *wsi, enum lws_callback_reasons reason,
                                        void *user, void *in, size_t len)
{
    (void) wsi;
    (void) reason;
    (void) user;
    (void) in;
    (void) len;
    return 0;
}

/* A context serving `protocols` on its "default" vhost, quiet but for errors;
 * asserts it could be made. */
static inline struct lws_context *fixture_context_new(const struct lws_protocols *protocols)
{
    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
    info.protocols = protocols;
    struct lws_context *context = lws_create_context(&info);
    cr_assert_not_null(context);
    cr_assert_not_null(lws_get_vhost_by_name(context, "default"));
    return context;
}

/* The vhost of a fixture context. */
static inline struct lws_vhost *fixture_vhost(struct lws_context *context)
{
    return lws_get_vhost_by_name(context, "default");
}

#endif
