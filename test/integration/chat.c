/*  Integration tests of the chat service: the running broker, auth, friend, chat and
 *  notification services over the real bus, the event path (a SUB socket on the
 *  broker's XPUB, as a gateway has) and the database itself (DATABASE_URL). Users are
 *  registered with unique names, so reruns against the same database work. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "proto.h"
#include "testassert.h"
#include "testbus.h"
#include "testevents.h"

#define PASSWORD "correct-horse-42"
/* An id no account will ever have: a caller whose account is gone, an unknown user. */
#define GONE_UID 9000000000000000ULL
/* Longest wait for an event that must come (the publisher looks at least every second). */
#define EVENT_MS 5000

/* ---- helpers ---- */

static int64_t new_user(void)
{
    return register_account(testbus_unique("c"), PASSWORD, NULL, NULL);
}

/* Makes a and b friends through the friend service. */
static void befriend(int64_t a, int64_t b)
{
    testbus_reply_t r = testbus_call_json("friend", "request_create", (uint64_t) a,
                                          json_pack("{s:{s:I}}", "data", "receiver", (json_int_t) b));
    cr_assert_eq(r.status, PROTO_CREATED, "request: status %d", r.status);
    int64_t id = testbus_int(&r, "id");
    testbus_reply_free(&r);
    r = testbus_call_json("friend", "request_answer", (uint64_t) b,
                          json_pack("{s:{s:I}, s:{s:s}}", "path", "id", (json_int_t) id, "data",
                                    "status", "accepted"));
    cr_assert_eq(r.status, PROTO_OK);
    testbus_reply_free(&r);
}

static void unfriend(int64_t a, int64_t b)
{
    testbus_reply_t r = testbus_call_json("friend", "unfriend", (uint64_t) a,
                                          json_pack("{s:{s:I}}", "path", "id", (json_int_t) b));
    cr_assert_eq(r.status, PROTO_NO_CONTENT);
    testbus_reply_free(&r);
}

/* chat.send as `from` to `to` with data (stolen). */
static testbus_reply_t send_data(int64_t from, int64_t to, json_t *data)
{
    return testbus_call_json("chat", "send", (uint64_t) from,
                             json_pack("{s:{s:I}, s:o}", "path", "id", (json_int_t) to, "data", data));
}

static testbus_reply_t send_text(int64_t from, int64_t to, const char *text)
{
    return send_data(from, to, json_pack("{s:s}", "text", text));
}

/* Sends and asserts 201; returns the message id. */
static int64_t sent(int64_t from, int64_t to, const char *text)
{
    testbus_reply_t r = send_text(from, to, text);
    cr_assert_eq(r.status, PROTO_CREATED, "send: status %d", r.status);
    int64_t id = testbus_int(&r, "id");
    testbus_reply_free(&r);
    return id;
}

/* chat.history as uid with `other`; query given as JSON object (stolen; NULL: none). */
static testbus_reply_t history(int64_t uid, int64_t other, json_t *query)
{
    return testbus_call_json("chat", "history", (uint64_t) uid,
                             json_pack("{s:{s:I}, s:o}", "path", "id", (json_int_t) other, "query",
                                       query ? query : json_object()));
}

static testbus_reply_t with_other(const char *method, int64_t uid, int64_t other)
{
    return testbus_call_json("chat", method, (uint64_t) uid,
                             json_pack("{s:{s:I}, s:{}}", "path", "id", (json_int_t) other, "query"));
}

static testbus_reply_t conversations(int64_t uid, int64_t page, int64_t size)
{
    return testbus_call_json("chat", "conversations", (uint64_t) uid,
                             json_pack("{s:{}, s:I, s:I}", "query", "page", (json_int_t) page,
                                       "page_size", (json_int_t) size));
}

/* How many results a history reply has (asserting 200). */
static size_t history_count(testbus_reply_t *r)
{
    cr_assert_eq(r->status, PROTO_OK, "history: status %d", r->status);
    return json_array_size(json_object_get(r->body, "results"));
}

