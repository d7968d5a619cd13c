/*  Integration tests of the friend service: the running broker, auth and friend
 *  services over the real bus, and the database itself (DATABASE_URL) to check the
 *  state the service leaves behind: requests, friendships and notifications. Users
 *  are registered through auth.register with unique names, so reruns against the same
 *  database work. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "proto.h"
#include "proto_json.h"
#include "testassert.h"
#include "testbus.h"

#define PASSWORD "correct-horse-42"
/* An id no account will ever have: it stands for a caller whose account is gone. */
#define GONE_UID 9000000000000000ULL

/* ---- helpers ---- */

/* Calls friend.<method> as uid with body (stolen; NULL for nil). */
static testbus_reply_t call(const char *method, int64_t uid, json_t *body)
{
    return testbus_call_json("friend", method, (uint64_t) uid, body);
}

/* Registers a user named prefix + something unique; copies the username out. */
static int64_t register_named(const char *prefix, char *username, size_t size)
{
    char name[128];
    snprintf(name, sizeof name, "%s", testbus_unique(prefix));
    int64_t id = register_account(name, PASSWORD, NULL, NULL);
    if (username)
        snprintf(username, size, "%s", name);
    return id;
}

static int64_t new_user(void)
{
    return register_named("f", NULL, 0);
}

/* friend.request_create from -> to; returns the reply. */
static testbus_reply_t send_request(int64_t from, int64_t to)
{
    return call("request_create", from, json_pack("{s:{s:I}}", "data", "receiver", (json_int_t) to));
}

/* Sends from -> to, asserts 201 and returns the request id. */
static int64_t request_id(int64_t from, int64_t to)
{
    testbus_reply_t r = send_request(from, to);
    cr_assert_eq(r.status, PROTO_CREATED, "request: status %d", r.status);
    int64_t id = testbus_int(&r, "id");
    testbus_reply_free(&r);
    return id;
}

static testbus_reply_t answer(int64_t caller, int64_t id, const char *status)
{
    return call("request_answer", caller,
                json_pack("{s:{s:I}, s:{s:s}}", "path", "id", (json_int_t) id, "data", "status", status));
}

static testbus_reply_t cancel(int64_t caller, int64_t id)
{
    return call("request_cancel", caller, json_pack("{s:{s:I}}", "path", "id", (json_int_t) id));
}

static testbus_reply_t unfriend(int64_t caller, int64_t other)
{
    return call("unfriend", caller, json_pack("{s:{s:I}}", "path", "id", (json_int_t) other));
}

/* Makes a and b friends through the service. */
static void befriend(int64_t a, int64_t b)
{
    int64_t id = request_id(a, b);
    testbus_reply_t r = answer(b, id, "accepted");
    cr_assert_eq(r.status, PROTO_OK);
    testbus_reply_free(&r);
}

/* Runs a query with up to three bigint parameters and returns the first column of
 * the first row as a number (-1 when there is no row). */
static long long db_value(const char *sql, int nparams, int64_t p1, int64_t p2, int64_t p3)
{
    PGconn *conn = PQconnectdb(config_str("DATABASE_URL", "postgresql://postgres@127.0.0.1/socialnet"));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "database: %s", PQerrorMessage(conn));
    char a[24], b[24], c[24];
    snprintf(a, sizeof a, "%lld", (long long) p1);
    snprintf(b, sizeof b, "%lld", (long long) p2);
    snprintf(c, sizeof c, "%lld", (long long) p3);
    const char *params[] = { a, b, c };
    PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQresultErrorMessage(res));
    long long value = PQntuples(res) > 0 ? atoll(PQgetvalue(res, 0, 0)) : -1;
    PQclear(res);
    PQfinish(conn);
    return value;
}

/* Rows of friendships between a and b (0 or 2 in a consistent state). */
static long long friendship_rows(int64_t a, int64_t b)
{
    return db_value("SELECT count(*) FROM friendships WHERE (user_id = $1 AND friend_id = $2)"
                    " OR (user_id = $2 AND friend_id = $1)", 2, a, b, 0);
}

