/*  handlers.c: the user service's bus methods, one function each. See user_service.h.
 *
 *  Every method answers 401 (service_user_not_found) when the caller's account no
 *  longer exists; the check rides along with each method's own query, so it costs no
 *  extra round trip on the success path. Order of answers, as DRF's: 401, then 404,
 *  then 403, then 400.
 */
#include "user_service.h"

#include <string.h>

#include "db_value.h"
#include "drf_messages.h"
#include "field_errors.h"
#include "log.h"
#include "page.h"
#include "profile_form.h"
#include "request_path.h"
#include "search_terms.h"
#include "user_record.h"

/* "user with this email address already exists." is Django's unique message. */
#define EMAIL_TAKEN "user with this email address already exists."

/*  Looks up the caller and `target` with one query. Sets *caller_row and *target_row
 *  to their row numbers (-1 when absent). Returns DB_OK and *res (caller clears). */
static db_status_t find_pair(service_ctx_t *ctx, int64_t caller, int64_t target,
                             PGresult **res, int *caller_row, int *target_row)
{
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, caller), db_value_id(&b, target) };
    db_status_t rc = db_exec(ctx->db, USER_Q_PAIR, 2, params, res);
    *caller_row = *target_row = -1;
    if (rc != DB_OK)
        return rc;
    for (int row = 0; row < PQntuples(*res); row++) {
        long long id = 0;
        if (db_value_int(*res, row, 0, &id) != 0)
            continue;
        if (id == caller)
            *caller_row = row;
        if (id == target)
            *target_row = row;
    }
    return DB_OK;
}

/*  Answers with the caller's own record (email included) from the first row of res,
 *  or 401 when there is no row (the account is gone). Clears res. */
static proto_status_t answer_own_record(PGresult *res, msgpack_packer *out)
{
    proto_status_t status = PROTO_OK;
    if (PQntuples(res) == 0)
        status = service_user_not_found(out);
    else if (user_record_pack(out, res, 0, 0, true) != 0)
        status = PROTO_INTERNAL;
    PQclear(res);
    return status;
}

