/*  handlers.c: the friend service's bus methods, one function each. See
 *  friend_service.h.
 *
 *  The writes are single conditional statements or short transactions whose
 *  correctness under concurrency comes from the database (queries.c explains how).
 *  A write that loses a race is tried again (retry_write): a serialization failure or
 *  deadlock, or a row that changed between two statements.
 *
 *  Every method answers 401 (service_user_not_found) when the caller's account no
 *  longer exists: the check rides along with the method's own query (a foreign key on
 *  insert, an EXISTS in reads) or runs only on the error path. Order of answers, as
 *  DRF's: 401, then 404, then 403, then 400.
 */
#include "friend_service.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db_value.h"
#include "field_errors.h"
#include "friend_fields.h"
#include "friend_request_record.h"
#include "log.h"
#include "page.h"
#include "request_path.h"
#include "serializer_data.h"
#include "user_record.h"

/* Attempts of a write that lost a race before answering 503. */
#define WRITE_ATTEMPTS 12

#define NOT_PENDING "This friend request has already been answered."

/* ---- Writes that may lose a race ---- */

/* What a change to a friend request does: the receiver answers, the sender cancels. */
typedef enum { ANSWER, CANCEL } request_action_t;

/* What one attempt of a write works on. */
typedef struct {
    const char *method;                 /* the bus method, for the log */
    int64_t caller;                     /* the caller's user id */
    int64_t id;                         /* the request or the user the write is about */
    request_action_t action;            /* request_answer / request_cancel */
    const char *answer;                 /* request_answer: "accepted" or "rejected" */
    const friend_receiver_t *receiver;  /* request_create: the receiver as read */
} write_t;

/*  One attempt of a write. Returns true with the answer's status in *status, or false
 *  when it lost a race and packed nothing (the write is tried again). */
typedef bool (*write_attempt_fn)(service_ctx_t *ctx, const write_t *write, msgpack_packer *out,
                                 proto_status_t *status);

/* Sleeps a little before attempt number `attempt` (1, 2, ...) of a lost race. */
static void backoff(int attempt)
{
    usleep((useconds_t) (attempt * 500 + (getpid() + attempt * 7919) % 1000));
}

/*  Runs attempt until it settles, at most WRITE_ATTEMPTS times with a growing pause
 *  between them. Returns its status, or PROTO_UNAVAILABLE when every attempt lost. */
static proto_status_t retry_write(service_ctx_t *ctx, const write_t *write,
                                  write_attempt_fn attempt, msgpack_packer *out)
{
    for (int n = 1; n <= WRITE_ATTEMPTS; n++) {
        proto_status_t status;
        if (attempt(ctx, write, out, &status))
            return status;
        backoff(n);
    }
    log_warn("friend.%s: gave up after %d attempts", write->method, WRITE_ATTEMPTS);
    return PROTO_UNAVAILABLE;
}

/* ---- The caller and refusals ---- */

/*  Does the caller's account still exist? *failure is DB_OK when the database could
 *  say, else the failure (and the answer is false). */
static bool caller_exists(service_ctx_t *ctx, int64_t caller, db_status_t *failure)
{
    db_value_id_t id;
    const char *params[] = { db_value_id(&id, caller) };
    PGresult *res = NULL;
    *failure = db_exec(ctx->db, FRIEND_Q_CALLER, 1, params, &res);
    if (*failure != DB_OK)
        return false;
    bool exists = db_value_true(res, 0, 0);
    PQclear(res);
    return exists;
}

/*  For an error path: 401 when the caller is gone, otherwise packs the field errors
 *  and returns 400 (or the database failure). */
static proto_status_t caller_or_invalid(service_ctx_t *ctx, int64_t caller,
                                        const field_errors_t *errors, msgpack_packer *out)
{
    db_status_t failure;
    bool exists = caller_exists(ctx, caller, &failure);
    if (failure != DB_OK)
        return db_value_failure(failure);
    if (!exists)
        return service_user_not_found(out);
    field_errors_pack(errors, out);
    return PROTO_INVALID;
}

