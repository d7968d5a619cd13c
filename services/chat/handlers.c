/*  handlers.c: the chat service's bus methods, one function each. See chat_service.h.
 *
 *  Order of answers, as DRF's: 401 (the caller's account is gone), 404 (the other user
 *  does not exist, on every route), then the method's own: for send, 400 to oneself,
 *  a resend of a stored client_id (200 with the stored message, or 400 when it came
 *  with another receiver or text), 403 when the two are not friends, 400 for the
 *  fields, then 201. A valid send is one statement (sql/006 chat_send decides it all
 *  in the database); a deadlock between senders is tried again.
 */
#include "chat_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chat_fields.h"
#include "db_value.h"
#include "field_errors.h"
#include "log.h"
#include "message_record.h"
#include "page.h"
#include "request_path.h"
#include "serializer_data.h"
#include "user_record.h"

/* Attempts of a send that lost a race before answering 503. */
#define SEND_ATTEMPTS 12

#define TO_ONESELF "You cannot send a message to yourself."
#define KEY_REUSED "This client_id was already used for a different message."

/* What CHAT_Q_PEER says about the caller and the other user. */
typedef struct {
    bool caller;            /* the caller's account exists */
    bool other;             /* the other user exists */
    bool friends;           /* they are friends */
} peer_t;

/* Runs CHAT_Q_PEER. Returns DB_OK with *peer filled, or the failure. */
static db_status_t peer_read(service_ctx_t *ctx, int64_t caller, int64_t other, peer_t *peer)
{
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, caller), db_value_id(&b, other) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, CHAT_Q_PEER, 2, params, &res);
    if (rc != DB_OK)
        return rc;
    peer->caller = db_value_true(res, 0, 0);
    peer->other = db_value_true(res, 0, 1);
    peer->friends = db_value_true(res, 0, 2);
    PQclear(res);
    return DB_OK;
}

/*  The 401 / 404 answers from the existence columns: returns true with the status in
 *  *status (401 packed), false when both users exist. */
static bool missing_user(bool caller, bool other, msgpack_packer *out, proto_status_t *status)
{
    if (!caller)
        *status = service_user_not_found(out);
    else if (!other)
        *status = PROTO_NOT_FOUND;
    else
        return false;
    return true;
}

/* ---- send ---- */

/* A send, as read from the request (text and key NUL-terminated for libpq). */
typedef struct {
    int64_t caller;                          /* the sender */
    int64_t other;                           /* the receiver */
    const field_errors_t *errors;            /* the fields' errors (none: valid) */
    bool has_key;                            /* a valid client_id was given */
    bool as_event;                           /* answer the Message with its client_id */
    char key[CHAT_CLIENT_ID_MAX * 4 + 1];    /* the client_id */
    char text[CHAT_TEXT_MAX * 4 + 1];        /* the trimmed text */
} send_t;

/*  The answer for an invalid send: 401, 404, to oneself, 403, then the fields' 400
 *  (a resend is not looked up: its key or text did not pass). */
static proto_status_t send_refused(service_ctx_t *ctx, const send_t *send, msgpack_packer *out)
{
    peer_t peer;
    proto_status_t status;
    db_status_t rc = peer_read(ctx, send->caller, send->other, &peer);
    if (rc != DB_OK)
        return db_value_failure(rc);
    if (missing_user(peer.caller, peer.other, out, &status))
        return status;
    if (send->caller == send->other) {
        proto_pack_field_error(out, "non_field_errors", TO_ONESELF);
        return PROTO_INVALID;
    }
    if (!peer.friends)
        return PROTO_FORBIDDEN;
    field_errors_pack(send->errors, out);
    return PROTO_INVALID;
}

/*  Column 0 of CHAT_Q_SEND, what chat_send (sql/006) decided, and its answer: the
 *  status, and the field error of a 400. 'no_caller' is service_user_not_found's. */
static const struct {
    const char *outcome;
    proto_status_t status;
    const char *field, *error;
} send_outcomes[] = {
    { "created", PROTO_CREATED, NULL, NULL },
    { "replayed", PROTO_OK, NULL, NULL },
    { "no_other", PROTO_NOT_FOUND, NULL, NULL },
    { "not_friends", PROTO_FORBIDDEN, NULL, NULL },
    { "to_self", PROTO_INVALID, "non_field_errors", TO_ONESELF },
    { "key_reused", PROTO_INVALID, "client_id", KEY_REUSED },
};