/* Pending requests between a and b, either direction. */
static long long pending_between(int64_t a, int64_t b)
{
    return db_value("SELECT count(*) FROM friend_requests WHERE status = 'pending' AND"
                    " ((sender_id = $1 AND receiver_id = $2) OR (sender_id = $2 AND receiver_id = $1))",
                    2, a, b, 0);
}

/* Notifications of `type` for user, from sender, about request id. */
static long long notifications(int64_t user, int64_t sender, const char *type, int64_t id)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notifications WHERE user_id = $1 AND sender_id = $2"
             " AND type = '%s' AND data = jsonb_build_object('friend_request_id', $3::bigint)", type);
    return db_value(sql, 3, user, sender, id);
}

/* The page body of a list call. */
static json_t *page_body(int page, int page_size)
{
    return json_pack("{s:i, s:i}", "page", page, "page_size", page_size);
}

/* ---- sending ---- */

Test(friend, request_is_created_pending_and_notifies_the_receiver)
{
    char a_name[128], b_name[128];
    int64_t a = register_named("fa", a_name, sizeof a_name), b = register_named("fb", b_name, sizeof b_name);
    testbus_reply_t r = send_request(a, b);
    cr_assert_eq(r.status, PROTO_CREATED);
    int64_t id = testbus_int(&r, "id");
    cr_assert_gt(id, 0);
    cr_assert_str_eq(testbus_str(&r, "status"), "pending");
    json_t *sender = json_object_get(r.body, "sender"), *receiver = json_object_get(r.body, "receiver");
    cr_assert_eq(json_integer_value(json_object_get(sender, "id")), a);
    cr_assert_str_eq(json_string_value(json_object_get(sender, "username")), a_name);
    cr_assert_eq(json_integer_value(json_object_get(receiver, "id")), b);
    cr_assert_null(json_object_get(sender, "email"));
    cr_assert_null(json_object_get(receiver, "email"));
    cr_assert_eq(json_object_size(sender), 7);
    cr_assert(json_is_false(json_object_get(receiver, "is_online")));
    const char *created = testbus_str(&r, "created_at");
    cr_assert_eq(strlen(created), 24);
    cr_assert_eq(created[23], 'Z');
    cr_assert_str_eq(created, testbus_str(&r, "updated_at"));
    cr_assert_eq(json_object_size(r.body), 6);
    testbus_reply_free(&r);

    cr_assert_eq(notifications(b, a, "friend_request", id), 1);
    char text[200];
    snprintf(text, sizeof text, "%s sent you a friend request.", a_name);
    PGconn *conn = PQconnectdb(config_str("DATABASE_URL", ""));
    char bid[24];
    snprintf(bid, sizeof bid, "%lld", (long long) b);
    const char *params[] = { bid };
    PGresult *res = PQexecParams(conn, "SELECT text, is_read FROM notifications WHERE user_id = $1"
                                 " AND type = 'friend_request'", 1, NULL, params, NULL, NULL, 0);
    cr_assert_eq(PQntuples(res), 1);
    cr_assert_str_eq(PQgetvalue(res, 0, 0), text);
    cr_assert_str_eq(PQgetvalue(res, 0, 1), "f");
    PQclear(res);
    PQfinish(conn);
}

