/*  chat_fields.h: the fields of the chat routes, read as DRF reads them.
 *
 *  send's body: "text" a CharField (required, trimmed, 1..CHAT_TEXT_MAX characters) and
 *  "client_id" an optional CharField (at most CHAT_CLIENT_ID_MAX characters; null and
 *  empty text are taken as absent). history's query: "limit" as LimitOffsetPagination reads it
 *  (missing, 0, negative or not an integer: the default; above the maximum: the
 *  maximum), "before" an integer message id (optional).
 */
#ifndef CHAT_FIELDS_H_INCLUDED
#define CHAT_FIELDS_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>

#include "charfield.h"
#include "field_errors.h"

#define CHAT_TEXT_MAX 4000
#define CHAT_CLIENT_ID_MAX 64
#define CHAT_LIMIT_DEFAULT 50
#define CHAT_LIMIT_MAX 200

/* A send's fields; points into the request (see charfield_t). */
typedef struct {
    charfield_t text;            /* the trimmed text */
    bool has_client_id;          /* a client_id was given */
    charfield_t client_id;       /* the sender's idempotency key */
} chat_send_fields_t;

/* Reads data's text and client_id. Returns 0, or -1 after adding the errors. */
int chat_fields_send(const msgpack_object *data, chat_send_fields_t *fields,
                     field_errors_t *errors);

/* The page size of query's "limit" (1..CHAT_LIMIT_MAX); never fails. */
int64_t chat_fields_limit(const msgpack_object *query);

/*  Reads query's "before" into *before (*has false when absent or empty). Returns 0,
 *  or -1 after adding "A valid integer is required." under "before". */
int chat_fields_before(const msgpack_object *query, bool *has, int64_t *before,
                       field_errors_t *errors);

#endif
