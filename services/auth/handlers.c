/*  handlers.c: the auth service's bus methods, one function each. See auth_service.h.
 *
 *  Every request's data comes from a client: it is read field by field with DRF's
 *  rules (charfield.h) and never trusted. Passwords and tokens are never logged.
 */
#include "auth_service.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth_config.h"
#include "charfield.h"
#include "db_value.h"
#include "drf_messages.h"
#include "field_errors.h"
#include "log.h"
#include "serializer_data.h"
#include "text.h"
#include "token.h"
#include "register_form.h"
#include "throttle.h"

#define MSG_NO_ACCOUNT "No active account found with the given credentials"
/* Longest token worth looking at (token.c refuses longer ones too). */
#define TOKEN_TEXT_MAX 4096

/* ---- Small answers shared by the handlers ---- */

/* The service's configuration (auth_config.h). */
static const auth_config_t *config_of(const service_ctx_t *ctx)
{
    return ctx->state;
}

/* 400 for a body that is not the gateway's {"data": ...} map. */
static proto_status_t answer_malformed(msgpack_packer *out)
{
    proto_pack_detail(out, DRF_MALFORMED_REQUEST);
    return PROTO_INVALID;
}

/* 400 with the collected field errors. */
static proto_status_t answer_invalid(msgpack_packer *out, const field_errors_t *errors)
{
    field_errors_pack(errors, out);
    return PROTO_INVALID;
}

/* 401 for a token that is forged, expired, of the wrong type or revoked. */
static proto_status_t answer_token_invalid(msgpack_packer *out)
{
    proto_pack_detail_code(out, DRF_TOKEN_INVALID, DRF_TOKEN_INVALID_CODE);
    return PROTO_UNAUTHORIZED;
}

/* 401 for a failed login, whatever the reason. */
static proto_status_t answer_no_account(msgpack_packer *out)
{
    proto_pack_detail(out, MSG_NO_ACCOUNT);
    return PROTO_UNAUTHORIZED;
}

/* A freshly issued access/refresh pair; both strings malloc'ed. */
typedef struct {
    char *access;                  /* the access token */
    char *refresh;                 /* the refresh token */
    token_claims_t refresh_claims; /* claims of the refresh token (jti, exp) */
} token_pair_t;

/* Issues an access and a refresh token for user_id. Returns 0, or -1 (logged). */
static int pair_issue(const auth_config_t *config, int64_t user_id, token_pair_t *pair)
{
    time_t now = time(NULL);
    pair->access = token_issue(config->secret, config->secret_len, TOKEN_ACCESS, user_id,
                               config->access_lifetime, now, NULL);
    pair->refresh = token_issue(config->secret, config->secret_len, TOKEN_REFRESH, user_id,
                                config->refresh_lifetime, now, &pair->refresh_claims);
    if (!pair->access || !pair->refresh) {
        log_error("could not issue tokens");
        return -1;
    }
    return 0;
}

/* Frees a pair's tokens. */
static void pair_free(token_pair_t *pair)
{
    free(pair->access);
    free(pair->refresh);
    pair->access = pair->refresh = NULL;
}

/* 200 {"access", "refresh"}. */
static proto_status_t answer_pair(msgpack_packer *out, const token_pair_t *pair)
{
    msgpack_pack_map(out, 2);
    proto_pack_kv_str(out, "access", pair->access);
    proto_pack_kv_str(out, "refresh", pair->refresh);
    return PROTO_OK;
}

/* ---- register ---- */

/* Adds "already exists" errors for the username / email found taken by the pre-check. */
static db_status_t check_taken(db_t *db, const register_form_t *in, field_errors_t *errors)
{
    const char *params[2] = { in->username_ok ? in->username : NULL,
                              in->email_ok ? in->email : NULL };
    PGresult *res = NULL;
    db_status_t status = db_exec(db, AUTH_Q_TAKEN, 2, params, &res);
    if (status != DB_OK)
        return status;
    if (PQntuples(res) == 1) {
        if (db_value_true(res, 0, 0))
            field_errors_add(errors, "username", MSG_USERNAME_TAKEN);
        if (db_value_true(res, 0, 1))
            field_errors_add(errors, "email", MSG_EMAIL_TAKEN);
    }
    PQclear(res);
    return DB_OK;
}