/* user.me: the caller's own User, with email. */
proto_status_t user_me(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    db_value_id_t caller;
    const char *params[] = { db_value_id(&caller, (int64_t) req->user_id) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, USER_Q_ME, 1, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    return answer_own_record(res, out);
}

/* user.get: one User; with email only when it is the caller's own. */
proto_status_t user_get(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    int64_t caller = (int64_t) req->user_id, target = request_path_id(req);
    PGresult *res = NULL;
    int caller_row, target_row;
    db_status_t rc = find_pair(ctx, caller, target, &res, &caller_row, &target_row);
    if (rc != DB_OK)
        return db_value_failure(rc);
    proto_status_t status = PROTO_OK;
    if (caller_row < 0)
        status = service_user_not_found(out);
    else if (target_row < 0)
        status = PROTO_NOT_FOUND;
    else if (user_record_pack(out, res, target_row, 0, target == caller) != 0)
        status = PROTO_INTERNAL;
    PQclear(res);
    return status;
}

/*  Reads ?search= into *terms. Returns true, or false with the answer packed into out
 *  and its status in *answer (400 for a search that is not valid text, 500 when out
 *  of memory). */
static bool read_search(const proto_msg_t *req, search_terms_t *terms, msgpack_packer *out,
                        proto_status_t *answer)
{
    const char *text = NULL;
    size_t len = 0;
    field_errors_t errors;
    field_errors_init(&errors);
    memset(terms, 0, sizeof *terms);
    proto_field_t field = proto_get_str(proto_map_get(&req->body, "query"), "search", &text, &len);
    if (field == PROTO_FIELD_MISSING || field == PROTO_FIELD_NULL)
        return true;
    if (field != PROTO_FIELD_OK) {
        field_errors_add(&errors, "search", SEARCH_TERMS_INVALID);
    } else if (search_terms_parse(text, len, terms, &errors) != 0) {
        log_error("user.list: out of memory");
        *answer = PROTO_INTERNAL;
        return false;
    }
    if (!field_errors_any(&errors))
        return true;
    field_errors_pack(&errors, out);
    *answer = PROTO_INVALID;
    return false;
}

/* user.list: Users by id, one page, filtered by ?search= when given. */
proto_status_t user_list(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    page_t page;
    if (page_from_body(&req->body, &page) != 0)
        return page_invalid(out);
    search_terms_t terms;
    proto_status_t status = PROTO_INTERNAL;
    if (!read_search(req, &terms, out, &status)) {
        search_terms_release(&terms);
        return status;
    }
    db_value_id_t caller;
    const char *params[] = { db_value_id(&caller, (int64_t) req->user_id), page.limit,
                             page.offset, terms.patterns };
    PGresult *res = NULL;
    db_status_t rc = terms.count == 0 ? db_exec(ctx->db, USER_Q_LIST, 3, params, &res)
                                      : db_exec(ctx->db, USER_Q_SEARCH, 4, params, &res);
    search_terms_release(&terms);
    if (rc != DB_OK)
        return db_value_failure(rc);
    status = page_pack(res, &page, user_record_pack_listed, out);
    PQclear(res);
    return status;
}

/*  Answers a form that failed validation: 401 when the caller is gone, else 400 with
 *  every error, including a taken email (reported first, as DRF's UniqueValidator). */
static proto_status_t update_invalid(service_ctx_t *ctx, int64_t caller, const profile_form_t *form,
                          const field_errors_t *errors, msgpack_packer *out)
{
    db_value_id_t id;
    const char *params[] = { db_value_id(&id, caller), form->email_checked };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, USER_Q_CHECK, 2, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    bool caller_exists = db_value_true(res, 0, 0), taken = db_value_true(res, 0, 1);
    PQclear(res);
    if (!caller_exists)
        return service_user_not_found(out);
    field_errors_t all;
    field_errors_init(&all);
    if (taken)
        field_errors_add(&all, "email", EMAIL_TAKEN);
    for (int i = 0; i < errors->count; i++)
        field_errors_add(&all, errors->items[i].field, "%s", errors->items[i].message);
    field_errors_pack(&all, out);
    return PROTO_INVALID;
}

/*  Writes a valid form to the caller's row and packs the result. A form that changes
 *  nothing only reads the row. */
static proto_status_t update_apply(service_ctx_t *ctx, int64_t caller, const profile_form_t *form,
                        msgpack_packer *out)
{
    db_value_id_t id;
    const char *params[] = { db_value_id(&id, caller), form->email, form->first_name,
                             form->last_name, form->bio };
    PGresult *res = NULL;
    db_status_t rc = profile_form_empty(form)
                         ? db_exec(ctx->db, USER_Q_ME, 1, params, &res)
                         : db_exec(ctx->db, USER_Q_UPDATE, 5, params, &res);
    if (rc == DB_UNIQUE && strcmp(db_error_constraint(ctx->db), "users_email_ci") == 0) {
        proto_pack_field_error(out, "email", EMAIL_TAKEN);
        return PROTO_INVALID;
    }
    if (rc != DB_OK)
        return db_value_failure(rc);
    return answer_own_record(res, out);
}

/*  PUT and PATCH: only the user themself (403 for another existing user, 404 for an
 *  unknown id); partial for PATCH. */
static proto_status_t update_profile(service_ctx_t *ctx, const proto_msg_t *req,
                                     msgpack_packer *out, bool partial)
{
    int64_t caller = (int64_t) req->user_id, target = request_path_id(req);
    if (target != caller) {
        PGresult *res = NULL;
        int caller_row, target_row;
        db_status_t rc = find_pair(ctx, caller, target, &res, &caller_row, &target_row);
        if (rc != DB_OK)
            return db_value_failure(rc);
        PQclear(res);
        if (caller_row < 0)
            return service_user_not_found(out);
        return target_row < 0 ? PROTO_NOT_FOUND : PROTO_FORBIDDEN;
    }
    profile_form_t form;
    field_errors_t errors;
    field_errors_init(&errors);
    proto_status_t status;
    if (profile_form_read(proto_map_get(&req->body, "data"), partial, &form, &errors) != 0) {
        log_error("user.update: out of memory");
        status = PROTO_INTERNAL;
    } else if (field_errors_any(&errors)) {
        status = update_invalid(ctx, caller, &form, &errors, out);
    } else {
        status = update_apply(ctx, caller, &form, out);
    }
    profile_form_release(&form);
    return status;
}

/* user.update (PUT): every required field must be sent. */
proto_status_t user_update(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    return update_profile(ctx, req, out, false);
}

/* user.partial_update (PATCH): only what is sent changes. */
proto_status_t user_partial_update(service_ctx_t *ctx, const proto_msg_t *req,
                                   msgpack_packer *out)
{
    return update_profile(ctx, req, out, true);
}
