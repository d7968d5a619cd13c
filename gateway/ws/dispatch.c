/*  dispatch.c: client messages by type. See dispatch.h. */
#include "dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socket.h"

/* One known message type. */
typedef struct {
    const char *type;          /* its "type" */
    ws_handler_fn *fn;         /* its handler, NULL while not available */
    void *arg;                 /* the handler's argument */
} ws_route_t;

/* The API's client message types (docs/api.md); their order does not matter. */
enum { ROUTE_PING, ROUTE_RESUME, ROUTE_CHAT_SEND, ROUTE_COUNT };

struct ws_dispatch {
    ws_route_t routes[ROUTE_COUNT]; /* the table */
    ws_message_fn *on_message;      /* the hook of ws_dispatch_on_message, or NULL */
    void *on_message_arg;
};

static const char pong[] = "{\"type\":\"pong\"}";

/* {"type": "ping"}: {"type": "pong"}. */
static void on_ping(void *arg, ws_socket_t *sock, const json_t *message)
{
    (void) arg;
    (void) message;
    ws_send_text(sock, pong, sizeof pong - 1);
}

ws_dispatch_t *ws_dispatch_new(void)
{
    ws_dispatch_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->routes[ROUTE_PING] = (ws_route_t) { "ping", on_ping, NULL };
    /* Plugged in by the events part (gateway/events/), see dispatch.h. */
    self->routes[ROUTE_RESUME] = (ws_route_t) { "notifications.resume", NULL, NULL };
    self->routes[ROUTE_CHAT_SEND] = (ws_route_t) { "chat.send", NULL, NULL };
    return self;
}

void ws_dispatch_destroy(ws_dispatch_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free(*self_p);
    *self_p = NULL;
}

int ws_dispatch_set(ws_dispatch_t *self, const char *type, ws_handler_fn *fn, void *arg)
{
    for (size_t i = 0; i < ROUTE_COUNT; i++)
        if (strcmp(self->routes[i].type, type) == 0) {
            self->routes[i].fn = fn;
            self->routes[i].arg = arg;
            return 0;
        }
    return -1;
}

void ws_dispatch_on_message(ws_dispatch_t *self, ws_message_fn *fn, void *arg)
{
    self->on_message = fn;
    self->on_message_arg = arg;
}

/* Copies jansson's error text, made printable ASCII (it may quote client bytes). */
static void json_error_detail(const json_error_t *error, char detail[WS_DETAIL_MAX])
{
    int n = snprintf(detail, WS_DETAIL_MAX, "Invalid JSON: %s", error->text);
    for (int i = 0; i < n && i < WS_DETAIL_MAX - 1; i++)
        if ((unsigned char) detail[i] < 0x20 || (unsigned char) detail[i] >= 0x7f)
            detail[i] = '?';
}

/* The detail of an unknown type: the type quoted as JSON (escaped by jansson) when
 * it is short, else without it. */
static void unknown_type_detail(const char *type, size_t len, char detail[WS_DETAIL_MAX])
{
    char *quoted = NULL;
    if (len <= 64) {
        json_t *s = json_stringn(type, len);
        quoted = s ? json_dumps(s, JSON_ENCODE_ANY | JSON_ENSURE_ASCII) : NULL;
        json_decref(s);
    }
    if (quoted)
        snprintf(detail, WS_DETAIL_MAX, "Unknown message type %s.", quoted);
    else
        snprintf(detail, WS_DETAIL_MAX, "Unknown message type.");
    free(quoted);
}

ws_dispatch_status_t ws_dispatch_run(const ws_dispatch_t *self, ws_socket_t *sock,
                                     const char *text, size_t len,
                                     char detail[WS_DETAIL_MAX])
{
    json_error_t error;
    /* One message, one meaning (no duplicate keys); any value, so that a number or a
     * string gets the clearer "must be a JSON object". */
    json_t *message = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &error);
    if (!message) {
        json_error_detail(&error, detail);
        return WS_DISPATCH_REFUSED;
    }
    ws_dispatch_status_t status = WS_DISPATCH_REFUSED;
    const json_t *type = json_object_get(message, "type");
    if (!json_is_object(message)) {
        snprintf(detail, WS_DETAIL_MAX, "A message must be a JSON object.");
        goto done;
    }
    if (!json_is_string(type)) {
        snprintf(detail, WS_DETAIL_MAX, "A message must have a \"type\" string.");
        goto done;
    }
    const char *name = json_string_value(type);
    size_t name_len = json_string_length(type);
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        const ws_route_t *r = &self->routes[i];
        if (strlen(r->type) != name_len || memcmp(r->type, name, name_len) != 0)
            continue;
        if (self->on_message)
            self->on_message(self->on_message_arg, sock, r->type);
        if (!r->fn) {
            snprintf(detail, WS_DETAIL_MAX, "%s is not available.", r->type);
            goto done;
        }
        r->fn(r->arg, sock, message);
        status = WS_DISPATCH_HANDLED;
        goto done;
    }
    unknown_type_detail(name, name_len, detail);
done:
    json_decref(message);
    return status;
}
