/*  server.c: the HTTP server's shared state. See server.h. */
#include "server.h"

#include <stdlib.h>

http_server_t *http_server_new(const settings_t *settings)
{
    http_server_t *self = calloc(1, sizeof *self);
    if (!self)
        goto fail;
    self->settings = settings;
    self->tokens = access_tokens_new(settings->jwt_secret, settings->jwt_secret_len);
    self->cors = cors_new(settings->cors_origins);
    self->docs = docs_new(settings->redoc_js);
    if (!self->tokens || !self->cors || !self->docs)
        goto fail;
    return self;
fail:
    http_server_destroy(&self);
    return NULL;
}

void http_server_destroy(http_server_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    http_server_t *self = *self_p;
    access_tokens_destroy(&self->tokens);
    cors_destroy(&self->cors);
    docs_destroy(&self->docs);
    free(self);
    *self_p = NULL;
}
