/*  zwatch.c: a ZeroMQ socket in the lws loop. See zwatch.h. */
#include "zwatch.h"

#include <fcntl.h>
#include <stdlib.h>

#include "adopt.h"
#include "log.h"

struct zwatch {
    struct lws_context *context;      /* the loop (timer) */
    struct lws *wsi;                  /* the adopted dup of ZMQ_FD, NULL once closed */
    zwatch_recv_fn *recv;             /* takes and handles one message */
    void *arg;                        /* its argument */
    lws_sorted_usec_list_t soon;      /* drain on the next loop turn */
};

/* The one drain point: at most ZWATCH_BURST messages, then the timer again if the
 * socket was not emptied. */
static void drain(zwatch_t *self)
{
    for (int i = 0; i < ZWATCH_BURST; i++)
        if (!self->recv(self->arg))
            return;
    zwatch_soon(self);
}

/* Timer: the drain asked for by zwatch_soon(). */
static void on_soon(lws_sorted_usec_list_t *sul)
{
    drain(lws_container_of(sul, zwatch_t, soon));
}

void zwatch_soon(zwatch_t *self)
{
    if (self->wsi)
        lws_sul_schedule(self->context, 0, &self->soon, on_soon, ZWATCH_SOON_US);
}

int zwatch_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                    void *in, size_t len)
{
    (void) user;
    (void) in;
    (void) len;
    zwatch_t *self = lws_get_opaque_user_data(wsi);
    if (!self)
        return 0;
    if (reason == LWS_CALLBACK_RAW_RX_FILE)
        drain(self);
    else if (reason == LWS_CALLBACK_RAW_CLOSE_FILE && self->wsi == wsi) {
        /* lws closed the dup (context destruction): no more drains. */
        lws_sul_cancel(&self->soon);
        self->wsi = NULL;
    }
    return 0;
}

zwatch_t *zwatch_new(struct lws_context *context, struct lws_vhost *vhost, int zmq_fd,
                     zwatch_recv_fn *recv, void *arg)
{
    zwatch_t *self = calloc(1, sizeof *self);
    if (!self)
        goto fail;
    self->context = context;
    self->recv = recv;
    self->arg = arg;
    int copy = zmq_fd >= 0 ? fcntl(zmq_fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (copy < 0)
        goto fail;
    self->wsi = adopt_raw_fd(vhost, copy, ZWATCH_PROTOCOL, self);
    if (!self->wsi)
        goto fail;
    /* Messages may have arrived before the fd was watched: their edge is gone. */
    zwatch_soon(self);
    return self;
fail:
    log_error("cannot watch a ZeroMQ socket in the event loop");
    free(self);
    return NULL;
}

void zwatch_destroy(zwatch_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    zwatch_t *self = *self_p;
    if (self->wsi) {
        lws_sul_cancel(&self->soon);
        lws_set_opaque_user_data(self->wsi, NULL);
        lws_set_timeout(self->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
        self->wsi = NULL;
    }
    free(self);
    *self_p = NULL;
}
