/*  lease.c: renewing this gateway's presence lease. See lease.h. */
#include "lease.h"

#include <stdlib.h>

#include "log.h"
#include "presence.h"
#include "proto.h"

struct lease {
    struct lws_context *context;
    calls_t *calls;
    const char *gateway_id;
    long ttl_ms;
    bool draining;
    uint64_t call;                    /* the renewal in flight, 0 when none */
    int64_t last_ok_us;               /* when a renewal last succeeded (0: never) */
    lws_sorted_usec_list_t timer;
    lease_lost_fn *lost;
    lease_renewed_fn *renewed;
    void *arg;
};

static void renew(lease_t *self);

static void on_timer(lws_sorted_usec_list_t *sul)
{
    renew(lws_container_of(sul, lease_t, timer));
}

/* A renewal ended: remember when it succeeded, and say so when the rows may have
 * been swept in between. */
static void renewed(void *arg, uint64_t id, const proto_msg_t *reply)
{
    lease_t *self = arg;
    (void) id;
    self->call = 0;
    if (!reply || reply->status != PROTO_OK) {
        log_warn("presence lease not renewed (status %d)", reply ? reply->status : 0);
        return;
    }
    int64_t now = lws_now_usecs();
    bool gap = self->last_ok_us && now - self->last_ok_us > self->ttl_ms * 1000;
    self->last_ok_us = now;
    if (gap && self->lost) {
        log_warn("presence lease renewed after a gap longer than the lease: announcing users again");
        self->lost(self->arg);
    }
    if (self->renewed)
        self->renewed(self->arg);
}

/* How soon a renewal that could not be sent (the bus not connected yet, at start) is
 * tried again. */
#define LEASE_RESEND_MS 200

static void renew(lease_t *self)
{
    lws_sul_schedule(self->context, 0, &self->timer, on_timer,
                     (lws_usec_t) self->ttl_ms * 1000 / 3);
    if (self->call)
        calls_cancel(self->calls, self->call);     /* an older one that never ended */
    self->call = 0;
    uint64_t id = 0;
    msgpack_packer *pk = calls_begin(self->calls, WS_PRESENCE_SERVICE, "presence.lease", 0, &id);
    msgpack_pack_map(pk, 3);
    proto_pack_kv_str(pk, "gateway", self->gateway_id);
    proto_pack_kv_int(pk, "ttl_ms", self->ttl_ms);
    proto_pack_kv_bool(pk, "draining", self->draining);
    if (calls_send(self->calls, self->ttl_ms / 3, renewed, self) == 0)
        self->call = id;
    else
        lws_sul_schedule(self->context, 0, &self->timer, on_timer,
                         (lws_usec_t) LEASE_RESEND_MS * 1000);
}

lease_t *lease_new(struct lws_context *context, calls_t *calls, const char *gateway_id,
                   long ttl_ms, lease_lost_fn *lost, lease_renewed_fn *renewed, void *arg)
{
    lease_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->context = context;
    self->calls = calls;
    self->gateway_id = gateway_id;
    self->ttl_ms = ttl_ms < LEASE_TTL_MIN_MS ? LEASE_TTL_MIN_MS
                 : ttl_ms > LEASE_TTL_MAX_MS ? LEASE_TTL_MAX_MS : ttl_ms;
    self->lost = lost;
    self->renewed = renewed;
    self->arg = arg;
    renew(self);
    return self;
}

void lease_drain(lease_t *self)
{
    if (!self || self->draining)
        return;
    self->draining = true;
    renew(self);
}

void lease_destroy(lease_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    lease_t *self = *self_p;
    lws_sul_cancel(&self->timer);
    calls_cancel(self->calls, self->call);
    free(self);
    *self_p = NULL;
}