/*  Packs the answer of CHAT_Q_SEND's row: the Message of a 201 or 200 (with its
 *  client_id when the send asked for the Message as events carry it), a 400's field
 *  error, or nothing. Returns the status. */
static proto_status_t send_answer(const send_t *send, const PGresult *res, msgpack_packer *out)
{
    const char *outcome = PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "";
    if (strcmp(outcome, "no_caller") == 0)
        return service_user_not_found(out);
    for (size_t i = 0; i < sizeof send_outcomes / sizeof send_outcomes[0]; i++) {
        if (strcmp(outcome, send_outcomes[i].outcome) != 0)
            continue;
        proto_status_t status = send_outcomes[i].status;
        if (send_outcomes[i].field)
            proto_pack_field_error(out, send_outcomes[i].field, send_outcomes[i].error);
        else if (status == PROTO_CREATED || status == PROTO_OK)
            if (message_record_pack_full(out, res, 0, 1, send->as_event) != 0)
                return PROTO_INTERNAL;
        return status;
    }
    log_error("chat.send: unexpected outcome \"%s\"", outcome);
    return PROTO_INTERNAL;
}

/*  One attempt at a valid send: one statement, its own transaction (sql/006
 *  chat_send), committed before the answer is packed. Returns true with the answer in
 *  *status, false to try again (a deadlock between senders). */
static bool send_attempt(service_ctx_t *ctx, const send_t *send, msgpack_packer *out,
                         proto_status_t *status)
{
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, send->caller), db_value_id(&b, send->other),
                             send->text, send->has_key ? send->key : NULL };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, CHAT_Q_SEND, 4, params, &res);
    if (rc == DB_SERIALIZATION)
        return false;
    *status = rc == DB_OK ? send_answer(send, res, out) : db_value_failure(rc);
    PQclear(res);
    return true;
}

/* Copies a read field into buf as a C string (it fits: the limits were checked). */
static void copy_field(char *buf, size_t size, const charfield_t *field)
{
    size_t n = field->len < size - 1 ? field->len : size - 1;
    memcpy(buf, field->ptr, n);
    buf[n] = '\0';
}

/* Sleeps a little before attempt number `attempt` (1, 2, ...) of a lost race. */
static void backoff(int attempt)
{
    usleep((useconds_t) (attempt * 500 + (getpid() + attempt * 7919) % 1000));
}

/*  chat.send: stores a message from the caller to {id} (201), or answers a resend of
 *  a stored client_id with the stored message (200). */
proto_status_t chat_send(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    /* About 16 KiB (the text's room): on the heap, not the worker's stack. */
    send_t *s = calloc(1, sizeof *s);
    if (!s)
        return PROTO_INTERNAL;
    field_errors_t errors;
    field_errors_init(&errors);
    s->caller = (int64_t) req->user_id;
    s->other = request_path_id(req);
    s->errors = &errors;
    /* A WebSocket chat.send (gateway/chat/) echoes a resend as events carry it. */
    proto_get_bool(&req->body, "as_event", &s->as_event);
    const msgpack_object *data = proto_map_get(&req->body, "data");
    chat_send_fields_t fields;
    if (serializer_data_check(data, SERIALIZER_DATA_NONE, &errors)) {
        chat_fields_send(data, &fields, &errors);
        if (!field_errors_has(&errors, "text"))
            copy_field(s->text, sizeof s->text, &fields.text);
        if (fields.has_client_id && !field_errors_has(&errors, "client_id")) {
            s->has_key = true;
            copy_field(s->key, sizeof s->key, &fields.client_id);
        }
    }
    proto_status_t status = PROTO_UNAVAILABLE;
    bool settled = field_errors_any(&errors);
    if (settled)
        status = send_refused(ctx, s, out);
    for (int n = 1; n <= SEND_ATTEMPTS && !settled; n++) {
        settled = send_attempt(ctx, s, out, &status);
        if (!settled)
            backoff(n);
    }
    if (!settled)
        log_warn("chat.send: gave up after %d attempts", SEND_ATTEMPTS);
    free(s);
    return status;
}

/* ---- history ---- */