Test(friend, receiver_field_errors)
{
    int64_t a = new_user();
    testbus_reply_t r = call("request_create", a, json_pack("{s:{}}", "data"));
    assert_field_error(&r, "receiver", "This field is required.");
    testbus_reply_free(&r);
    r = call("request_create", a, NULL);
    assert_field_error(&r, "receiver", "This field is required.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:{s:n}}", "data", "receiver"));
    assert_field_error(&r, "receiver", "This field may not be null.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:{s:s}}", "data", "receiver", "abc"));
    assert_field_error(&r, "receiver", "Incorrect type. Expected pk value, received str.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:{s:b}}", "data", "receiver", 1));
    assert_field_error(&r, "receiver", "Incorrect type. Expected pk value, received bool.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:{s:[i]}}", "data", "receiver", 1));
    assert_field_error(&r, "receiver", "Incorrect type. Expected pk value, received list.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:{s:I}}", "data", "receiver", (json_int_t) 8999999999999999LL));
    assert_field_error(&r, "receiver", "Invalid pk \"8999999999999999\" - object does not exist.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:{s:i}}", "data", "receiver", -3));
    assert_field_error(&r, "receiver", "Invalid pk \"-3\" - object does not exist.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:{s:s}}", "data", "receiver", "8999999999999998"));
    assert_field_error(&r, "receiver", "Invalid pk \"8999999999999998\" - object does not exist.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:[]}", "data"));
    assert_field_error(&r, "non_field_errors", "Invalid data. Expected a dictionary, but got list.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:s}", "data", "x"));
    assert_field_error(&r, "non_field_errors", "Invalid data. Expected a dictionary, but got str.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:n}", "data"));
    assert_field_error(&r, "non_field_errors", "No data provided");
    testbus_reply_free(&r);
    /* As Django looks ids up: int() of the value. */
    r = call("request_create", a, json_pack("{s:{s:f}}", "data", "receiver", 0.5));
    assert_field_error(&r, "receiver", "Invalid pk \"0.5\" - object does not exist.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:{s:s}}", "data", "receiver", "1e0"));
    assert_field_error(&r, "receiver", "Incorrect type. Expected pk value, received str.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:{s:s}}", "data", "receiver", ""));
    assert_field_error(&r, "receiver", "This field may not be null.");
    testbus_reply_free(&r);
    r = call("request_create", a, json_pack("{s:{s:{s:i}}}", "data", "receiver", "a", 1));
    assert_field_error(&r, "receiver", "Incorrect type. Expected pk value, received dict.");
    testbus_reply_free(&r);
}

Test(friend, receiver_as_an_integer_string_is_looked_up)
{
    int64_t a = new_user(), b = new_user();
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long) b);
    testbus_reply_t r = call("request_create", a, json_pack("{s:{s:s}}", "data", "receiver", text));
    cr_assert_eq(r.status, PROTO_CREATED);
    testbus_reply_free(&r);
}

Test(friend, non_field_refusals)
{
    int64_t a = new_user(), b = new_user(), c = new_user();
    testbus_reply_t r = send_request(a, a);
    assert_field_error(&r, "non_field_errors", "You cannot send a friend request to yourself.");
    testbus_reply_free(&r);

    request_id(a, b);
    r = send_request(a, b);
    assert_field_error(&r, "non_field_errors", "A pending friend request to this user already exists.");
    testbus_reply_free(&r);
    cr_assert_eq(pending_between(a, b), 1);

    befriend(a, c);
    r = send_request(a, c);
    assert_field_error(&r, "non_field_errors", "You are already friends with this user.");
    testbus_reply_free(&r);
    r = send_request(c, a);
    assert_field_error(&r, "non_field_errors", "You are already friends with this user.");
    testbus_reply_free(&r);
    /* The refused requests left nothing behind: no request, no notification. */
    cr_assert_eq(pending_between(a, c), 0);
    cr_assert_eq(db_value("SELECT count(*) FROM notifications WHERE user_id = $1 AND type = 'friend_request'", 1, a, 0, 0), 0);
}

Test(friend, request_to_someone_who_already_asked_accepts_theirs)
{
    int64_t a = new_user(), b = new_user();
    int64_t id = request_id(a, b);
    testbus_reply_t r = send_request(b, a);
    cr_assert_eq(r.status, PROTO_OK, "status %d", r.status);
    cr_assert_eq(testbus_int(&r, "id"), id);
    cr_assert_str_eq(testbus_str(&r, "status"), "accepted");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(r.body, "sender"), "id")), a);
    testbus_reply_free(&r);
    cr_assert_eq(friendship_rows(a, b), 2);
    cr_assert_eq(pending_between(a, b), 0);
    cr_assert_eq(notifications(a, b, "friend_accept", id), 1);
}

/* ---- answering ---- */

Test(friend, receiver_accepts_and_both_become_friends)
{
    char b_name[128];
    int64_t a = new_user(), b = register_named("acc", b_name, sizeof b_name);
    int64_t id = request_id(a, b);
    testbus_reply_t r = answer(b, id, "accepted");
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_eq(testbus_int(&r, "id"), id);
    cr_assert_str_eq(testbus_str(&r, "status"), "accepted");
    cr_assert_str_neq(testbus_str(&r, "updated_at"), "");
    testbus_reply_free(&r);
    cr_assert_eq(friendship_rows(a, b), 2);
    cr_assert_eq(notifications(a, b, "friend_accept", id), 1);
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notifications WHERE user_id = $1 AND text = '%s accepted your friend request.'", b_name);
    cr_assert_eq(db_value(sql, 1, a, 0, 0), 1);
    /* Answered once: a second answer is refused. */
    r = answer(b, id, "rejected");
    assert_field_error(&r, "non_field_errors", "This friend request has already been answered.");
    testbus_reply_free(&r);
}

