/*  chat_fields.c: the chat routes' fields. See chat_fields.h. */
#include "chat_fields.h"

#include <string.h>

#include "proto.h"
#include "pyint.h"

int chat_fields_send(const msgpack_object *data, chat_send_fields_t *fields,
                     field_errors_t *errors)
{
    static const charfield_rules_t text_rules = { .required = true, .allow_blank = false };
    /* An empty key (after trimming) is no key: a client that always sends the field
     * need not leave it out when it has none. */
    static const charfield_rules_t key_rules = { .required = false, .allow_blank = true };
    memset(fields, 0, sizeof *fields);
    int rc = 0;
    if (charfield_read(data, "text", &text_rules, &fields->text, errors) != CHARFIELD_OK
        || !charfield_check(&fields->text, "text", CHAT_TEXT_MAX, errors))
        rc = -1;
    /* A client sending "client_id": null means "no key", not an error. */
    const msgpack_object *key = proto_map_get(data, "client_id");
    if (key && key->type != MSGPACK_OBJECT_NIL) {
        charfield_status_t st = charfield_read(data, "client_id", &key_rules, &fields->client_id,
                                               errors);
        if (st == CHARFIELD_ERROR
            || (st == CHARFIELD_OK
                && !charfield_check(&fields->client_id, "client_id", CHAT_CLIENT_ID_MAX, errors)))
            rc = -1;
        else
            fields->has_client_id = st == CHARFIELD_OK && fields->client_id.len > 0;
    }
    return rc;
}

int64_t chat_fields_limit(const msgpack_object *query)
{
    const msgpack_object *v = proto_map_get(query, "limit");
    int64_t limit;
    /* DRF's _positive_int(strict=True): not an integer, negative or 0 -> default. */
    if (!v || v->type != MSGPACK_OBJECT_STR
        || pyint_parse(v->via.str.ptr, v->via.str.size, &limit, NULL) != 0 || limit <= 0)
        return CHAT_LIMIT_DEFAULT;
    return limit > CHAT_LIMIT_MAX ? CHAT_LIMIT_MAX : limit;
}

int chat_fields_before(const msgpack_object *query, bool *has, int64_t *before,
                       field_errors_t *errors)
{
    const msgpack_object *v = proto_map_get(query, "before");
    *has = false;
    if (!v || v->type == MSGPACK_OBJECT_NIL || (v->type == MSGPACK_OBJECT_STR && v->via.str.size == 0))
        return 0;
    /* From INT64_MAX up, the bound is refused: past it no bigint holds it, and
     * INT64_MAX is what any larger number clamps to. Below INT64_MIN it is clamped
     * to it: a bound below every id, as any negative one is. */
    int64_t id;
    if (v->type != MSGPACK_OBJECT_STR
        || pyint_parse(v->via.str.ptr, v->via.str.size, &id, NULL) != 0 || id == INT64_MAX) {
        field_errors_add(errors, "before", "A valid integer is required.");
        return -1;
    }
    *has = true;
    *before = id;
    return 0;
}
