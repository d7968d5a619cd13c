/*  response.c: building responses. See response.h. */
#include "response.h"

#include <stdlib.h>
#include <string.h>

static const char internal_body[] = "{\"detail\":\"A server error occurred.\"}";

/* Drops the current body (freeing it when owned). */
static void drop_body(response_t *self)
{
    if (self->body_owned)
        free((char *) self->body);
    self->body = NULL;
    self->body_len = 0;
    self->body_owned = false;
    self->content_type = NULL;
}

void response_clear(response_t *self)
{
    drop_body(self);
    memset(self, 0, sizeof *self);
}

void response_set_internal(response_t *self)
{
    drop_body(self);
    self->status = 500;
    self->content_type = RESPONSE_JSON;
    self->body = internal_body;
    self->body_len = sizeof internal_body - 1;
}

void response_set_json(response_t *self, int status, const json_t *value)
{
    char *text = value ? json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    if (!text) {
        response_set_internal(self);
        return;
    }
    drop_body(self);
    self->status = status;
    self->content_type = RESPONSE_JSON;
    self->body = text;
    self->body_len = strlen(text);
    self->body_owned = true;
}

void response_set_detail(response_t *self, int status, const char *detail)
{
    json_t *value = json_pack("{s:s}", "detail", detail);
    response_set_json(self, status, value);
    json_decref(value);
}

void response_set_detail_code(response_t *self, int status, const char *detail,
                              const char *code)
{
    json_t *value = json_pack("{s:s, s:s}", "detail", detail, "code", code);
    response_set_json(self, status, value);
    json_decref(value);
}

void response_set_static(response_t *self, int status, const char *content_type,
                         const char *body, size_t len)
{
    drop_body(self);
    self->status = status;
    self->content_type = content_type;
    self->body = body;
    self->body_len = len;
}

void response_set_empty(response_t *self, int status)
{
    drop_body(self);
    self->status = status;
}

void response_set_unavailable(response_t *self)
{
    response_set_detail(self, 503, "Service temporarily unavailable.");
    self->retry_after = 1;
}
