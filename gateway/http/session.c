/*  session.c: HTTP transaction state. See session.h. */
#include "session.h"

#include <stdlib.h>

void session_cancel_calls(gateway_t *gw, session_t *self)
{
    for (unsigned i = 0; i < self->call_count; i++)
        pending_take(gw->pending, self->first_call + i);
    self->call_count = 0;
}

void session_release(gateway_t *gw, session_t *self)
{
    session_cancel_calls(gw, self);
    free(self->path);
    self->path = NULL;
    free(self->host);
    self->host = NULL;
    query_destroy(&self->query);
    free(self->body);
    self->body = NULL;
    self->body_len = self->body_cap = self->body_expected = 0;
    response_clear(&self->response);
    self->state = SESSION_IDLE;
}

int session_respond(session_t *self)
{
    self->state = SESSION_RESPONDING;
    lws_callback_on_writable(self->wsi);
    return 0;
}