static bool has_more(const testbus_reply_t *r)
{
    return json_is_true(json_object_get(r->body, "has_more"));
}

static PGconn *db_connect(void)
{
    PGconn *conn = PQconnectdb(config_str("DATABASE_URL", "postgresql://postgres@127.0.0.1/socialnet"));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "database: %s", PQerrorMessage(conn));
    return conn;
}

/* Runs sql with two bigint parameters; the first column of the first row (-1: none). */
static long long db_number(const char *sql, int64_t p1, int64_t p2)
{
    PGconn *conn = db_connect();
    char a[24], b[24];
    snprintf(a, sizeof a, "%lld", (long long) p1);
    snprintf(b, sizeof b, "%lld", (long long) p2);
    const char *params[] = { a, b };
    PGresult *res = PQexecParams(conn, sql, 2, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    cr_assert(st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK, "%s", PQresultErrorMessage(res));
    long long value = PQntuples(res) > 0 ? atoll(PQgetvalue(res, 0, 0)) : -1;
    PQclear(res);
    PQfinish(conn);
    return value;
}

/* n messages from a to b written straight into the table (history tests need many);
 * returns the largest id. */
static int64_t insert_messages(int64_t a, int64_t b, int n)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "WITH x AS (INSERT INTO messages (sender_id, receiver_id, text)"
             " SELECT $1, $2, 'm' || g FROM generate_series(1, %d) g RETURNING id)"
             " SELECT max(id) FROM x", n);
    return db_number(sql, a, b);
}

/* ---- send ---- */

Test(chat, send_to_a_friend_stores_the_trimmed_text)
{
    int64_t a = new_user(), b = new_user();
    befriend(a, b);
    testbus_reply_t r = send_text(a, b, "  hello there \n");
    cr_assert_eq(r.status, PROTO_CREATED, "status %d", r.status);
    cr_expect_str_eq(testbus_str(&r, "text"), "hello there");
    cr_expect_eq(testbus_int(&r, "sender"), a);
    cr_expect_eq(testbus_int(&r, "receiver"), b);
    cr_expect(json_is_null(json_object_get(r.body, "read_at")));
    cr_expect_not_null(testbus_str(&r, "created_at"));
    cr_expect_eq(json_object_size(r.body), 6, "Message has exactly its six fields");
    testbus_reply_free(&r);
}

Test(chat, only_friends_may_write)
{
    int64_t a = new_user(), b = new_user();
    testbus_reply_t r = send_text(a, b, "hi");
    cr_expect_eq(r.status, PROTO_FORBIDDEN, "strangers: status %d", r.status);
    testbus_reply_free(&r);
    befriend(a, b);
    sent(a, b, "hi");
    unfriend(b, a);
    r = send_text(a, b, "still there?");
    cr_expect_eq(r.status, PROTO_FORBIDDEN, "former friends: status %d", r.status);
    testbus_reply_free(&r);
    /* The history stays readable for both. */
    r = history(b, a, NULL);
    cr_expect_eq(history_count(&r), 1);
    testbus_reply_free(&r);
    cr_expect_eq(db_number("SELECT count(*) FROM messages WHERE sender_id = $1 AND receiver_id = $2",
                           a, b), 1);
}

Test(chat, sending_to_oneself_is_a_non_field_error)
{
    int64_t a = new_user();
    testbus_reply_t r = send_text(a, a, "me");
    assert_field_error(&r, "non_field_errors", "You cannot send a message to yourself.");
    testbus_reply_free(&r);
}

