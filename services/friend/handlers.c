/*  handlers.c: the friend service's bus methods, one function each.
 *
 *  The writes are single conditional statements or short transactions whose
 *  correctness under concurrency comes from the database (queries.c explains how).
 *  A write that loses a race is retried a few times: a serialization failure or
 *  deadlock, or a row that changed between two statements.
 *
 *  Every method answers 401 (service_user_not_found) when the caller's account no
 *  longer exists: the check rides along with the method's own query (a foreign key on
 *  insert, an EXISTS in reads) or runs only on the error path. Order of answers, as
 *  DRF's: 401, then 404, then 403, then 400.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db_value.h"
#include "field_errors.h"
#include "friend_fields.h"
#include "friend_request_record.h"
#include "friend_service.h"
#include "log.h"
#include "page.h"
#include "request_path.h"
#include "serializer_data.h"
#include "user_record.h"

/* Attempts of a write that lost a race before answering 503. */
#define WRITE_ATTEMPTS 12

/* Returned by one attempt of a write that must be tried again. */
#define RETRY (-1)

#define NOT_PENDING "This friend request has already been answered."

/* Sleeps a little before attempt number `attempt` (1, 2, ...) of a lost race. */
static void backoff(int attempt)
{
    usleep((useconds_t) (attempt * 500 + (getpid() + attempt * 7919) % 1000));
}

/*  Does the caller's account still exist? Returns 1 or 0, or a failure status (a
 *  proto_status_t, never 0 or 1) when the database could not say. */
static int caller_exists(service_ctx_t *ctx, int64_t caller)
{
    db_value_id_t id;
    const char *params[] = { db_value_id(&id, caller) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, "fr_caller", 1, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    int exists = db_value_true(res, 0, 0) ? 1 : 0;
    PQclear(res);
    return exists;
}

/*  For an error path: 401 when the caller is gone, otherwise packs the field errors
 *  and returns 400 (or the database failure). */
static int caller_or_invalid(service_ctx_t *ctx, int64_t caller, const field_errors_t *errors,
                             msgpack_packer *out)
{
    int exists = caller_exists(ctx, caller);
    if (exists == 0)
        return service_user_not_found(out);
    if (exists != 1)
        return exists;
    field_errors_pack(errors, out);
    return PROTO_INVALID;
}

/* Packs the single non_field_errors message of a refused request after the 401 check. */
static int refuse(service_ctx_t *ctx, int64_t caller, const char *message, msgpack_packer *out)
{
    field_errors_t errors;
    field_errors_init(&errors);
    field_errors_add(&errors, "non_field_errors", "%s", message);
    return caller_or_invalid(ctx, caller, &errors, out);
}

/*  Accepts request `id` as its receiver `caller`. Packs the FriendRequest and returns
 *  PROTO_OK, RETRY when it was no longer pending, or a failure. */
static int accept_request(service_ctx_t *ctx, int64_t caller, long long id, msgpack_packer *out)
{
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, id), db_value_id(&b, caller), "accepted" };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, "fr_answer", 3, params, &res);
    if (rc == DB_SERIALIZATION)
        return RETRY;
    if (rc != DB_OK)
        return db_value_failure(rc);
    int status = RETRY;
    if (PQntuples(res) == 1)
        status = friend_request_pack(out, res, 0, 0) == 0 ? PROTO_OK : PROTO_INTERNAL;
    PQclear(res);
    return status;
}

/*  The pair already has a pending request (fr_insert did nothing): ours is a
 *  duplicate, theirs gets accepted. RETRY when it has gone meanwhile. */
static int create_on_conflict(service_ctx_t *ctx, int64_t caller, int64_t receiver,
                              msgpack_packer *out)
{
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, caller), db_value_id(&b, receiver) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, "fr_pending_pair", 2, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    long long id = 0, sender = 0;
    int found = PQntuples(res) == 1 && db_value_int(res, 0, 0, &id) == 0
                && db_value_int(res, 0, 1, &sender) == 0;
    PQclear(res);
    if (!found)
        return RETRY;
    if (sender == caller)
        return refuse(ctx, caller, "A pending friend request to this user already exists.", out);
    return accept_request(ctx, caller, id, out);
}