Test(friend, receiver_rejects_and_nothing_else_changes)
{
    int64_t a = new_user(), b = new_user();
    int64_t id = request_id(a, b);
    testbus_reply_t r = answer(b, id, "rejected");
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_str_eq(testbus_str(&r, "status"), "rejected");
    testbus_reply_free(&r);
    cr_assert_eq(friendship_rows(a, b), 0);
    cr_assert_eq(db_value("SELECT count(*) FROM notifications WHERE user_id = $1 AND type = 'friend_accept'", 1, a, 0, 0), 0);
    r = answer(b, id, "accepted");
    assert_field_error(&r, "non_field_errors", "This friend request has already been answered.");
    testbus_reply_free(&r);
    /* A rejected request does not block a new one, either way. */
    request_id(b, a);
}

Test(friend, only_the_receiver_may_answer)
{
    int64_t a = new_user(), b = new_user(), c = new_user();
    int64_t id = request_id(a, b);
    testbus_reply_t r = answer(a, id, "accepted");
    cr_assert_eq(r.status, PROTO_FORBIDDEN);
    testbus_reply_free(&r);
    r = answer(c, id, "accepted");
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    r = answer(b, 8999999999999999LL, "accepted");
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    /* 403/404 come before body errors. */
    r = answer(a, id, "maybe");
    cr_assert_eq(r.status, PROTO_FORBIDDEN);
    testbus_reply_free(&r);
    r = answer(c, id, "maybe");
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    cr_assert_eq(pending_between(a, b), 1);
}

Test(friend, answer_status_errors)
{
    int64_t a = new_user(), b = new_user();
    int64_t id = request_id(a, b);
    testbus_reply_t r = answer(b, id, "maybe");
    assert_field_error(&r, "status", "\"maybe\" is not a valid choice.");
    testbus_reply_free(&r);
    r = answer(b, id, "pending");
    assert_field_error(&r, "status", "\"pending\" is not a valid choice.");
    testbus_reply_free(&r);
    r = call("request_answer", b, json_pack("{s:{s:I}, s:{}}", "path", "id", (json_int_t) id, "data"));
    assert_field_error(&r, "status", "This field is required.");
    testbus_reply_free(&r);
    r = call("request_answer", b, json_pack("{s:{s:I}}", "path", "id", (json_int_t) id));
    assert_field_error(&r, "status", "This field is required.");
    testbus_reply_free(&r);
    r = call("request_answer", b, json_pack("{s:{s:I}, s:{s:n}}", "path", "id", (json_int_t) id, "data", "status"));
    assert_field_error(&r, "status", "This field may not be null.");
    testbus_reply_free(&r);
    r = call("request_answer", b, json_pack("{s:{s:I}, s:{s:i}}", "path", "id", (json_int_t) id, "data", "status", 5));
    assert_field_error(&r, "status", "\"5\" is not a valid choice.");
    testbus_reply_free(&r);
    r = call("request_answer", b, json_pack("{s:{s:I}, s:{s:f}}", "path", "id", (json_int_t) id, "data", "status", 1e16));
    assert_field_error(&r, "status", "\"1e+16\" is not a valid choice.");
    testbus_reply_free(&r);
    r = call("request_answer", b, json_pack("{s:{s:I}, s:{s:b}}", "path", "id", (json_int_t) id, "data", "status", 1));
    assert_field_error(&r, "status", "\"True\" is not a valid choice.");
    testbus_reply_free(&r);
    r = call("request_answer", b, json_pack("{s:{s:I}, s:{s:{s:i}}}", "path", "id", (json_int_t) id, "data", "status", "a", 1));
    assert_field_error(&r, "status", "\"{'a': 1}\" is not a valid choice.");
    testbus_reply_free(&r);
    r = call("request_answer", b, json_pack("{s:{s:I}, s:{s:s}}", "path", "id", (json_int_t) id, "data", "status", ""));
    assert_field_error(&r, "status", "\"\" is not a valid choice.");
    testbus_reply_free(&r);
    r = call("request_answer", b, json_pack("{s:{s:I}, s:[]}", "path", "id", (json_int_t) id, "data"));
    assert_field_error(&r, "non_field_errors", "Invalid data. Expected a dictionary, but got list.");
    testbus_reply_free(&r);
    r = call("request_answer", b, json_pack("{s:{s:I}, s:{s:s#}}", "path", "id", (json_int_t) id, "data", "status", "acc\0epted", (size_t) 9));
    cr_assert_eq(r.status, PROTO_INVALID);
    testbus_reply_free(&r);
    cr_assert_eq(pending_between(a, b), 1);
}