Test(chat, text_is_validated_as_drf_does)
{
    int64_t a = new_user(), b = new_user();
    befriend(a, b);
    testbus_reply_t r = send_data(a, b, json_object());
    assert_field_error(&r, "text", "This field is required.");
    testbus_reply_free(&r);
    r = send_text(a, b, "   \t ");
    assert_field_error(&r, "text", "This field may not be blank.");
    testbus_reply_free(&r);
    r = send_data(a, b, json_pack("{s:n}", "text"));
    assert_field_error(&r, "text", "This field may not be null.");
    testbus_reply_free(&r);
    r = send_data(a, b, json_pack("{s:[]}", "text"));
    assert_field_error(&r, "text", "Not a valid string.");
    testbus_reply_free(&r);
    r = send_data(a, b, json_pack("{s:s#}", "text", "a\0b", (size_t) 3));
    assert_field_error(&r, "text", "Null characters are not allowed.");
    testbus_reply_free(&r);
    char *text = malloc(4002);
    memset(text, 'x', 4001);
    text[4001] = '\0';
    r = send_text(a, b, text);
    assert_field_error(&r, "text", "Ensure this field has no more than 4000 characters.");
    testbus_reply_free(&r);
    /* 4000 characters of two bytes each are 4000 characters. */
    char *wide = malloc(8001);
    for (int i = 0; i < 4000; i++)
        memcpy(wide + 2 * i, "\xc3\xa9", 2);
    wide[8000] = '\0';
    r = send_text(a, b, wide);
    cr_expect_eq(r.status, PROTO_CREATED, "4000 characters: status %d", r.status);
    testbus_reply_free(&r);
    free(wide);
    text[4000] = '\0';
    r = send_text(a, b, text);
    cr_expect_eq(r.status, PROTO_CREATED, "4000 characters: status %d", r.status);
    testbus_reply_free(&r);
    free(text);
    r = send_data(a, b, json_pack("{s:s, s:i}", "text", "hi", "client_id", 0));
    cr_expect_eq(r.status, PROTO_CREATED, "a number is text to a CharField: status %d", r.status);
    testbus_reply_free(&r);
    r = send_data(a, b, json_pack("{s:s, s:s}", "text", "hi", "client_id", "   "));
    cr_expect_eq(r.status, PROTO_CREATED, "an empty key is no key: status %d", r.status);
    testbus_reply_free(&r);
    char key[66];
    memset(key, 'k', 65);
    key[65] = '\0';
    r = send_data(a, b, json_pack("{s:s, s:s}", "text", "hi", "client_id", key));
    assert_field_error(&r, "client_id", "Ensure this field has no more than 64 characters.");
    testbus_reply_free(&r);
}

Test(chat, an_unknown_user_is_404_on_every_route)
{
    int64_t a = new_user();
    testbus_reply_t r = send_text(a, (int64_t) GONE_UID, "hi");
    cr_expect_eq(r.status, PROTO_NOT_FOUND, "send: %d", r.status);
    testbus_reply_free(&r);
    /* Even with a body that would be refused. */
    r = send_data(a, (int64_t) GONE_UID, json_object());
    cr_expect_eq(r.status, PROTO_NOT_FOUND, "send without text: %d", r.status);
    testbus_reply_free(&r);
    r = history(a, (int64_t) GONE_UID, NULL);
    cr_expect_eq(r.status, PROTO_NOT_FOUND, "history: %d", r.status);
    testbus_reply_free(&r);
    r = history(a, (int64_t) GONE_UID, json_pack("{s:s}", "before", "x"));
    cr_expect_eq(r.status, PROTO_NOT_FOUND, "history with a bad before: %d", r.status);
    testbus_reply_free(&r);
    r = with_other("read", a, (int64_t) GONE_UID);
    cr_expect_eq(r.status, PROTO_NOT_FOUND, "read: %d", r.status);
    testbus_reply_free(&r);
}

Test(chat, a_caller_whose_account_is_gone_is_401)
{
    int64_t a = new_user();
    testbus_reply_t r = send_text((int64_t) GONE_UID, a, "hi");
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = history((int64_t) GONE_UID, a, NULL);
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = with_other("read", (int64_t) GONE_UID, a);
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = conversations((int64_t) GONE_UID, 1, 20);
    assert_user_gone(&r);
    testbus_reply_free(&r);
}

/* ---- idempotency ---- */

