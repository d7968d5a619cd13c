/*  session.c: HTTP transaction state. See session.h. */
#include "session.h"

#include <stdlib.h>

#include "calls.h"
#include "conn.h"
#include "readyz.h"
#include "upgrade.h"

/* Withdraws the session's calls in flight (late replies are then dropped). */
static void cancel_calls(http_server_t *srv, session_t *self)
{
    upgrade_release(srv, self);
    calls_cancel(srv->calls, self->call);
    self->call = 0;
    readyz_cancel(srv->calls, &self->probe);
}

void session_release(http_server_t *srv, session_t *self)
{
    cancel_calls(srv, self);
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

void session_upgrade(session_t *self)
{
    self->state = SESSION_UPGRADING;
    conn_respond(self->conn);
}

int session_respond(session_t *self)
{
    self->state = SESSION_RESPONDING;
    conn_respond(self->conn);
    return 0;
}