/* ---- cancelling ---- */

Test(friend, sender_cancels_a_pending_request)
{
    int64_t a = new_user(), b = new_user(), c = new_user();
    int64_t id = request_id(a, b);
    testbus_reply_t r = cancel(b, id);
    cr_assert_eq(r.status, PROTO_FORBIDDEN);
    testbus_reply_free(&r);
    r = cancel(c, id);
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    r = cancel(a, id);
    cr_assert_eq(r.status, PROTO_NO_CONTENT);
    cr_assert(json_is_null(r.body));
    testbus_reply_free(&r);
    cr_assert_eq(pending_between(a, b), 0);
    r = cancel(a, id);
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    /* Gone: answering it is 404 too, and a new request can be sent. */
    r = answer(b, id, "accepted");
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    request_id(a, b);
}

Test(friend, an_answered_request_cannot_be_cancelled)
{
    int64_t a = new_user(), b = new_user();
    int64_t id = request_id(a, b);
    testbus_reply_t r = answer(b, id, "accepted");
    testbus_reply_free(&r);
    r = cancel(a, id);
    assert_field_error(&r, "non_field_errors", "This friend request has already been answered.");
    testbus_reply_free(&r);
    cr_assert_eq(friendship_rows(a, b), 2);
}

/* ---- lists ---- */

Test(friend, pending_lists_by_direction)
{
    int64_t me = new_user(), x = new_user(), y = new_user(), z = new_user(), w = new_user();
    int64_t in1 = request_id(x, me), in2 = request_id(y, me), out1 = request_id(me, z);
    int64_t gone = request_id(w, me);
    testbus_reply_t r = answer(me, gone, "rejected");
    testbus_reply_free(&r);
    int64_t ids[10];

    r = call("request_list", me, page_body(1, 20));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_eq(testbus_int(&r, "count"), 2);
    cr_assert_eq(result_ids(&r, ids, 10), 2);
    /* Newest first. */
    cr_assert_eq(ids[0], in2);
    cr_assert_eq(ids[1], in1);
    json_t *first = json_array_get(json_object_get(r.body, "results"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(first, "status")), "pending");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(first, "receiver"), "id")), me);
    testbus_reply_free(&r);

    r = call("request_list", me, json_pack("{s:i, s:i, s:{s:s}}", "page", 1, "page_size", 20, "query", "direction", "incoming"));
    cr_assert_eq(testbus_int(&r, "count"), 2);
    testbus_reply_free(&r);

    r = call("request_list", me, json_pack("{s:i, s:i, s:{s:s}}", "page", 1, "page_size", 20, "query", "direction", "outgoing"));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_eq(testbus_int(&r, "count"), 1);
    cr_assert_eq(result_ids(&r, ids, 10), 1);
    cr_assert_eq(ids[0], out1);
    testbus_reply_free(&r);

    r = call("request_list", me, json_pack("{s:i, s:i, s:{s:s}}", "page", 1, "page_size", 20, "query", "direction", "sideways"));
    assert_field_error(&r, "direction", "\"sideways\" is not a valid choice.");
    testbus_reply_free(&r);

    /* Pagination edges. */
    r = call("request_list", me, page_body(2, 1));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_eq(result_ids(&r, ids, 10), 1);
    cr_assert_eq(ids[0], in1);
    testbus_reply_free(&r);
    r = call("request_list", me, page_body(3, 1));
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    cr_assert_str_eq(testbus_str(&r, "detail"), "Invalid page.");
    testbus_reply_free(&r);
    r = call("request_list", w, page_body(1, 20));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_eq(testbus_int(&r, "count"), 0);
    testbus_reply_free(&r);
    r = call("request_list", w, page_body(2, 20));
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
}