Test(chat, the_same_client_id_stores_one_message)
{
    int64_t a = new_user(), b = new_user(), c = new_user();
    befriend(a, b);
    befriend(a, c);
    testbus_reply_t r = send_data(a, b, json_pack("{s:s, s:s}", "text", "hi", "client_id", "k1"));
    cr_assert_eq(r.status, PROTO_CREATED);
    int64_t id = testbus_int(&r, "id");
    testbus_reply_free(&r);
    /* The resend answers 200 with the stored message (its text compared trimmed). */
    r = send_data(a, b, json_pack("{s:s, s:s}", "text", " hi ", "client_id", "k1"));
    cr_expect_eq(r.status, PROTO_OK, "resend: %d", r.status);
    cr_expect_eq(testbus_int(&r, "id"), id);
    testbus_reply_free(&r);
    r = send_data(a, b, json_pack("{s:s, s:s}", "text", "other text", "client_id", "k1"));
    assert_field_error(&r, "client_id", "This client_id was already used for a different message.");
    testbus_reply_free(&r);
    r = send_data(a, c, json_pack("{s:s, s:s}", "text", "hi", "client_id", "k1"));
    assert_field_error(&r, "client_id", "This client_id was already used for a different message.");
    testbus_reply_free(&r);
    cr_expect_eq(db_number("SELECT count(*) FROM messages WHERE sender_id = $1 AND id >= $2", a, id), 1);
    cr_expect_eq(db_number("SELECT count(*) FROM notifications WHERE user_id = $1"
                           " AND type = 'message' AND (data->>'message_id')::bigint >= $2", b, id), 1);
    /* Keys are per sender: b may use k1 too. */
    r = send_data(b, a, json_pack("{s:s, s:s}", "text", "hi", "client_id", "k1"));
    cr_expect_eq(r.status, PROTO_CREATED, "another sender's key: %d", r.status);
    testbus_reply_free(&r);
}

typedef struct {
    int64_t from, to;
    const char *key;
    testbus_reply_t reply;
} concurrent_send_t;

static void *send_thread(void *arg)
{
    concurrent_send_t *s = arg;
    s->reply = send_data(s->from, s->to, json_pack("{s:s, s:s}", "text", "at once", "client_id", s->key));
    return NULL;
}

Test(chat, concurrent_sends_with_one_client_id_store_one_message)
{
    int64_t a = new_user(), b = new_user();
    befriend(a, b);
    for (int round = 0; round < 5; round++) {
        const char *key = testbus_unique("key");
        char keep[64];
        snprintf(keep, sizeof keep, "%s", key);
        concurrent_send_t sends[4];
        pthread_t threads[4];
        for (int i = 0; i < 4; i++) {
            sends[i] = (concurrent_send_t) { a, b, keep, { 0 } };
            cr_assert_eq(pthread_create(&threads[i], NULL, send_thread, &sends[i]), 0);
        }
        int created = 0;
        int64_t id = 0;
        for (int i = 0; i < 4; i++) {
            pthread_join(threads[i], NULL);
            int st = sends[i].reply.status;
            cr_expect(st == PROTO_CREATED || st == PROTO_OK, "status %d", st);
            created += st == PROTO_CREATED;
            int64_t got = testbus_int(&sends[i].reply, "id");
            cr_expect(id == 0 || got == id, "every answer is the one message");
            id = got;
            testbus_reply_free(&sends[i].reply);
        }
        cr_expect_eq(created, 1, "exactly one 201");
    }
    cr_expect_eq(db_number("SELECT count(*) FROM messages WHERE sender_id = $1 AND receiver_id = $2",
                           a, b), 5);
}

Test(chat, a_resend_asked_as_an_event_carries_its_client_id)
{
    int64_t a = new_user(), b = new_user();
    befriend(a, b);
    testbus_reply_t r = send_data(a, b, json_pack("{s:s, s:s}", "text", "hi", "client_id", " k2 "));
    cr_assert_eq(r.status, PROTO_CREATED);
    cr_expect_null(json_object_get(r.body, "client_id"), "REST shows no client_id");
    int64_t id = testbus_int(&r, "id");
    testbus_reply_free(&r);
    /* gateway/chat/ asks with "as_event": the Message as events carry it. */
    r = testbus_call_json("chat", "send", (uint64_t) a,
                          json_pack("{s:{s:I}, s:{s:s, s:s}, s:b}", "path", "id", (json_int_t) b,
                                    "data", "text", "hi", "client_id", "k2", "as_event", 1));
    cr_assert_eq(r.status, PROTO_OK, "resend: %d", r.status);
    cr_expect_eq(testbus_int(&r, "id"), id);
    cr_expect_str_eq(json_string_value(json_object_get(r.body, "client_id")), "k2");
    testbus_reply_free(&r);
}

