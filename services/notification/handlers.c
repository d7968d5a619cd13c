/*  handlers.c: the notification service's bus methods, one function each. See
 *  notification_service.h.
 *
 *  Every statement returns whether the caller still exists with its answer
 *  (queries.c), so the order of answers is DRF's: 401, then 404, then 400.
 */
#include "notification_service.h"

#include <stdio.h>
#include <string.h>

#include "db_value.h"
#include "field_errors.h"
#include "notification_record.h"
#include "page.h"
#include "request_path.h"

/* DRF's messages for the integer and boolean fields of the gateway-only methods. */
#define REQUIRED "This field is required."
#define NOT_INTEGER "A valid integer is required."
#define NOT_BOOLEAN "Must be a valid boolean."
#define NOT_STRING "Not a valid string."

/* Longest gateway name (sql/004 gateway_leases_name). */
#define GATEWAY_MAX 64

/* ---- Fields of the gateway-only methods ---- */

/*  Reads integer field `key` of body into *value, within [min, max] (required).
 *  Returns 0, or -1 with the refusal added to errors. */
static int read_int(const msgpack_object *body, const char *key, int64_t min, int64_t max,
                    int64_t *value, field_errors_t *errors)
{
    proto_field_t f = proto_get_int(body, key, value);
    if (f == PROTO_FIELD_MISSING) {
        field_errors_add(errors, key, REQUIRED);
    } else if (f != PROTO_FIELD_OK) {
        field_errors_add(errors, key, f == PROTO_FIELD_NULL ? "This field may not be null."
                                                            : NOT_INTEGER);
    } else if (*value < min) {
        field_errors_add(errors, key, "Ensure this value is greater than or equal to %lld.",
                         (long long) min);
    } else if (*value > max) {
        field_errors_add(errors, key, "Ensure this value is less than or equal to %lld.",
                         (long long) max);
    } else {
        return 0;
    }
    return -1;
}

/*  Reads "gateway" (1..64 of [A-Za-z0-9_.-]) into buf. Returns 0, or -1 with the
 *  refusal added to errors. */
static int read_gateway(const msgpack_object *body, char *buf, field_errors_t *errors)
{
    const char *s = NULL;
    size_t n = 0;
    proto_field_t f = proto_get_str(body, "gateway", &s, &n);
    if (f == PROTO_FIELD_MISSING) {
        field_errors_add(errors, "gateway", REQUIRED);
        return -1;
    }
    if (f != PROTO_FIELD_OK) {
        field_errors_add(errors, "gateway", f == PROTO_FIELD_NULL ? "This field may not be null."
                                                                 : NOT_STRING);
        return -1;
    }
    static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789_.-";
    bool valid = n >= 1 && n <= GATEWAY_MAX;
    for (size_t i = 0; valid && i < n; i++)
        valid = s[i] != 0 && strchr(allowed, s[i]) != NULL;
    if (!valid) {
        field_errors_add(errors, "gateway",
                         "Enter 1 to 64 characters of letters, digits, '_', '.' or '-'.");
        return -1;
    }
    memcpy(buf, s, n);
    buf[n] = 0;
    return 0;
}

/* Packs the errors, returns 400. */
static proto_status_t invalid(const field_errors_t *errors, msgpack_packer *out)
{
    field_errors_pack(errors, out);
    return PROTO_INVALID;
}

/* Packs the empty map {} and returns 200. */
static proto_status_t ok_empty(msgpack_packer *out)
{
    msgpack_pack_map(out, 0);
    return PROTO_OK;
}

/* ---- REST ---- */

/*  True when ?unread= asks for unread notifications only: "true" or "1" (any case
 *  of "true"), as a DRF view testing query_params.get("unread") against them; any
 *  other value lists everything, never an error. */
static bool unread_only(const msgpack_object *query)
{
    const char *s = NULL;
    size_t n = 0;
    if (proto_get_str(query, "unread", &s, &n) != PROTO_FIELD_OK)
        return false;
    return (n == 4 && strncasecmp(s, "true", 4) == 0) || (n == 1 && s[0] == '1');
}