/* Maps the unique index a concurrent registration hit to its field error. Returns
 * false when the constraint is not one of ours. */
static bool map_unique_violation(db_t *db, field_errors_t *errors)
{
    const char *constraint = db_error_constraint(db);
    if (strcmp(constraint, "users_username_ci") == 0)
        field_errors_add(errors, "username", MSG_USERNAME_TAKEN);
    else if (strcmp(constraint, "users_email_ci") == 0)
        field_errors_add(errors, "email", MSG_EMAIL_TAKEN);
    else
        return false;
    return true;
}

/* auth.register: validates, hashes the password and creates the account. */
proto_status_t auth_register(service_ctx_t *ctx, const proto_msg_t *request,
                             msgpack_packer *out)
{
    const auth_config_t *config = config_of(ctx);
    const msgpack_object *data;
    field_errors_t errors;
    register_form_t *in = NULL;
    PGresult *res = NULL;
    char hash[PASSWORD_HASH_MAX];
    long long id;
    proto_status_t rc = PROTO_INTERNAL;

    field_errors_init(&errors);
    if (throttle_register_refused(ctx->db, &config->throttle, request->client, out, &rc))
        return rc;
    if (!serializer_data_of(&request->body, &data))
        return answer_malformed(out);
    in = malloc(sizeof *in);
    if (!in)
        return PROTO_INTERNAL;
    register_form_read(data, in, &errors);
    if (in->username_ok || in->email_ok) {
        db_status_t status = check_taken(ctx->db, in, &errors);
        if (status != DB_OK) {
            rc = db_value_failure(status);
            goto cleanup;
        }
    }
    if (field_errors_any(&errors)) {
        rc = answer_invalid(out, &errors);
        goto cleanup;
    }
    if (password_hash(config->hasher, in->password.ptr, in->password.len, hash, sizeof hash) != 0)
        goto cleanup;
    const char *params[5] = { in->username, in->email, hash, in->first_name, in->last_name };
    db_status_t status = db_exec(ctx->db, AUTH_Q_CREATE_USER, 5, params, &res);
    if (status == DB_UNIQUE && map_unique_violation(ctx->db, &errors)) {
        rc = answer_invalid(out, &errors);
        goto cleanup;
    }
    if (status != DB_OK) {
        rc = db_value_failure(status);
        goto cleanup;
    }
    if (PQntuples(res) != 1 || db_value_int(res, 0, 0, &id) != 0)
        goto cleanup;
    msgpack_pack_map(out, 5);
    proto_pack_kv_int(out, "id", id);
    proto_pack_kv_str(out, "username", PQgetvalue(res, 0, 1));
    proto_pack_kv_str(out, "email", PQgetvalue(res, 0, 2));
    proto_pack_kv_str(out, "first_name", PQgetvalue(res, 0, 3));
    proto_pack_kv_str(out, "last_name", PQgetvalue(res, 0, 4));
    rc = PROTO_CREATED;

cleanup:
    PQclear(res);
    free(in);
    return rc;
}

/* ---- login ---- */

/*  A login that failed: counted against its throttles, then answered as simplejwt
 *  answers any wrong credentials. A failure to count it is logged, not shown: the
 *  answer is the same either way. */
static proto_status_t login_failed(service_ctx_t *ctx, const proto_msg_t *request,
                                   const char *username, msgpack_packer *out)
{
    throttle_login_failed(ctx->db, &config_of(ctx)->throttle, request->client, username);
    return answer_no_account(out);
}