typedef struct {
    int64_t from, to;
    int64_t id;
} blocked_send_t;

static void *blocked_send_thread(void *arg)
{
    blocked_send_t *s = arg;
    s->id = sent(s->from, s->to, "waited for the lock");
    return NULL;
}

/*  A send that waits for the conversation's lock draws its id only when it has it: it
 *  is later than the id of a message committed by the transaction that held the lock,
 *  though that one was inserted after the send started (an id drawn on arrival would be
 *  earlier, and the two would be delivered in the other order than the history's). */
Test(chat, ids_follow_commit_order_within_a_conversation)
{
    int64_t a = new_user(), b = new_user();
    befriend(a, b);
    PGconn *conn = db_connect();
    char pa[24], pb[24];
    snprintf(pa, sizeof pa, "%lld", (long long) a);
    snprintf(pb, sizeof pb, "%lld", (long long) b);
    const char *params[] = { pa, pb };
    PQclear(PQexec(conn, "BEGIN"));
    PGresult *res = PQexecParams(conn, "SELECT pg_advisory_xact_lock(4001, (LEAST($1::bigint, $2::bigint)"
                                 " % 2147483648)::int4)", 2, NULL, params, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQresultErrorMessage(res));
    PQclear(res);
    blocked_send_t send = { b, a, 0 };
    pthread_t thread;
    cr_assert_eq(pthread_create(&thread, NULL, blocked_send_thread, &send), 0);
    /* The send is under way, waiting for the lock (chat_send answers in well under this). */
    struct timespec pause = { 0, 300 * 1000 * 1000 };
    nanosleep(&pause, NULL);
    cr_expect_eq(send.id, 0, "the send waits for the lock");
    res = PQexecParams(conn, "INSERT INTO messages (sender_id, receiver_id, text)"
                       " VALUES ($1, $2, 'held the lock') RETURNING id", 2, NULL, params, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQresultErrorMessage(res));
    long long first = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    PQclear(PQexec(conn, "COMMIT"));
    PQfinish(conn);
    pthread_join(thread, NULL);
    cr_expect_gt(send.id, first, "the waiting send's id (%lld) comes after %lld",
                 (long long) send.id, first);
}

/* ---- history ---- */

Test(chat, history_is_newest_first_for_both_and_pages_by_before)
{
    int64_t a = new_user(), b = new_user();
    befriend(a, b);
    int64_t m1 = sent(a, b, "one"), m2 = sent(b, a, "two"), m3 = sent(a, b, "three");
    testbus_reply_t r = history(b, a, json_pack("{s:s}", "limit", "2"));
    cr_assert_eq(history_count(&r), 2);
    int64_t ids[3];
    result_ids(&r, ids, 3);
    cr_expect_eq(ids[0], m3);
    cr_expect_eq(ids[1], m2);
    cr_expect(has_more(&r));
    testbus_reply_free(&r);
    char before[24];
    snprintf(before, sizeof before, "%lld", (long long) m2);
    r = history(a, b, json_pack("{s:s, s:s}", "limit", "2", "before", before));
    cr_assert_eq(history_count(&r), 1);
    result_ids(&r, ids, 3);
    cr_expect_eq(ids[0], m1);
    cr_expect(!has_more(&r));
    testbus_reply_free(&r);
    /* Someone never written to: empty. */
    int64_t c = new_user();
    r = history(a, c, NULL);
    cr_expect_eq(history_count(&r), 0);
    cr_expect(!has_more(&r));
    testbus_reply_free(&r);
    r = history(a, b, json_pack("{s:s}", "before", "x1"));
    assert_field_error(&r, "before", "A valid integer is required.");
    testbus_reply_free(&r);
}