/* Packs the single non_field_errors message of a refused request after the 401 check. */
static proto_status_t refuse(service_ctx_t *ctx, int64_t caller, const char *message,
                             msgpack_packer *out)
{
    field_errors_t errors;
    field_errors_init(&errors);
    field_errors_add(&errors, "non_field_errors", "%s", message);
    return caller_or_invalid(ctx, caller, &errors, out);
}

/* ---- request_create ---- */

/*  Accepts request `id` as its receiver `caller`. Returns true with the FriendRequest
 *  packed (or a failure) in *status, false when it was no longer pending. */
static bool accept_request(service_ctx_t *ctx, int64_t caller, long long id,
                           msgpack_packer *out, proto_status_t *status)
{
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, id), db_value_id(&b, caller), "accepted" };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, FRIEND_Q_REQUEST_ANSWER, 3, params, &res);
    if (rc == DB_SERIALIZATION)
        return false;
    if (rc != DB_OK) {
        *status = db_value_failure(rc);
        return true;
    }
    bool settled = PQntuples(res) == 1;
    if (settled)
        *status = friend_request_pack(out, res, 0, 0) == 0 ? PROTO_OK : PROTO_INTERNAL;
    PQclear(res);
    return settled;
}

/*  The pair already has a pending request (the insert did nothing): ours is a
 *  duplicate, theirs gets accepted. False when it has gone meanwhile. */
static bool create_on_conflict(service_ctx_t *ctx, int64_t caller, int64_t receiver,
                               msgpack_packer *out, proto_status_t *status)
{
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, caller), db_value_id(&b, receiver) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, FRIEND_Q_REQUEST_PENDING_PAIR, 2, params, &res);
    if (rc != DB_OK) {
        *status = db_value_failure(rc);
        return true;
    }
    long long id = 0, sender = 0;
    bool found = PQntuples(res) == 1 && db_value_int(res, 0, 0, &id) == 0
                 && db_value_int(res, 0, 1, &sender) == 0;
    PQclear(res);
    if (!found)
        return false;
    if (sender == caller) {
        *status = refuse(ctx, caller, "A pending friend request to this user already exists.",
                         out);
        return true;
    }
    return accept_request(ctx, caller, id, out, status);
}

/*  The insert violated a foreign key: the caller is gone (401) or the receiver does
 *  not exist (400). */
static proto_status_t create_missing_user(service_ctx_t *ctx, int64_t caller,
                                          const char *constraint,
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

/*  One attempt at sending caller -> receiver (a write_attempt_fn): insert the pending
 *  request and, in the same transaction, check the two are not friends already and
 *  notify the receiver. */
static bool create_attempt(service_ctx_t *ctx, const write_t *write, msgpack_packer *out,
                           proto_status_t *status)
{
    int64_t caller = write->caller;
    db_value_id_t a, b, c;
    const char *params[] = { db_value_id(&a, caller), db_value_id(&b, write->receiver->id),
                             NULL };
    PGresult *res = NULL;
    bool open = false, settled = true;
    long long id = 0;
    db_status_t rc = db_begin(ctx->db);
    if (rc != DB_OK) {
        *status = db_value_failure(rc);
        goto cleanup;
    }
    open = true;
    rc = db_exec(ctx->db, FRIEND_Q_REQUEST_INSERT, 2, params, &res);
    if (rc == DB_FOREIGN_KEY) {
        char constraint[64];
        snprintf(constraint, sizeof constraint, "%s", db_error_constraint(ctx->db));
        db_rollback(ctx->db);
        open = false;
        *status = create_missing_user(ctx, caller, constraint, write->receiver, out);
        goto cleanup;
    }
    if (rc == DB_SERIALIZATION) {
        settled = false;
        goto cleanup;
    }
    if (rc != DB_OK) {
        *status = db_value_failure(rc);
        goto cleanup;
    }
    if (db_value_int(res, 0, 0, &id) != 0) {
        /* The pair has a pending request already: nothing was written. */
        db_rollback(ctx->db);
        open = false;
        settled = create_on_conflict(ctx, caller, write->receiver->id, out, status);
        goto cleanup;
    }
    PQclear(res);
    params[2] = db_value_id(&c, id);
    rc = db_exec(ctx->db, FRIEND_Q_REQUEST_CREATED, 3, params, &res);
    if (rc == DB_SERIALIZATION) {
        settled = false;
        goto cleanup;
    }
    if (rc != DB_OK || PQntuples(res) != 1) {
        *status = rc == DB_OK ? PROTO_INTERNAL : db_value_failure(rc);
        goto cleanup;
    }
    if (db_value_true(res, 0, 0)) {
        proto_pack_field_error(out, "non_field_errors", "You are already friends with this user.");
        *status = PROTO_INVALID;
        goto cleanup;
    }
    /* Packed before COMMIT: if the commit fails, the failure status discards it. */
    if (friend_request_pack(out, res, 0, 1) != 0) {
        *status = PROTO_INTERNAL;
        goto cleanup;
    }
    rc = db_commit(ctx->db);
    open = false;
    *status = rc == DB_OK               ? PROTO_CREATED
              : rc == DB_SERIALIZATION ? PROTO_UNAVAILABLE
                                       : db_value_failure(rc);
cleanup:
    PQclear(res);
    if (open)
        db_rollback(ctx->db);
    return settled;
}

/*  friend.request_create: sends a friend request to data.receiver (201), or accepts
 *  the pending one that user sent the caller (200). */
proto_status_t friend_request_create(service_ctx_t *ctx, const proto_msg_t *req,
                                     msgpack_packer *out)
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
    const write_t write = { .method = "request_create", .caller = caller, .receiver = &receiver };
    return retry_write(ctx, &write, create_attempt, out);
}