/* chat.history: the conversation with {id}, newest first, older than ?before=. */
proto_status_t chat_history(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    int64_t caller = (int64_t) req->user_id, other = request_path_id(req);
    const msgpack_object *query = proto_map_get(&req->body, "query");
    field_errors_t errors;
    field_errors_init(&errors);
    bool has_before;
    int64_t before = 0;
    proto_status_t status;
    if (chat_fields_before(query, &has_before, &before, &errors) != 0) {
        peer_t peer;
        db_status_t rc = peer_read(ctx, caller, other, &peer);
        if (rc != DB_OK)
            return db_value_failure(rc);
        if (missing_user(peer.caller, peer.other, out, &status))
            return status;
        field_errors_pack(&errors, out);
        return PROTO_INVALID;
    }
    int64_t limit = chat_fields_limit(query);
    char rows[24];
    snprintf(rows, sizeof rows, "%lld", (long long) limit + 1);
    db_value_id_t a, b, c;
    const char *params[] = { db_value_id(&a, caller), db_value_id(&b, other),
                             has_before ? db_value_id(&c, before) : NULL, rows };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, CHAT_Q_HISTORY, 4, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    if (missing_user(db_value_true(res, 0, 0), db_value_true(res, 0, 1), out, &status)) {
        PQclear(res);
        return status;
    }
    /* One row with NULL message columns when the conversation has none. */
    int n = PQgetisnull(res, 0, 2) ? 0 : PQntuples(res);
    bool more = n > limit;
    if (more)
        n = (int) limit;
    msgpack_pack_map(out, 2);
    proto_pack_str(out, "results");
    msgpack_pack_array(out, (uint32_t) n);
    status = PROTO_OK;
    for (int i = 0; i < n; i++)
        if (message_record_pack(out, res, i, 2) != 0)
            status = PROTO_INTERNAL;
    proto_pack_kv_bool(out, "has_more", more);
    PQclear(res);
    return status;
}

/* ---- read ---- */

/* chat.read: marks {id}'s messages to the caller read: {"updated": N}. */
proto_status_t chat_read(service_ctx_t *ctx, const proto_msg_t *req, msgpack_packer *out)
{
    db_value_id_t a, b;
    const char *params[] = { db_value_id(&a, (int64_t) req->user_id),
                             db_value_id(&b, request_path_id(req)) };
    PGresult *res = NULL;
    db_status_t rc = db_exec(ctx->db, CHAT_Q_READ, 2, params, &res);
    if (rc != DB_OK)
        return db_value_failure(rc);
    proto_status_t status;
    long long updated = 0;
    if (!missing_user(db_value_true(res, 0, 0), db_value_true(res, 0, 1), out, &status)) {
        status = db_value_int(res, 0, 2, &updated) == 0 ? PROTO_OK : PROTO_INTERNAL;
        if (status == PROTO_OK) {
            msgpack_pack_map(out, 1);
            proto_pack_kv_int(out, "updated", updated);
        }
    }
    PQclear(res);
    return status;
}

/* ---- conversations ---- */

/* Packs one conversation row (a page_row_fn): the user, the last message, unread. */
static int conversation_pack(msgpack_packer *pk, const PGresult *res, int row, int col)
{
    long long unread;
    if (col + USER_RECORD_NCOLS + MESSAGE_NCOLS + 1 > PQnfields(res)
        || PQgetisnull(res, row, col) || PQgetisnull(res, row, col + USER_RECORD_NCOLS)
        || db_value_int(res, row, col + USER_RECORD_NCOLS + MESSAGE_NCOLS, &unread) != 0)
        return -1;
    msgpack_pack_map(pk, 3);
    proto_pack_str(pk, "user");
    if (user_record_pack(pk, res, row, col, false) != 0)
        return -1;
    proto_pack_str(pk, "last_message");
    if (message_record_pack(pk, res, row, col + USER_RECORD_NCOLS) != 0)
        return -1;
    proto_pack_kv_int(pk, "unread", unread);
    return 0;
}

/* chat.conversations: the caller's conversations, the most recent first (paginated). */
proto_status_t chat_conversations(service_ctx_t *ctx, const proto_msg_t *req,
                                  msgpack_packer *out)
{
    return page_of_caller(ctx->db, req, CHAT_Q_CONVERSATIONS, conversation_pack, out);
}