Test(friend, friends_are_listed_by_username)
{
    char token[64], name[128];
    snprintf(token, sizeof token, "%s", testbus_unique("ord"));
    int64_t me = new_user();
    /* Registered in an order different from their usernames'. */
    const char *prefixes[] = { "c", "a", "d", "b" };
    int64_t ids[4];
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "%s%s", prefixes[i], token);
        ids[i] = register_named(name, NULL, 0);
        if (i % 2)
            befriend(me, ids[i]);
        else
            befriend(ids[i], me);
    }
    int64_t got[8];
    testbus_reply_t r = call("list", me, page_body(1, 20));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_eq(testbus_int(&r, "count"), 4);
    cr_assert_eq(result_ids(&r, got, 8), 4);
    cr_assert_eq(got[0], ids[1]);
    cr_assert_eq(got[1], ids[3]);
    cr_assert_eq(got[2], ids[0]);
    cr_assert_eq(got[3], ids[2]);
    json_t *friend = json_array_get(json_object_get(r.body, "results"), 0);
    cr_assert_null(json_object_get(friend, "email"));
    cr_assert_eq(json_object_size(friend), 7);
    testbus_reply_free(&r);

    r = call("list", me, page_body(2, 3));
    cr_assert_eq(result_ids(&r, got, 8), 1);
    cr_assert_eq(got[0], ids[2]);
    testbus_reply_free(&r);
    r = call("list", me, page_body(3, 3));
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);

    /* Each friend sees me. */
    r = call("list", ids[0], page_body(1, 20));
    cr_assert_eq(testbus_int(&r, "count"), 1);
    cr_assert_eq(result_ids(&r, got, 8), 1);
    cr_assert_eq(got[0], me);
    testbus_reply_free(&r);
}

Test(friend, unfriend_removes_both_sides)
{
    int64_t a = new_user(), b = new_user(), c = new_user();
    befriend(a, b);
    testbus_reply_t r = unfriend(b, a);
    cr_assert_eq(r.status, PROTO_NO_CONTENT);
    testbus_reply_free(&r);
    cr_assert_eq(friendship_rows(a, b), 0);
    r = call("list", a, page_body(1, 20));
    cr_assert_eq(testbus_int(&r, "count"), 0);
    testbus_reply_free(&r);
    r = unfriend(a, b);
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    r = unfriend(a, c);
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    r = unfriend(a, a);
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    r = unfriend(a, 8999999999999999LL);
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    /* They can become friends again. */
    befriend(b, a);
    cr_assert_eq(friendship_rows(a, b), 2);
}

Test(friend, caller_whose_account_is_gone_gets_401_everywhere)
{
    int64_t a = new_user(), b = new_user();
    int64_t id = request_id(a, b);
    int64_t gone = (int64_t) GONE_UID;
    testbus_reply_t r = send_request(gone, a);
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = send_request(gone, gone);
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("request_create", gone, json_pack("{s:{}}", "data"));
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = answer(gone, id, "accepted");
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = answer(gone, id, "maybe");
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = cancel(gone, id);
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("request_list", gone, page_body(1, 20));
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("request_list", gone, json_pack("{s:{s:s}}", "query", "direction", "x"));
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("list", gone, page_body(1, 20));
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = unfriend(gone, a);
    assert_user_gone(&r);
    testbus_reply_free(&r);
}

/* ---- concurrency ---- */

typedef struct {
    int64_t from, to;        /* the request to send */
    pthread_barrier_t *go;   /* start line */
    int status;              /* reply status */
    char message[256];       /* first non_field_errors message, if any */
} send_race_t;