/* auth.login: checks the credentials and issues a token pair (simplejwt's
 * TokenObtainPairView). Unknown user, wrong password and inactive account get the same
 * answer after the same work. */
proto_status_t auth_login(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out)
{
    const charfield_rules_t rules = { .required = true, .allow_blank = false };
    const auth_config_t *config = config_of(ctx);
    const msgpack_object *data;
    field_errors_t errors;
    charfield_t username, password;
    char name[REGISTER_FORM_NAME_MAX * 4 + 1];
    PGresult *res = NULL;
    token_pair_t pair = { 0 };
    proto_status_t rc = PROTO_INTERNAL;

    field_errors_init(&errors);
    if (!serializer_data_of(&request->body, &data))
        return answer_malformed(out);
    if (!serializer_data_check(data, REGISTER_FORM_DATA_NULL, &errors))
        return answer_invalid(out, &errors);
    if (charfield_read(data, "username", &rules, &username, &errors) == CHARFIELD_OK)
        charfield_check(&username, "username", 0, &errors);
    if (charfield_read(data, "password", &rules, &password, &errors) == CHARFIELD_OK)
        charfield_check(&password, "password", 0, &errors);
    if (field_errors_any(&errors))
        return answer_invalid(out, &errors);

    /* No account can have a longer username: answer as for any unknown user. */
    bool too_long = utf8_length(username.ptr, username.len) > REGISTER_FORM_NAME_MAX;
    size_t kept = too_long ? 0 : username.len;
    memcpy(name, username.ptr, kept);
    name[kept] = 0;
    if (throttle_login_refused(ctx->db, &config->throttle, request->client, name, out, &rc))
        return rc;
    if (too_long) {
        password_verify(config->hasher, NULL, password.ptr, password.len);
        return login_failed(ctx, request, name, out);
    }
    const char *params[1] = { name };
    db_status_t status = db_exec(ctx->db, AUTH_Q_LOGIN_USER, 1, params, &res);
    if (status != DB_OK)
        return db_value_failure(status);
    bool found = PQntuples(res) == 1;
    long long user_id = 0;
    if (found)
        db_value_int(res, 0, 0, &user_id);   /* left 0 (no account) when it fails */
    bool active = found && db_value_true(res, 0, 2);
    bool verified = password_verify(config->hasher, found ? PQgetvalue(res, 0, 1) : NULL,
                                    password.ptr, password.len);
    PQclear(res);
    res = NULL;
    if (!verified || !active || user_id <= 0)
        return login_failed(ctx, request, name, out);

    if (pair_issue(config, user_id, &pair) != 0)
        goto cleanup;
    db_value_id_t user_text, exp_text;
    const char *store[3] = { pair.refresh_claims.jti, db_value_id(&user_text, user_id),
                             db_value_id(&exp_text, pair.refresh_claims.exp) };
    status = db_run(ctx->db, AUTH_Q_STORE_REFRESH, 3, store);
    if (status == DB_FOREIGN_KEY) {
        /* The account was deleted in the meantime. */
        rc = answer_no_account(out);
        goto cleanup;
    }
    if (status != DB_OK) {
        rc = db_value_failure(status);
        goto cleanup;
    }
    rc = answer_pair(out, &pair);

cleanup:
    pair_free(&pair);
    return rc;
}

/* ---- refresh ---- */

/*  Reads the body's "refresh" field (required, DRF CharField) and verifies it as a
 *  refresh token, as refresh and logout both need. Returns true with *claims filled;
 *  otherwise false with the answer packed into out and its status in *answer (400
 *  field errors, 401 token_not_valid). */
