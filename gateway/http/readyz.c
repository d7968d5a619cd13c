/*  readyz.c: the readiness probe. See readyz.h. */
#include "readyz.h"

#include <stdlib.h>

#include "log.h"

struct readyz {
    session_t *session;                       /* who waits for the answer */
    calls_t *calls;                           /* where the pings are in flight */
    size_t count;                             /* pings sent */
    size_t left;                              /* pings not answered yet */
    uint64_t ids[SETTINGS_SERVICES_MAX];      /* their calls, 0 once ended */
};

static const char ready_body[] = "{\"status\":\"ok\"}";

void readyz_cancel(calls_t *calls, readyz_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    readyz_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++)
        calls_cancel(calls, self->ids[i]);
    free(self);
    *self_p = NULL;
}

/* Ends the probe of s with 503. */
static void fail(session_t *s, calls_t *calls)
{
    readyz_cancel(calls, &s->probe);
    response_set_unavailable(&s->response);
    session_respond(s);
}

/* Completion of one ping. */
static void on_pong(void *arg, uint64_t id, const proto_msg_t *reply)
{
    readyz_t *self = arg;
    session_t *s = self->session;
    for (size_t i = 0; i < self->count; i++)
        if (self->ids[i] == id)
            self->ids[i] = 0;
    if (!reply || reply->status != PROTO_OK) {
        if (!reply) {
            http_server_t *srv = s->srv;
            log_warn("a readiness ping timed out after %ld ms",
                     srv->settings->request_timeout_ms);
        }
        fail(s, self->calls);
        return;
    }
    if (--self->left > 0)
        return;
    readyz_cancel(self->calls, &s->probe);
    response_set_static(&s->response, 200, RESPONSE_JSON, ready_body, sizeof ready_body - 1);
    session_respond(s);
}

void readyz_start(http_server_t *srv, session_t *s)
{
    const settings_t *settings = srv->settings;
    if (settings->service_count == 0) {
        response_set_static(&s->response, 200, RESPONSE_JSON, ready_body,
                            sizeof ready_body - 1);
        session_respond(s);
        return;
    }
    readyz_t *self = calloc(1, sizeof *self);
    if (!self) {
        response_set_internal(&s->response);
        session_respond(s);
        return;
    }
    self->session = s;
    self->calls = srv->calls;
    s->probe = self;
    s->state = SESSION_CALLING;
    for (size_t i = 0; i < settings->service_count; i++) {
        uint64_t id;
        msgpack_packer *pk = calls_begin(srv->calls, settings->services[i], "ping", 0, &id);
        msgpack_pack_nil(pk);
        if (calls_send(srv->calls, settings->request_timeout_ms, on_pong, self) != 0) {
            fail(s, srv->calls);
            return;
        }
        self->ids[self->count++] = id;
        self->left++;
    }
}