Test(chat, before_may_come_from_another_conversation)
{
    int64_t a = new_user(), b = new_user(), c = new_user(), d = new_user();
    befriend(a, b);
    befriend(c, d);
    int64_t m1 = sent(a, b, "one");
    int64_t other = sent(c, d, "elsewhere");
    int64_t m2 = sent(a, b, "two");
    cr_assert(m1 < other && other < m2);
    char before[24];
    snprintf(before, sizeof before, "%lld", (long long) other);
    testbus_reply_t r = history(a, b, json_pack("{s:s}", "before", before));
    cr_assert_eq(history_count(&r), 1);
    int64_t ids[2];
    result_ids(&r, ids, 2);
    cr_expect_eq(ids[0], m1);
    testbus_reply_free(&r);
}

Test(chat, limit_is_read_as_limit_offset_pagination_does)
{
    int64_t a = new_user(), b = new_user();
    insert_messages(a, b, 210);
    static const struct {
        const char *limit;     /* NULL: absent */
        size_t expected;
    } cases[] = {
        { NULL, 50 }, { "0", 50 }, { "abc", 50 }, { "-3", 50 }, { "", 50 }, { "1.5", 50 },
        { "1", 1 }, { " 7 ", 7 }, { "200", 200 }, { "201", 200 }, { "500", 200 },
        { "99999999999999999999999", 200 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        testbus_reply_t r = history(a, b, cases[i].limit ? json_pack("{s:s}", "limit", cases[i].limit)
                                                         : NULL);
        cr_expect_eq(history_count(&r), cases[i].expected, "limit %s", cases[i].limit ? cases[i].limit : "(none)");
        cr_expect(has_more(&r));
        testbus_reply_free(&r);
    }
}

/* ---- read ---- */

Test(chat, read_marks_the_other_users_messages_only)
{
    int64_t a = new_user(), b = new_user();
    befriend(a, b);
    sent(a, b, "one");
    sent(a, b, "two");
    sent(b, a, "mine");
    testbus_reply_t r = with_other("read", b, a);
    cr_assert_eq(r.status, PROTO_OK);
    cr_expect_eq(testbus_int(&r, "updated"), 2);
    testbus_reply_free(&r);
    r = with_other("read", b, a);
    cr_expect_eq(testbus_int(&r, "updated"), 0, "idempotent");
    testbus_reply_free(&r);
    /* b's own message to a is still unread; a reads it. */
    r = history(a, b, NULL);
    json_t *newest = json_array_get(json_object_get(r.body, "results"), 0);
    cr_expect(json_is_null(json_object_get(newest, "read_at")));
    json_t *oldest = json_array_get(json_object_get(r.body, "results"), 2);
    cr_expect(json_is_string(json_object_get(oldest, "read_at")));
    testbus_reply_free(&r);
    /* Notifications are untouched. */
    cr_expect_eq(db_number("SELECT count(*) FROM notifications WHERE user_id = $1"
                           " AND sender_id = $2 AND type = 'message' AND NOT is_read", b, a), 2);
}

/* ---- conversations ---- */

Test(chat, conversations_are_most_recent_first_with_unread_counts)
{
    int64_t me = new_user(), b = new_user(), c = new_user();
    befriend(me, b);
    befriend(me, c);
    sent(b, me, "from b");
    sent(b, me, "again from b");
    int64_t last_c = sent(me, c, "to c");
    testbus_reply_t r = conversations(me, 1, 20);
    cr_assert_eq(r.status, PROTO_OK, "status %d", r.status);
    cr_expect_eq(testbus_int(&r, "count"), 2);
    json_t *results = json_object_get(r.body, "results");
    cr_assert_eq(json_array_size(results), 2);
    json_t *first = json_array_get(results, 0), *second = json_array_get(results, 1);
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(first, "user"), "id")), c);
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(first, "last_message"), "id")), last_c);
    cr_expect_eq(json_integer_value(json_object_get(first, "unread")), 0);
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(second, "user"), "id")), b);
    cr_expect_eq(json_integer_value(json_object_get(second, "unread")), 2);
    cr_expect_null(json_object_get(json_object_get(second, "user"), "email"));
    testbus_reply_free(&r);
    /* A former friend stays; a new message brings b first. */
    sent(me, b, "bye");
    unfriend(me, b);
    r = conversations(me, 1, 1);
    cr_expect_eq(testbus_int(&r, "count"), 2);
    first = json_array_get(json_object_get(r.body, "results"), 0);
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(first, "user"), "id")), b);
    testbus_reply_free(&r);
    r = conversations(me, 3, 1);
    cr_expect_eq(r.status, PROTO_NOT_FOUND, "a page past the end: %d", r.status);
    testbus_reply_free(&r);
    r = conversations(new_user(), 1, 20);
    cr_expect_eq(r.status, PROTO_OK);
    cr_expect_eq(testbus_int(&r, "count"), 0);
    testbus_reply_free(&r);
}