static bool verified_refresh_token(const auth_config_t *config, const proto_msg_t *request,
                                   token_claims_t *claims, msgpack_packer *out,
                                   proto_status_t *answer)
{
    const charfield_rules_t rules = { .required = true, .allow_blank = false };
    const msgpack_object *data;
    field_errors_t errors;
    charfield_t field;
    char token[TOKEN_TEXT_MAX + 1];

    field_errors_init(&errors);
    if (!serializer_data_of(&request->body, &data)) {
        *answer = answer_malformed(out);
        return false;
    }
    if (!serializer_data_check(data, REGISTER_FORM_DATA_NULL, &errors)
        || charfield_read(data, "refresh", &rules, &field, &errors) != CHARFIELD_OK
        || !charfield_check(&field, "refresh", 0, &errors)) {
        *answer = answer_invalid(out, &errors);
        return false;
    }
    /* Longer than any token of ours: not valid, whatever it holds. */
    if (field.len >= sizeof token) {
        *answer = answer_token_invalid(out);
        return false;
    }
    memcpy(token, field.ptr, field.len);
    token[field.len] = 0;
    if (token_verify(config->secret, config->secret_len, token, TOKEN_REFRESH, time(NULL),
                     claims) != 0) {
        *answer = answer_token_invalid(out);
        return false;
    }
    return true;
}

/* auth.refresh: rotates a refresh token (simplejwt's TokenRefreshView with
 * ROTATE_REFRESH_TOKENS and blacklisting): the presented token is revoked and a new
 * pair issued, in one statement. */
proto_status_t auth_refresh(service_ctx_t *ctx, const proto_msg_t *request,
                            msgpack_packer *out)
{
    const auth_config_t *config = config_of(ctx);
    token_claims_t claims;
    PGresult *res = NULL;
    token_pair_t pair = { 0 };
    proto_status_t rc = PROTO_INTERNAL;
    if (!verified_refresh_token(config, request, &claims, out, &rc))
        return rc;

    if (pair_issue(config, claims.user_id, &pair) != 0)
        goto cleanup;
    db_value_id_t user_text, exp_text;
    const char *params[4] = { claims.jti, db_value_id(&user_text, claims.user_id),
                              pair.refresh_claims.jti,
                              db_value_id(&exp_text, pair.refresh_claims.exp) };
    db_status_t status = db_exec(ctx->db, AUTH_Q_ROTATE_REFRESH, 4, params, &res);
    if (status != DB_OK) {
        rc = db_value_failure(status);
        goto cleanup;
    }
    if (PQntuples(res) != 1) {
        /* Revoked, expired in the database, or the account is gone or inactive. */
        rc = answer_token_invalid(out);
        goto cleanup;
    }
    rc = answer_pair(out, &pair);

cleanup:
    PQclear(res);
    pair_free(&pair);
    return rc;
}

/* ---- logout ---- */

/* auth.logout: revokes the caller's own refresh token (simplejwt's blacklist view). */
proto_status_t auth_logout(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out)
{
    token_claims_t claims;
    PGresult *res = NULL;
    proto_status_t rc = PROTO_INTERNAL;
    if (!verified_refresh_token(config_of(ctx), request, &claims, out, &rc))
        return rc;
    /* Only the token's owner may revoke it. */
    if ((uint64_t) claims.user_id != request->user_id)
        return answer_token_invalid(out);

    /* The runtime refuses callers past INT64_MAX before any handler runs. */
    db_value_id_t user_text;
    const char *params[2] = { claims.jti, db_value_id(&user_text, (int64_t) request->user_id) };
    db_status_t status = db_exec(ctx->db, AUTH_Q_REVOKE_REFRESH, 2, params, &res);
    if (status != DB_OK)
        return db_value_failure(status);
    if (PQntuples(res) != 1) {
        rc = PROTO_INTERNAL;
    } else if (PQgetisnull(res, 0, 0)) {
        rc = service_user_not_found(out);
    } else if (!db_value_true(res, 0, 0)) {
        proto_pack_detail_code(out, "User is inactive", "user_inactive");
        rc = PROTO_UNAUTHORIZED;
    } else if (!db_value_true(res, 0, 1)) {
        rc = answer_token_invalid(out);
    } else {
        rc = PROTO_RESET_CONTENT;
    }
    PQclear(res);
    return rc;
}