static void *race_send(void *arg)
{
    send_race_t *race = arg;
    pthread_barrier_wait(race->go);
    testbus_reply_t r = send_request(race->from, race->to);
    race->status = r.status;
    const char *message = json_string_value(json_array_get(json_object_get(r.body, "non_field_errors"), 0));
    snprintf(race->message, sizeof race->message, "%s", message ? message : "");
    testbus_reply_free(&r);
    return NULL;
}

/* Number of simultaneous senders in a race. */
#define RACERS 20

/*  Sends RACERS friend requests between a and b at once, half in each direction (a -> b
 *  from the odd ones), and waits for every reply. */
static void run_send_races(int64_t a, int64_t b, send_race_t races[RACERS])
{
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, RACERS);
    pthread_t threads[RACERS];
    for (int i = 0; i < RACERS; i++) {
        races[i] = (send_race_t) { i % 2 ? a : b, i % 2 ? b : a, &go, -1, "" };
        pthread_create(&threads[i], NULL, race_send, &races[i]);
    }
    for (int i = 0; i < RACERS; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&go);
}

/*  Twenty simultaneous requests between a and b, half in each direction: one request
 *  is created, at most one is accepted, the rest are refused with a clear reason, and
 *  the pair ends with exactly one pending request or one friendship. */
static void race_both_directions(int64_t a, int64_t b)
{
    send_race_t races[RACERS];
    run_send_races(a, b, races);
    int created = 0, accepted = 0;
    for (int i = 0; i < RACERS; i++) {
        if (races[i].status == PROTO_CREATED) {
            created++;
        } else if (races[i].status == PROTO_OK) {
            accepted++;
        } else {
            cr_assert_eq(races[i].status, PROTO_INVALID, "status %d", races[i].status);
            cr_assert(strcmp(races[i].message, "A pending friend request to this user already exists.") == 0
                      || strcmp(races[i].message, "You are already friends with this user.") == 0,
                      "unexpected refusal: %s", races[i].message);
        }
    }
    cr_assert_eq(created, 1);
    cr_assert_leq(accepted, 1);
    long long pending = pending_between(a, b), rows = friendship_rows(a, b);
    if (accepted)
        cr_assert(pending == 0 && rows == 2, "pending %lld, friendship rows %lld", pending, rows);
    else
        cr_assert(pending == 1 && rows == 0, "pending %lld, friendship rows %lld", pending, rows);
    /* Exactly one friend_request notification, and a friend_accept only if accepted. */
    cr_assert_eq(db_value("SELECT count(*) FROM notifications WHERE type = 'friend_request'"
                          " AND ((user_id = $1 AND sender_id = $2) OR (user_id = $2 AND sender_id = $1))",
                          2, a, b, 0), 1);
    cr_assert_eq(db_value("SELECT count(*) FROM notifications WHERE type = 'friend_accept'"
                          " AND ((user_id = $1 AND sender_id = $2) OR (user_id = $2 AND sender_id = $1))",
                          2, a, b, 0), accepted);
}

Test(friend, twenty_simultaneous_requests_in_both_directions, .timeout = 120)
{
    for (int round = 0; round < 5; round++)
        race_both_directions(new_user(), new_user());
}

Test(friend, twenty_simultaneous_requests_while_already_pending, .timeout = 120)
{
    /* With a pending a -> b first, the b -> a requests race to accept it. */
    for (int round = 0; round < 3; round++) {
        int64_t a = new_user(), b = new_user();
        request_id(a, b);
        send_race_t races[RACERS];
        run_send_races(a, b, races);
        int accepted = 0;
        for (int i = 0; i < RACERS; i++) {
            cr_assert(races[i].status == PROTO_OK || races[i].status == PROTO_INVALID, "status %d", races[i].status);
            accepted += races[i].status == PROTO_OK;
        }
        cr_assert_eq(accepted, 1);
        cr_assert_eq(pending_between(a, b), 0);
        cr_assert_eq(friendship_rows(a, b), 2);
    }
}

typedef struct {
    int64_t caller, id;      /* who acts on which request */
    int accept;              /* 1: receiver accepts; 0: sender cancels */
    pthread_barrier_t *go;   /* start line */
    int status;              /* reply status */
} answer_race_t;

static void *race_answer(void *arg)
{
    answer_race_t *race = arg;
    pthread_barrier_wait(race->go);
    testbus_reply_t r = race->accept ? answer(race->caller, race->id, "accepted")
                                     : cancel(race->caller, race->id);
    race->status = r.status;
    testbus_reply_free(&r);
    return NULL;
}