/* ---- notification and event ---- */

Test(chat, a_message_notifies_the_receiver_and_is_published_to_both)
{
    int64_t a = new_user(), b = new_user();
    befriend(a, b);
    zsock_t *sub = testevents_subscribe();
    testbus_reply_t r = send_data(a, b, json_pack("{s:s, s:s}", "text", "live", "client_id", "ev-1"));
    cr_assert_eq(r.status, PROTO_CREATED);
    int64_t id = testbus_int(&r, "id");
    testbus_reply_free(&r);
    json_t *event = testevents_next(sub, EVENT_MS, "chat.message", id);
    cr_assert_not_null(event, "no chat.message event");
    cr_expect(testevents_to(event, a) && testevents_to(event, b));
    json_t *body = json_object_get(event, "body");
    cr_expect_str_eq(json_string_value(json_object_get(body, "text")), "live");
    cr_expect_eq(json_integer_value(json_object_get(body, "sender")), a);
    cr_expect_str_eq(json_string_value(json_object_get(body, "client_id")), "ev-1");
    json_decref(event);
    /* The receiver's notification, published as a notification event too. */
    long long note = db_number("SELECT id FROM notifications WHERE user_id = $1 AND type = 'message'"
                               " AND (data->>'message_id')::bigint = $2", b, id);
    cr_assert_gt(note, 0, "no message notification");
    cr_expect_eq(db_number("SELECT (data->>'conversation_user_id')::bigint FROM notifications"
                           " WHERE id = $1 AND $2 = $2", note, 0), a);
    event = testevents_next(sub, EVENT_MS, "notification", note);
    cr_expect_not_null(event, "no notification event");
    json_decref(event);
    /* A resend publishes nothing new. */
    r = send_data(a, b, json_pack("{s:s, s:s}", "text", "live", "client_id", "ev-1"));
    cr_expect_eq(r.status, PROTO_OK);
    testbus_reply_free(&r);
    cr_expect_eq(db_number("SELECT count(*) FROM notifications WHERE user_id = $1 AND type = 'message'"
                           " AND sender_id = $2", b, a), 1);
    zsock_destroy(&sub);
}

Test(chat, a_deleted_users_messages_go_with_them)
{
    int64_t a = new_user(), b = new_user();
    befriend(a, b);
    sent(a, b, "one");
    sent(b, a, "two");
    cr_assert_eq(db_number("WITH d AS (DELETE FROM users WHERE id = $1 RETURNING id)"
                           " SELECT count(*) FROM d WHERE $2 = $2", b, 0), 1);
    cr_expect_eq(db_number("SELECT count(*) FROM messages WHERE sender_id IN ($1, $2)"
                           " OR receiver_id IN ($1, $2)", a, b), 0);
    testbus_reply_t r = conversations(a, 1, 20);
    cr_expect_eq(r.status, PROTO_OK);
    cr_expect_eq(testbus_int(&r, "count"), 0);
    testbus_reply_free(&r);
    r = history(a, b, NULL);
    cr_expect_eq(r.status, PROTO_NOT_FOUND, "history with a deleted user: %d", r.status);
    testbus_reply_free(&r);
}