/* ---- request_answer and request_cancel ---- */

/*  Why an answer or cancel of request `id` by caller changed nothing: 401, 404 (not
 *  the caller's), 403 (the wrong side of it), 400 (body errors, then not pending).
 *  Returns true with that status in *status, or false when it is pending and the
 *  caller's after all (it changed in between: the write is tried again). */
static bool request_refused(service_ctx_t *ctx, int64_t caller, int64_t id,
                            request_action_t action, const field_errors_t *errors,
                            msgpack_packer *out, proto_status_t *status)
{
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, caller), db_value_id(&b, id) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, FRIEND_Q_REQUEST_LOOKUP, 2, params, &res);
    if (rc != DB_OK) {
        *status = db_value_failure(rc);
        return true;
    }
    bool caller_exists = db_value_true(res, 0, 0);
    long long sender = 0, receiver = 0;
    bool found = db_value_int(res, 0, 1, &sender) == 0
                 && db_value_int(res, 0, 2, &receiver) == 0;
    bool pending = found && strcmp(PQgetvalue(res, 0, 3), "pending") == 0;
    PQclear(res);
    if (!caller_exists) {
        *status = service_user_not_found(out);
    } else if (!found || (sender != caller && receiver != caller)) {
        *status = PROTO_NOT_FOUND;
    } else if ((action == ANSWER && sender == caller) || (action == CANCEL && receiver == caller)) {
        *status = PROTO_FORBIDDEN;
    } else if (field_errors_any(errors)) {
        field_errors_pack(errors, out);
        *status = PROTO_INVALID;
    } else if (!pending) {
        proto_pack_field_error(out, "non_field_errors", NOT_PENDING);
        *status = PROTO_INVALID;
    } else {
        return false;
    }
    return true;
}

/*  One attempt at answering or cancelling a request (a write_attempt_fn): the
 *  conditional write, then why it changed nothing. */
static bool change_attempt(service_ctx_t *ctx, const write_t *write, msgpack_packer *out,
                           proto_status_t *status)
{
    static const field_errors_t none = { 0 };
    request_action_t action = write->action;
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, write->id), db_value_id(&b, write->caller),
                             write->answer };
    PGresult *res = NULL;
    db_status_t rc = action == ANSWER
                         ? db_exec(ctx->db, FRIEND_Q_REQUEST_ANSWER, 3, params, &res)
                         : db_exec(ctx->db, FRIEND_Q_REQUEST_CANCEL, 2, params, &res);
    bool settled = true;
    if (rc == DB_OK && PQntuples(res) == 1) {
        if (action == CANCEL)
            *status = PROTO_NO_CONTENT;
        else
            *status = friend_request_pack(out, res, 0, 0) == 0 ? PROTO_OK : PROTO_INTERNAL;
    } else if (rc == DB_OK) {
        settled = request_refused(ctx, write->caller, write->id, action, &none, out, status);
    } else if (rc == DB_SERIALIZATION) {
        settled = false;
    } else {
        *status = db_value_failure(rc);
    }
    PQclear(res);
    return settled;
}