/*  The insert violated a foreign key: the caller is gone (401) or the receiver does
 *  not exist (400). */
static int create_missing_user(service_ctx_t *ctx, int64_t caller, const char *constraint,
                               const friend_receiver_t *receiver, msgpack_packer *out)
{
    if (strcmp(constraint, "friend_requests_sender_fk") == 0)
        return service_user_not_found(out);
    field_errors_t errors;
    field_errors_init(&errors);
    field_errors_add(&errors, "receiver", "Invalid pk \"%s\" - object does not exist.",
                     receiver->shown);
    return caller_or_invalid(ctx, caller, &errors, out);
}

/*  One attempt at sending caller -> receiver: insert the pending request and, in the
 *  same transaction, check the two are not friends already and notify the receiver.
 *  Returns the status, or RETRY. */
static int create_attempt(service_ctx_t *ctx, int64_t caller, const friend_receiver_t *receiver,
                          msgpack_packer *out)
{
    db_value_id_t a, b, c;
    const char *params[] = { db_value_id(&a, caller), db_value_id(&b, receiver->id), NULL };
    PGresult *res = NULL;
    bool open = false;
    long long id = 0;
    int status;
    db_status_t rc = db_begin(ctx->db);
    if (rc != DB_OK) {
        status = db_value_failure(rc);
        goto cleanup;
    }
    open = true;
    rc = db_exec(ctx->db, "fr_insert", 2, params, &res);
    if (rc == DB_FOREIGN_KEY) {
        char constraint[64];
        snprintf(constraint, sizeof constraint, "%s", db_error_constraint(ctx->db));
        db_rollback(ctx->db);
        open = false;
        status = create_missing_user(ctx, caller, constraint, receiver, out);
        goto cleanup;
    }
    if (rc != DB_OK) {
        status = rc == DB_SERIALIZATION ? RETRY : db_value_failure(rc);
        goto cleanup;
    }
    if (db_value_int(res, 0, 0, &id) != 0) {
        /* The pair has a pending request already: nothing was written. */
        db_rollback(ctx->db);
        open = false;
        status = create_on_conflict(ctx, caller, receiver->id, out);
        goto cleanup;
    }
    PQclear(res);
    params[2] = db_value_id(&c, id);
    rc = db_exec(ctx->db, "fr_created", 3, params, &res);
    if (rc != DB_OK || PQntuples(res) != 1) {
        status = rc == DB_SERIALIZATION ? RETRY : rc == DB_OK ? PROTO_INTERNAL : db_value_failure(rc);
        goto cleanup;
    }
    if (db_value_true(res, 0, 0)) {
        proto_pack_field_error(out, "non_field_errors", "You are already friends with this user.");
        status = PROTO_INVALID;
        goto cleanup;
    }
    /* Packed before COMMIT: if the commit fails, the failure status discards it. */
    if (friend_request_pack(out, res, 0, 1) != 0) {
        status = PROTO_INTERNAL;
        goto cleanup;
    }
    rc = db_commit(ctx->db);
    open = false;
    status = rc == DB_OK ? PROTO_CREATED : rc == DB_SERIALIZATION ? PROTO_UNAVAILABLE : db_value_failure(rc);
cleanup:
    PQclear(res);
    if (open)
        db_rollback(ctx->db);
    return status;
}

/*  friend.request_create: sends a friend request to data.receiver (201), or accepts
 *  the pending one that user sent the caller (200). */
static int request_create(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    int64_t caller = (int64_t) req->user_id;
    const msgpack_object *data = proto_map_get(&req->body, "data");
    field_errors_t errors;
    field_errors_init(&errors);
    friend_receiver_t receiver;
    if (!serializer_data_check(data, SERIALIZER_DATA_NONE, &errors)
        || friend_fields_receiver(data, &receiver, &errors) != 0)
        return caller_or_invalid(ctx, caller, &errors, out);
    if (receiver.id == 0) {
        field_errors_add(&errors, "receiver", "Invalid pk \"%s\" - object does not exist.",
                         receiver.shown);
        return caller_or_invalid(ctx, caller, &errors, out);
    }
    if (receiver.id == caller)
        return refuse(ctx, caller, "You cannot send a friend request to yourself.", out);
    for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
        /* An attempt that returns RETRY has packed nothing. */
        int status = create_attempt(ctx, caller, &receiver, out);
        if (status != RETRY)
            return status;
        backoff(attempt);
    }
    log_warn("friend.request_create: gave up after %d attempts", WRITE_ATTEMPTS);
    return PROTO_UNAVAILABLE;
}