/* notification.list: the caller's notifications, newest first, paginated. */
proto_status_t notification_list(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    bool unread = unread_only(proto_map_get(&req->body, "query"));
    return page_of_caller(ctx->db, req, unread ? NOTIFICATION_Q_LIST_UNREAD : NOTIFICATION_Q_LIST,
                          notification_record_pack, out);
}

/*  Runs a statement of $1 caller (and $2 the route's id when with_id) whose first
 *  column says the caller exists and second holds a count. Returns PROTO_OK with the
 *  count in *count, or the status to answer (401 packed, or a failure). */
static proto_status_t caller_count(service_ctx_t *ctx, const proto_msg_t *req,
                                   const char *statement, bool with_id, long long *count,
                                   msgpack_packer *out)
{
    db_value_id_t caller, id;
    const char *params[] = { db_value_id(&caller, (int64_t) req->user_id),
                             db_value_id(&id, request_path_id(req)) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, statement, with_id ? 2 : 1, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    proto_status_t status = PROTO_OK;
    if (!db_value_true(res, 0, 0))
        status = service_user_not_found(out);
    else if (db_value_int(res, 0, 1, count) != 0)
        status = PROTO_INTERNAL;
    PQclear(res);
    return status;
}

/* notification.unread_count: {"count": N}. */
proto_status_t notification_unread_count(service_ctx_t *ctx, const proto_msg_t *req,
                                         msgpack_packer *out)
{
    long long count = 0;
    proto_status_t status = caller_count(ctx, req, NOTIFICATION_Q_UNREAD_COUNT, false, &count, out);
    if (status != PROTO_OK)
        return status;
    msgpack_pack_map(out, 1);
    proto_pack_kv_int(out, "count", count);
    return PROTO_OK;
}

/* notification.read: marks {id} read and answers it (idempotent). */
proto_status_t notification_read(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    db_value_id_t caller, id;
    const char *params[] = { db_value_id(&caller, (int64_t) req->user_id),
                             db_value_id(&id, request_path_id(req)) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, NOTIFICATION_Q_READ, 2, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    proto_status_t status;
    if (!db_value_true(res, 0, 0))
        status = service_user_not_found(out);
    else if (PQgetisnull(res, 0, 1))
        status = PROTO_NOT_FOUND;
    else
        status = notification_record_pack(out, res, 0, 1) == 0 ? PROTO_OK : PROTO_INTERNAL;
    PQclear(res);
    return status;
}

/* notification.read_all: marks every unread one read; {"updated": N}. */
proto_status_t notification_read_all(service_ctx_t *ctx, const proto_msg_t *req,
                                     msgpack_packer *out)
{
    long long count = 0;
    proto_status_t status = caller_count(ctx, req, NOTIFICATION_Q_READ_ALL, false, &count, out);
    if (status != PROTO_OK)
        return status;
    msgpack_pack_map(out, 1);
    proto_pack_kv_int(out, "updated", count);
    return PROTO_OK;
}

/* notification.delete: 204, or 404 when {id} is not the caller's. */
proto_status_t notification_delete(service_ctx_t *ctx, const proto_msg_t *req,
                                   msgpack_packer *out)
{
    long long count = 0;
    proto_status_t status = caller_count(ctx, req, NOTIFICATION_Q_DELETE, true, &count, out);
    if (status != PROTO_OK)
        return status;
    return count > 0 ? PROTO_NO_CONTENT : PROTO_NOT_FOUND;
}

/* ---- Real time (gateways) ---- */

/* notification.replay: {"results": [ascending, id > after], "more": bool}. */
proto_status_t notification_replay(service_ctx_t *ctx, const proto_msg_t *req,
                                   msgpack_packer *out)
{
    field_errors_t errors;
    field_errors_init(&errors);
    int64_t after = 0, limit = 0;
    int bad = read_int(&req->body, "after", 0, INT64_MAX, &after, &errors);
    bad |= read_int(&req->body, "limit", 1, NOTIFICATION_REPLAY_MAX, &limit, &errors);
    if (bad)
        return invalid(&errors, out);
    db_value_id_t caller, from, rows;
    /* One row more than the page: its presence is "more". */
    const char *params[] = { db_value_id(&caller, (int64_t) req->user_id),
                             db_value_id(&from, after), db_value_id(&rows, limit + 1) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, NOTIFICATION_Q_REPLAY, 3, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    proto_status_t status = PROTO_OK;
    if (!db_value_true(res, 0, 0)) {
        status = service_user_not_found(out);
        goto done;
    }
    int found = PQgetisnull(res, 0, 1) ? 0 : PQntuples(res);
    int shown = found > limit ? (int) limit : found;
    msgpack_pack_map(out, 2);
    proto_pack_str(out, "results");
    msgpack_pack_array(out, (uint32_t) shown);
    for (int i = 0; i < shown; i++)
        if (notification_record_pack(out, res, i, 1) != 0) {
            status = PROTO_INTERNAL;     /* the partial body is discarded */
            goto done;
        }
    proto_pack_kv_bool(out, "more", found > limit);
done:
    PQclear(res);
    return status;
}

/* notification.presence.open: the gateway's first socket of the caller. */
proto_status_t notification_presence_open(service_ctx_t *ctx, const proto_msg_t *req,
                                          msgpack_packer *out)
{
    field_errors_t errors;
    field_errors_init(&errors);
    char gateway[GATEWAY_MAX + 1];
    int64_t ttl = 0;
    int bad = read_gateway(&req->body, gateway, &errors);
    bad |= read_int(&req->body, "ttl_ms", 1000, 60000, &ttl, &errors);
    if (bad)
        return invalid(&errors, out);
    char ttl_text[24];
    snprintf(ttl_text, sizeof ttl_text, "%lld", (long long) ttl);
    db_value_id_t user;
    const char *params[] = { gateway, db_value_id(&user, (int64_t) req->user_id), ttl_text };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, NOTIFICATION_Q_PRESENCE_OPEN, 3, params, &res);
    /* A user deleted meanwhile fails the presence row's foreign key. */
    if (rc == DB_FOREIGN_KEY)
        return service_user_not_found(out);
    if (rc != DB_OK)
        return db_value_failure(rc);
    bool exists = db_value_true(res, 0, 0);
    PQclear(res);
    if (!exists)
        return (proto_status_t) service_user_not_found(out);
    return ok_empty(out);
}

/* notification.presence.close: the gateway's last socket of the caller closed. */
proto_status_t notification_presence_close(service_ctx_t *ctx, const proto_msg_t *req,
                                           msgpack_packer *out)
{
    field_errors_t errors;
    field_errors_init(&errors);
    char gateway[GATEWAY_MAX + 1];
    if (read_gateway(&req->body, gateway, &errors) != 0)
        return invalid(&errors, out);
    db_value_id_t user;
    const char *params[] = { gateway, db_value_id(&user, (int64_t) req->user_id) };
    db_status_t rc = db_run(ctx->db, NOTIFICATION_Q_PRESENCE_CLOSE, 2, params);
    return rc == DB_OK ? ok_empty(out) : db_value_failure(rc);
}

/* notification.presence.lease: the gateway is alive for ttl_ms more. */
proto_status_t notification_presence_lease(service_ctx_t *ctx, const proto_msg_t *req,
                                           msgpack_packer *out)
{
    field_errors_t errors;
    field_errors_init(&errors);
    char gateway[GATEWAY_MAX + 1];
    int64_t ttl = 0;
    bool draining = false;
    int bad = read_gateway(&req->body, gateway, &errors);
    bad |= read_int(&req->body, "ttl_ms", 1000, 60000, &ttl, &errors);
    proto_field_t f = proto_get_bool(&req->body, "draining", &draining);
    if (f == PROTO_FIELD_WRONG_TYPE || f == PROTO_FIELD_NULL) {
        field_errors_add(&errors, "draining", NOT_BOOLEAN);
        bad = -1;
    }
    if (bad)
        return invalid(&errors, out);
    char ttl_text[24];
    snprintf(ttl_text, sizeof ttl_text, "%lld", (long long) ttl);
    const char *params[] = { gateway, ttl_text, draining ? "true" : "false" };
    db_status_t rc = db_run(ctx->db, NOTIFICATION_Q_PRESENCE_LEASE, 3, params);
    return rc == DB_OK ? ok_empty(out) : db_value_failure(rc);
}