Test(friend, accept_racing_cancel_ends_in_one_consistent_state, .timeout = 120)
{
    int accepts = 0, cancels = 0;
    for (int round = 0; round < 15; round++) {
        int64_t a = new_user(), b = new_user();
        int64_t id = request_id(a, b);
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, 2);
        answer_race_t races[2] = { { b, id, 1, &go, -1 }, { a, id, 0, &go, -1 } };
        pthread_t threads[2];
        for (int i = 0; i < 2; i++)
            pthread_create(&threads[i], NULL, race_answer, &races[i]);
        for (int i = 0; i < 2; i++)
            pthread_join(threads[i], NULL);
        pthread_barrier_destroy(&go);
        long long requests = db_value("SELECT count(*) FROM friend_requests WHERE id = $1", 1, id, 0, 0);
        if (races[0].status == PROTO_OK) {
            /* The accept won: the cancel found it answered. */
            cr_assert_eq(races[1].status, PROTO_INVALID);
            cr_assert_eq(friendship_rows(a, b), 2);
            cr_assert_eq(requests, 1);
            accepts++;
        } else {
            /* The cancel won: the accept found nothing. */
            cr_assert_eq(races[1].status, PROTO_NO_CONTENT, "cancel %d accept %d", races[1].status, races[0].status);
            cr_assert_eq(races[0].status, PROTO_NOT_FOUND);
            cr_assert_eq(friendship_rows(a, b), 0);
            cr_assert_eq(requests, 0);
            cr_assert_eq(notifications(a, b, "friend_accept", id), 0);
            cancels++;
        }
    }
    cr_log_info("accept won %d times, cancel won %d times", accepts, cancels);
}

typedef struct {
    int64_t a, b;            /* the pair this client works on */
    int64_t solo;            /* the one of them who is not the shared hub */
    pthread_barrier_t *go;   /* start line */
    int failures;            /* unexpected replies */
} client_t;

/* One client's whole story: request, accept, list, unfriend, request again, cancel. */
static void *client_story(void *arg)
{
    client_t *c = arg;
    pthread_barrier_wait(c->go);
    testbus_reply_t r = send_request(c->a, c->b);
    int64_t id = testbus_int(&r, "id");
    c->failures += r.status != PROTO_CREATED;
    testbus_reply_free(&r);
    r = answer(c->b, id, "accepted");
    c->failures += r.status != PROTO_OK;
    testbus_reply_free(&r);
    r = call("list", c->solo, page_body(1, 20));
    c->failures += r.status != PROTO_OK || testbus_int(&r, "count") != 1;
    testbus_reply_free(&r);
    r = unfriend(c->a, c->b);
    c->failures += r.status != PROTO_NO_CONTENT;
    testbus_reply_free(&r);
    r = send_request(c->b, c->a);
    id = testbus_int(&r, "id");
    c->failures += r.status != PROTO_CREATED;
    testbus_reply_free(&r);
    r = cancel(c->b, id);
    c->failures += r.status != PROTO_NO_CONTENT;
    testbus_reply_free(&r);
    return NULL;
}

Test(friend, many_clients_at_once, .timeout = 120)
{
    enum { N = 20 };
    client_t clients[N];
    pthread_t threads[N];
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, N);
    /* A shared hub so that the clients also contend on one user's rows. */
    int64_t hub = new_user();
    for (int i = 0; i < N; i++) {
        int64_t solo = new_user();
        clients[i] = (client_t) { i % 2 ? hub : solo, i % 2 ? solo : hub, solo, &go, 0 };
    }
    for (int i = 0; i < N; i++)
        pthread_create(&threads[i], NULL, client_story, &clients[i]);
    for (int i = 0; i < N; i++) {
        pthread_join(threads[i], NULL);
        cr_assert_eq(clients[i].failures, 0, "client %d: %d unexpected replies", i, clients[i].failures);
    }
    pthread_barrier_destroy(&go);
    cr_assert_eq(db_value("SELECT count(*) FROM friendships WHERE user_id = $1", 1, hub, 0, 0), 0);
}