typedef enum { ANSWER, CANCEL } request_action_t;

/*  Why an answer or cancel of request `id` by caller changed nothing: 401, 404 (not
 *  the caller's), 403 (the wrong side of it), 400 (body errors, then not pending), or
 *  RETRY when it is pending and the caller's after all (it changed in between). */
static int request_refused(service_ctx_t *ctx, int64_t caller, int64_t id,
                           request_action_t action, const field_errors_t *errors,
                           msgpack_packer *out)
{
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, caller), db_value_id(&b, id) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, "fr_lookup", 2, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    bool caller_exists = db_value_true(res, 0, 0);
    long long sender = 0, receiver = 0;
    bool found = db_value_int(res, 0, 1, &sender) == 0
                 && db_value_int(res, 0, 2, &receiver) == 0;
    bool pending = found && strcmp(PQgetvalue(res, 0, 3), "pending") == 0;
    PQclear(res);
    if (!caller_exists)
        return service_user_not_found(out);
    if (!found || (sender != caller && receiver != caller))
        return PROTO_NOT_FOUND;
    if ((action == ANSWER && sender == caller) || (action == CANCEL && receiver == caller))
        return PROTO_FORBIDDEN;
    if (field_errors_any(errors)) {
        field_errors_pack(errors, out);
        return PROTO_INVALID;
    }
    if (!pending) {
        proto_pack_field_error(out, "non_field_errors", NOT_PENDING);
        return PROTO_INVALID;
    }
    return RETRY;
}

/*  friend.request_answer: the receiver accepts or rejects a pending request. */
static int request_answer(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    int64_t caller = (int64_t) req->user_id, id = request_path_id(req);
    const msgpack_object *data = proto_map_get(&req->body, "data");
    field_errors_t errors;
    field_errors_init(&errors);
    const char *answer = NULL;
    if (!serializer_data_check(data, SERIALIZER_DATA_NONE, &errors)
        || friend_fields_status(data, &answer, &errors) != 0)
        return request_refused(ctx, caller, id, ANSWER, &errors, out);
    for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
        db_value_id_t a, b;
        const char *params[] = { db_value_id(&a, id), db_value_id(&b, caller), answer };
        PGresult *res = NULL;
        db_status_t rc = db_exec(ctx->db, "fr_answer", 3, params, &res);
        int status = RETRY;
        if (rc == DB_OK && PQntuples(res) == 1)
            status = friend_request_pack(out, res, 0, 0) == 0 ? PROTO_OK : PROTO_INTERNAL;
        else if (rc == DB_OK)
            status = request_refused(ctx, caller, id, ANSWER, &errors, out);
        else if (rc != DB_SERIALIZATION)
            status = db_value_failure(rc);
        PQclear(res);
        if (status != RETRY)
            return status;
        backoff(attempt);
    }
    return PROTO_UNAVAILABLE;
}

/*  friend.request_cancel: the sender withdraws a pending request (204). */
static int request_cancel(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    int64_t caller = (int64_t) req->user_id, id = request_path_id(req);
    field_errors_t none;
    field_errors_init(&none);
    for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
        db_value_id_t a, b;
        const char *params[] = { db_value_id(&a, id), db_value_id(&b, caller) };
        PGresult *res = NULL;
        db_status_t rc = db_exec(ctx->db, "fr_cancel", 2, params, &res);
        int status = RETRY;
        if (rc == DB_OK && PQntuples(res) == 1)
            status = PROTO_NO_CONTENT;
        else if (rc == DB_OK)
            status = request_refused(ctx, caller, id, CANCEL, &none, out);
        else if (rc != DB_SERIALIZATION)
            status = db_value_failure(rc);
        PQclear(res);
        if (status != RETRY)
            return status;
        backoff(attempt);
    }
    return PROTO_UNAVAILABLE;
}