/*  friend.request_answer: the receiver accepts or rejects a pending request. */
proto_status_t friend_request_answer(service_ctx_t *ctx, const proto_msg_t *req,
                                     msgpack_packer *out)
{
    int64_t caller = (int64_t) req->user_id, id = request_path_id(req);
    const msgpack_object *data = proto_map_get(&req->body, "data");
    field_errors_t errors;
    field_errors_init(&errors);
    const char *answer = NULL;
    if (!serializer_data_check(data, SERIALIZER_DATA_NONE, &errors)
        || friend_fields_status(data, &answer, &errors) != 0) {
        proto_status_t status;
        if (request_refused(ctx, caller, id, ANSWER, &errors, out, &status))
            return status;
        /* Not reached: with body errors every outcome of request_refused settles. */
        return PROTO_INTERNAL;
    }
    const write_t write = { .method = "request_answer", .caller = caller, .id = id,
                            .action = ANSWER, .answer = answer };
    return retry_write(ctx, &write, change_attempt, out);
}

/*  friend.request_cancel: the sender withdraws a pending request (204). */
proto_status_t friend_request_cancel(service_ctx_t *ctx, const proto_msg_t *req,
                                     msgpack_packer *out)
{
    const write_t write = { .method = "request_cancel", .caller = (int64_t) req->user_id,
                            .id = request_path_id(req), .action = CANCEL };
    return retry_write(ctx, &write, change_attempt, out);
}

/* ---- Lists ---- */

/*  friend.request_list: pending requests, ?direction=incoming (default) or outgoing,
 *  newest first. */
proto_status_t friend_request_list(service_ctx_t *ctx, const proto_msg_t *req,
                                   msgpack_packer *out)
{
    field_errors_t errors;
    field_errors_init(&errors);
    friend_direction_t direction;
    if (friend_fields_direction(proto_map_get(&req->body, "query"), &direction, &errors) != 0)
        return caller_or_invalid(ctx, (int64_t) req->user_id, &errors, out);
    return page_of_caller(ctx->db, req,
                          direction == FRIEND_DIRECTION_OUTGOING ? FRIEND_Q_REQUESTS_OUTGOING
                                                                 : FRIEND_Q_REQUESTS_INCOMING,
                          friend_request_pack, out);
}

/* friend.list: the caller's friends, by username. */
proto_status_t friend_list(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    return page_of_caller(ctx->db, req, FRIEND_Q_LIST, user_record_pack_listed, out);
}

/* ---- unfriend ---- */

/* One attempt at ending a friendship (a write_attempt_fn): 204, or 404 when the two
 * are not friends (401 when the caller is gone). */
static bool unfriend_attempt(service_ctx_t *ctx, const write_t *write, msgpack_packer *out,
                             proto_status_t *status)
{
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, write->caller), db_value_id(&b, write->id) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, FRIEND_Q_DELETE, 2, params, &res);
    if (rc == DB_SERIALIZATION)
        return false;
    if (rc != DB_OK) {
        *status = db_value_failure(rc);
        return true;
    }
    int deleted = PQntuples(res);
    PQclear(res);
    if (deleted > 0) {
        *status = PROTO_NO_CONTENT;
        return true;
    }
    db_status_t failure;
    bool exists = caller_exists(ctx, write->caller, &failure);
    if (failure != DB_OK)
        *status = db_value_failure(failure);
    else
        *status = exists ? PROTO_NOT_FOUND : service_user_not_found(out);
    return true;
}

/* friend.unfriend: ends the friendship with {id} on both sides (204; 404 if none). */
proto_status_t friend_unfriend(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    const write_t write = { .method = "unfriend", .caller = (int64_t) req->user_id,
                            .id = request_path_id(req) };
    return retry_write(ctx, &write, unfriend_attempt, out);
}