/* Packs one row's object (a FriendRequest or a User) whose columns start at col. */
typedef int (*row_packer_fn)(msgpack_packer *pk, const PGresult *res, int row, int col);

/* A row_packer_fn for Users (never with email: lists do not show it). */
static int pack_user_row(msgpack_packer *pk, const PGresult *res, int row, int col)
{
    return user_record_pack(pk, res, row, col, false);
}

/*  Runs a paginated statement ($1 caller, $2 limit, $3 offset) and packs
 *  {"count", "results"}: row 0 holds the total in column 0 and whether the caller
 *  exists in column 1; the objects start at column 2. */
static int list_page(service_ctx_t *ctx, const proto_msg_t *req, const char *statement,
                     row_packer_fn pack_row, msgpack_packer *out)
{
    page_t page;
    if (page_from_body(&req->body, &page) != 0)
        return page_invalid(out);
    db_value_id_t caller;
    const char *params[] = { db_value_id(&caller, (int64_t) req->user_id), page.limit, page.offset };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, statement, 3, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    long long count = 0;
    int status = PROTO_OK;
    if (PQntuples(res) < 1 || db_value_int(res, 0, 0, &count) != 0)
        status = PROTO_INTERNAL;
    else if (!db_value_true(res, 0, 1))
        status = service_user_not_found(out);
    else if (!page_exists(&page, count))
        status = page_invalid(out);
    if (status != PROTO_OK) {
        PQclear(res);
        return status;
    }
    int rows = PQgetisnull(res, 0, 2) ? 0 : PQntuples(res);
    msgpack_pack_map(out, 2);
    proto_pack_kv_int(out, "count", count);
    proto_pack_str(out, "results");
    msgpack_pack_array(out, (size_t) rows);
    for (int row = 0; row < rows && status == PROTO_OK; row++)
        if (pack_row(out, res, row, 2) != 0)
            status = PROTO_INTERNAL;
    PQclear(res);
    return status;
}

/*  friend.request_list: pending requests, ?direction=incoming (default) or outgoing,
 *  newest first. */
static int request_list(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    field_errors_t errors;
    field_errors_init(&errors);
    friend_direction_t direction;
    if (friend_fields_direction(proto_map_get(&req->body, "query"), &direction, &errors) != 0)
        return caller_or_invalid(ctx, (int64_t) req->user_id, &errors, out);
    return list_page(ctx, req,
                     direction == FRIEND_DIRECTION_OUTGOING ? "fr_list_outgoing" : "fr_list_incoming",
                     friend_request_pack, out);
}

/* friend.list: the caller's friends, by username. */
static int friend_list(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    return list_page(ctx, req, "friend_list", pack_user_row, out);
}

/* friend.unfriend: ends the friendship with {id} on both sides (204; 404 if none). */
static int friend_unfriend(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    int64_t caller = (int64_t) req->user_id, other = request_path_id(req);
    for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
        db_value_id_t a, b;
        const char *params[] = { db_value_id(&a, caller), db_value_id(&b, other) };
        PGresult *res = NULL;
        db_status_t rc = db_exec(ctx->db, "friend_delete", 2, params, &res);
        if (rc == DB_SERIALIZATION) {
            backoff(attempt);
            continue;
        }
        if (rc != DB_OK)
            return db_value_failure(rc);
        int deleted = PQntuples(res);
        PQclear(res);
        if (deleted > 0)
            return PROTO_NO_CONTENT;
        /* Not friends: 404, unless the caller is gone. */
        int exists = caller_exists(ctx, caller);
        if (exists == 0)
            return service_user_not_found(out);
        return exists == 1 ? PROTO_NOT_FOUND : exists;
    }
    return PROTO_UNAVAILABLE;
}

static const service_method_t friend_methods[] = {
    { "request_create", request_create, 1 },
    { "request_answer", request_answer, 1 },
    { "request_cancel", request_cancel, 1 },
    { "request_list", request_list, 1 },
    { "list", friend_list, 1 },
    { "unfriend", friend_unfriend, 1 },
    { NULL, NULL, 0 },
};

const service_def_t friend_service = {
    .name = "friend",
    .statements = friend_statements,
    .methods = friend_methods,
    .setup = NULL,
    .teardown = NULL,
};
