/*  Integration tests of the notification service: the running broker, auth, friend and
 *  notification services over the real bus, the event path (a SUB socket on the
 *  broker's XPUB, as a gateway has) and the database itself (DATABASE_URL). Users are
 *  registered with unique names, so reruns against the same database work. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "proto.h"
#include "testassert.h"
#include "testbus.h"
#include "testevents.h"

#define PASSWORD "correct-horse-42"
/* An id no account will ever have: a caller whose account is gone. */
#define GONE_UID 9000000000000000ULL
/* Longest wait for an event that must come (the publisher looks at least every second). */
#define EVENT_MS 5000

/* ---- helpers ---- */

static testbus_reply_t call(const char *method, int64_t uid, json_t *body)
{
    return testbus_call_json("notification", method, (uint64_t) uid, body);
}

static int64_t new_user(void)
{
    return register_account(testbus_unique("n"), PASSWORD, NULL, NULL);
}

/* from sends to a friend request through the friend service; returns its id. */
static int64_t friend_request(int64_t from, int64_t to)
{
    testbus_reply_t r = testbus_call_json("friend", "request_create", (uint64_t) from,
                                          json_pack("{s:{s:I}}", "data", "receiver", (json_int_t) to));
    cr_assert_eq(r.status, PROTO_CREATED, "request: status %d", r.status);
    int64_t id = testbus_int(&r, "id");
    testbus_reply_free(&r);
    return id;
}

/* Makes a and b friends through the friend service. */
static void befriend(int64_t a, int64_t b)
{
    int64_t id = friend_request(a, b);
    testbus_reply_t r = testbus_call_json("friend", "request_answer", (uint64_t) b,
                                          json_pack("{s:{s:I}, s:{s:s}}", "path", "id", (json_int_t) id,
                                                    "data", "status", "accepted"));
    cr_assert_eq(r.status, PROTO_OK);
    testbus_reply_free(&r);
}

static PGconn *db_connect(void)
{
    PGconn *conn = PQconnectdb(config_str("DATABASE_URL", "postgresql://postgres@127.0.0.1/socialnet"));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "database: %s", PQerrorMessage(conn));
    return conn;
}

/* Runs sql with up to two bigint parameters on conn; the first column of the first
 * row as a number (-1 when no row). */
static long long db_number(PGconn *conn, const char *sql, int nparams, int64_t p1, int64_t p2)
{
    char a[24], b[24];
    snprintf(a, sizeof a, "%lld", (long long) p1);
    snprintf(b, sizeof b, "%lld", (long long) p2);
    const char *params[] = { a, b };
    PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    cr_assert(st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK, "%s", PQresultErrorMessage(res));
    long long value = PQntuples(res) > 0 ? atoll(PQgetvalue(res, 0, 0)) : -1;
    PQclear(res);
    return value;
}

/* A system notification for uid, written straight into the table (as another service
 * would, in its own transaction); returns its id. */
static int64_t insert_notification(int64_t uid)
{
    PGconn *conn = db_connect();
    long long id = db_number(conn, "INSERT INTO notifications (user_id, type, text)"
                                   " VALUES ($1, 'system', 'hello') RETURNING id", 1, uid, 0);
    PQfinish(conn);
    return id;
}

/* notification.list as uid, page 1 of size `size`, unread filter as given (NULL: none). */
static testbus_reply_t list(int64_t uid, int64_t page, int64_t size, const char *unread)
{
    json_t *query = unread ? json_pack("{s:s}", "unread", unread) : json_object();
    return call("list", uid, json_pack("{s:o, s:I, s:I}", "query", query, "page", (json_int_t) page,
                                       "page_size", (json_int_t) size));
}

static testbus_reply_t with_id(const char *method, int64_t uid, int64_t id)
{
    return call(method, uid, json_pack("{s:{s:I}}", "path", "id", (json_int_t) id));
}

/* A presence call from `gateway`, whose lease is 30 s (presence.open creates it with
 * that when the gateway has none yet; close ignores it). */
static testbus_reply_t presence(const char *method, int64_t uid, const char *gateway)
{
    return call(method, uid, json_pack("{s:s, s:I}", "gateway", gateway, "ttl_ms",
                                       (json_int_t) 30000));
}

static void expect_ok(testbus_reply_t r)
{
    cr_expect_eq(r.status, PROTO_OK, "status %d", r.status);
    testbus_reply_free(&r);
}

/* A gateway name no other run uses. */
static const char *gateway_name(void)
{
    return testbus_unique("gw-");
}

/* ---- REST ---- */

Test(notification, list_is_newest_first_paginated_and_filters_unread)
{
    int64_t me = new_user();
    int64_t a = insert_notification(me), b = insert_notification(me), c = insert_notification(me);
    cr_assert(a < b && b < c);
    testbus_reply_t r = list(me, 1, 2, NULL);
    cr_assert_eq(r.status, PROTO_OK);
    cr_expect_eq(testbus_int(&r, "count"), 3);
    int64_t ids[3];
    cr_assert_eq(result_ids(&r, ids, 3), 2);
    cr_expect_eq(ids[0], c);
    cr_expect_eq(ids[1], b);
    json_t *first = json_array_get(json_object_get(r.body, "results"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(first, "type")), "system");
    cr_expect(json_is_null(json_object_get(first, "sender")));
    cr_expect(json_is_false(json_object_get(first, "is_read")));
    cr_expect(json_is_object(json_object_get(first, "data")));
    cr_expect_eq(json_object_size(first), 7);
    testbus_reply_free(&r);
    r = list(me, 2, 2, NULL);
    cr_assert_eq(result_ids(&r, ids, 3), 1);
    cr_expect_eq(ids[0], a);
    testbus_reply_free(&r);
    r = list(me, 3, 2, NULL);
    cr_expect_eq(r.status, PROTO_NOT_FOUND, "a page past the end is Invalid page.");
    cr_expect_str_eq(testbus_str(&r, "detail"), "Invalid page.");
    testbus_reply_free(&r);

    expect_ok(with_id("read", me, b));
    r = list(me, 1, 20, "true");
    cr_assert_eq(r.status, PROTO_OK);
    cr_expect_eq(testbus_int(&r, "count"), 2);
    cr_assert_eq(result_ids(&r, ids, 3), 2);
    cr_expect_eq(ids[0], c);
    cr_expect_eq(ids[1], a);
    testbus_reply_free(&r);
    r = list(me, 1, 20, "false");
    cr_expect_eq(testbus_int(&r, "count"), 3, "unread=false lists them all");
    testbus_reply_free(&r);
}

Test(notification, unread_count_read_read_all_and_delete)
{
    int64_t me = new_user();
    int64_t a = insert_notification(me), b = insert_notification(me);
    testbus_reply_t r = call("unread_count", me, NULL);
    cr_assert_eq(r.status, PROTO_OK);
    cr_expect_eq(testbus_int(&r, "count"), 2);
    testbus_reply_free(&r);

    for (int i = 0; i < 2; i++) {       /* idempotent */
        r = with_id("read", me, a);
        cr_assert_eq(r.status, PROTO_OK, "read: status %d", r.status);
        cr_expect_eq(testbus_int(&r, "id"), a);
        cr_expect(json_is_true(json_object_get(r.body, "is_read")));
        testbus_reply_free(&r);
    }
    r = call("unread_count", me, NULL);
    cr_expect_eq(testbus_int(&r, "count"), 1);
    testbus_reply_free(&r);
    r = call("read_all", me, NULL);
    cr_assert_eq(r.status, PROTO_OK);
    cr_expect_eq(testbus_int(&r, "updated"), 1);
    testbus_reply_free(&r);
    r = call("read_all", me, NULL);
    cr_expect_eq(testbus_int(&r, "updated"), 0);
    testbus_reply_free(&r);

    r = with_id("delete", me, b);
    cr_expect_eq(r.status, PROTO_NO_CONTENT);
    testbus_reply_free(&r);
    r = with_id("delete", me, b);
    cr_expect_eq(r.status, PROTO_NOT_FOUND, "deleted already");
    testbus_reply_free(&r);
    r = with_id("read", me, b);
    cr_expect_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
}

Test(notification, another_users_notification_is_404_everywhere)
{
    int64_t owner = new_user(), other = new_user();
    int64_t id = insert_notification(owner);
    testbus_reply_t r = with_id("read", other, id);
    cr_expect_eq(r.status, PROTO_NOT_FOUND, "404, never 403: its existence is not revealed");
    testbus_reply_free(&r);
    r = with_id("delete", other, id);
    cr_expect_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    r = call("read_all", other, NULL);
    cr_expect_eq(testbus_int(&r, "updated"), 0);
    testbus_reply_free(&r);
    r = list(other, 1, 20, NULL);
    cr_expect_eq(testbus_int(&r, "count"), 0);
    testbus_reply_free(&r);
    /* Still there, still unread. */
    r = call("unread_count", owner, NULL);
    cr_expect_eq(testbus_int(&r, "count"), 1);
    testbus_reply_free(&r);
    r = with_id("read", owner, 0);
    cr_expect_eq(r.status, PROTO_NOT_FOUND, "no id in the path finds nothing");
    testbus_reply_free(&r);
}

Test(notification, a_caller_whose_account_is_gone_is_401)
{
    const char *methods[] = { "list", "unread_count", "read", "read_all", "delete", "replay",
                              "presence.open" };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        json_t *body = json_pack("{s:{s:I}, s:I, s:I, s:I, s:I, s:s, s:I}", "path", "id",
                                 (json_int_t) 1, "page", (json_int_t) 1, "page_size",
                                 (json_int_t) 20, "after", (json_int_t) 0, "limit",
                                 (json_int_t) 10, "gateway", "gw", "ttl_ms", (json_int_t) 30000);
        testbus_reply_t r = testbus_call_json("notification", methods[i], GONE_UID, body);
        assert_user_gone(&r);
        testbus_reply_free(&r);
    }
}

Test(notification, a_friend_request_notifies_the_receiver_with_the_sender)
{
    int64_t alice = new_user(), bob = new_user();
    int64_t request = friend_request(alice, bob);
    testbus_reply_t r = list(bob, 1, 20, NULL);
    cr_assert_eq(r.status, PROTO_OK);
    json_t *n = json_array_get(json_object_get(r.body, "results"), 0);
    cr_assert_not_null(n);
    cr_expect_str_eq(json_string_value(json_object_get(n, "type")), "friend_request");
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(n, "sender"), "id")), alice);
    cr_expect(json_object_get(json_object_get(n, "sender"), "email") == NULL);
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(n, "data"), "friend_request_id")),
                 request);
    testbus_reply_free(&r);
}

/* ---- Bodies from gateways are untrusted ---- */

Test(notification, bad_fields_are_drf_400s)
{
    int64_t me = new_user();
    testbus_reply_t r = call("replay", me, json_pack("{s:s, s:I}", "after", "x", "limit", (json_int_t) 5));
    assert_field_error(&r, "after", "A valid integer is required.");
    testbus_reply_free(&r);
    r = call("replay", me, json_pack("{s:I, s:I}", "after", (json_int_t) -1, "limit", (json_int_t) 0));
    assert_field_error(&r, "after", "Ensure this value is greater than or equal to 0.");
    assert_field_error(&r, "limit", "Ensure this value is greater than or equal to 1.");
    testbus_reply_free(&r);
    r = call("replay", me, json_pack("{s:I, s:I}", "after", (json_int_t) 0, "limit", (json_int_t) 101));
    assert_field_error(&r, "limit", "Ensure this value is less than or equal to 100.");
    testbus_reply_free(&r);
    r = call("replay", me, NULL);
    assert_field_error(&r, "after", "This field is required.");
    testbus_reply_free(&r);

    const char *bad_names[] = { "", "has space", "semi;colon", "\xc3\xa9",
                                "0123456789012345678901234567890123456789012345678901234567890123456789" };
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        r = presence("presence.open", me, bad_names[i]);
        cr_expect_eq(r.status, PROTO_INVALID, "gateway name %zu", i);
        testbus_reply_free(&r);
    }
    r = call("presence.open", me, json_pack("{s:I}", "gateway", (json_int_t) 3));
    assert_field_error(&r, "gateway", "Not a valid string.");
    testbus_reply_free(&r);
    r = call("presence.open", me, json_pack("{s:s#}", "gateway", "a\0b", (size_t) 3));
    cr_expect_eq(r.status, PROTO_INVALID, "a NUL in a name is a 400");
    testbus_reply_free(&r);
    r = call("presence.open", me, json_pack("{s:s}", "gateway", "gw"));
    assert_field_error(&r, "ttl_ms", "This field is required.");
    testbus_reply_free(&r);
    r = call("presence.lease", 0, json_pack("{s:s, s:I}", "gateway", "gw", "ttl_ms", (json_int_t) 999));
    assert_field_error(&r, "ttl_ms", "Ensure this value is greater than or equal to 1000.");
    testbus_reply_free(&r);
    r = call("presence.lease", 0, json_pack("{s:s, s:I, s:s}", "gateway", "gw", "ttl_ms",
                                            (json_int_t) 5000, "draining", "yes"));
    assert_field_error(&r, "draining", "Must be a valid boolean.");
    testbus_reply_free(&r);
    r = call("presence.lease", 0, json_pack("[]"));
    cr_expect_eq(r.status, PROTO_INVALID, "a body that is not a map");
    testbus_reply_free(&r);
}

/* ---- Replay ---- */

Test(notification, replay_pages_ascending_after_an_id)
{
    int64_t me = new_user();
    int64_t ids[5];
    for (int i = 0; i < 5; i++)
        ids[i] = insert_notification(me);
    int64_t after = ids[0];
    testbus_reply_t r = call("replay", me, json_pack("{s:I, s:I}", "after", (json_int_t) after,
                                                     "limit", (json_int_t) 3));
    cr_assert_eq(r.status, PROTO_OK, "status %d", r.status);
    int64_t got[5];
    cr_assert_eq(result_ids(&r, got, 5), 3);
    cr_expect_eq(got[0], ids[1]);
    cr_expect_eq(got[1], ids[2]);
    cr_expect_eq(got[2], ids[3]);
    cr_expect(json_is_true(json_object_get(r.body, "more")));
    testbus_reply_free(&r);
    r = call("replay", me, json_pack("{s:I, s:I}", "after", (json_int_t) got[2], "limit", (json_int_t) 3));
    cr_assert_eq(result_ids(&r, got, 5), 1);
    cr_expect_eq(got[0], ids[4]);
    cr_expect(json_is_false(json_object_get(r.body, "more")));
    testbus_reply_free(&r);
    r = call("replay", me, json_pack("{s:I, s:I}", "after", (json_int_t) ids[4], "limit", (json_int_t) 100));
    cr_expect_eq(result_ids(&r, got, 5), 0);
    cr_expect(json_is_false(json_object_get(r.body, "more")));
    testbus_reply_free(&r);
    /* Another user's are never replayed. */
    r = call("replay", new_user(), json_pack("{s:I, s:I}", "after", (json_int_t) 0, "limit", (json_int_t) 100));
    cr_expect_eq(result_ids(&r, got, 5), 0);
    testbus_reply_free(&r);
}

/* ---- Ids in commit order ---- */

Test(notification, one_recipients_ids_follow_commit_order)
{
    int64_t me = new_user();
    PGconn *first = db_connect(), *second = db_connect();
    db_number(first, "BEGIN", 0, 0, 0);
    long long id1 = db_number(first, "INSERT INTO notifications (user_id, type) VALUES ($1, 'system')"
                                     " RETURNING id", 1, me, 0);
    /* The second insert for the same recipient must wait for the first's commit. */
    char uid[24];
    snprintf(uid, sizeof uid, "%lld", (long long) me);
    const char *params[] = { uid };
    cr_assert(PQsendQueryParams(second, "INSERT INTO notifications (user_id, type) VALUES ($1, 'system')"
                                        " RETURNING id", 1, NULL, params, NULL, NULL, 0));
    zclock_sleep(300);
    cr_assert(PQconsumeInput(second));
    cr_expect(PQisBusy(second), "the second insert did not wait for the first transaction");
    /* Meanwhile another recipient is not held up. */
    PGconn *third = db_connect();
    long long other = db_number(third, "INSERT INTO notifications (user_id, type) VALUES ($1, 'system')"
                                       " RETURNING id", 1, new_user(), 0);
    cr_expect_gt(other, id1);
    PQfinish(third);
    db_number(first, "COMMIT", 0, 0, 0);
    PGresult *res = PQgetResult(second);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s", PQresultErrorMessage(res));
    long long id2 = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    while ((res = PQgetResult(second)) != NULL)
        PQclear(res);
    cr_expect_gt(id2, id1, "ids follow commit order");
    cr_expect_gt(id2, other, "the waiting insert drew its id after the lock was free");
    PQfinish(first);
    PQfinish(second);
}

/* ---- Events ---- */

Test(notification, a_friend_request_is_published_to_the_receiver)
{
    zsock_t *sub = testevents_subscribe();
    int64_t alice = new_user(), bob = new_user();
    int64_t request = friend_request(alice, bob);
    testbus_reply_t r = list(bob, 1, 1, NULL);
    int64_t id = 0;
    cr_assert_eq(result_ids(&r, &id, 1), 1);
    json_t *listed = json_incref(json_array_get(json_object_get(r.body, "results"), 0));
    testbus_reply_free(&r);

    json_t *event = testevents_next(sub, EVENT_MS, "notification", id);
    cr_assert_not_null(event, "no event for notification %lld", (long long) id);
    cr_expect_eq(json_array_size(json_object_get(event, "to")), 1);
    cr_expect(testevents_to(event, bob));
    json_t *body = json_object_get(event, "body");
    cr_expect(json_equal(body, listed), "the event's body is the Notification as listed");
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(body, "data"), "friend_request_id")),
                 request);
    json_decref(listed);
    json_decref(event);
    /* Published once, then gone from the outbox. */
    PGconn *conn = db_connect();
    cr_expect_eq(db_number(conn, "SELECT count(*) FROM event_outbox WHERE kind = 'notification'"
                                 " AND subject = $1", 1, id, 0), 0);
    PQfinish(conn);
    zsock_destroy(&sub);
}

/* Waits up to ms for the outbox publisher to say it is asleep (sql/007). */
static bool publisher_asleep_within(PGconn *conn, int ms)
{
    for (int waited = 0; waited < ms; waited += 5) {
        if (db_number(conn, "SELECT asleep::int FROM event_outbox_publisher", 0, 0, 0) == 1)
            return true;
        zclock_sleep(5);
    }
    return false;
}

/* Asleep, the publisher is woken by the write itself (a NOTIFY), not by its look of
 * every second; awake, it finds the rows within a few milliseconds. */
Test(notification, an_idle_publisher_sleeps_and_a_write_wakes_it_at_once)
{
    zsock_t *sub = testevents_subscribe();
    PGconn *conn = db_connect();
    int64_t uid = new_user();
    for (int round = 0; round < 5; round++) {
        cr_assert(publisher_asleep_within(conn, 10000), "the idle publisher never slept");
        int64_t start = zclock_mono();
        int64_t id = insert_notification(uid);
        json_t *event = testevents_next(sub, EVENT_MS, "notification", id);
        cr_assert_not_null(event, "no event for notification %lld", (long long) id);
        int64_t took = zclock_mono() - start;
        cr_expect_lt(took, 500, "round %d: the event took %lld ms", round, (long long) took);
        json_decref(event);
        /* A second write right after: the publisher is awake now. */
        start = zclock_mono();
        id = insert_notification(uid);
        event = testevents_next(sub, EVENT_MS, "notification", id);
        cr_assert_not_null(event);
        took = zclock_mono() - start;
        cr_expect_lt(took, 500, "round %d, awake: the event took %lld ms", round, (long long) took);
        json_decref(event);
    }
    PQfinish(conn);
    zsock_destroy(&sub);
}

/* The publisher may only sleep when no writer that read "awake" is uncommitted: a
 * transaction that wrote the outbox holds the writers' lock until it ends. */
Test(notification, a_writer_in_flight_keeps_the_publisher_from_sleeping)
{
    int64_t uid = new_user();
    PGconn *writer = db_connect(), *publisher = db_connect();
    db_number(writer, "BEGIN", 0, 0, 0);
    db_number(writer, "INSERT INTO notifications (user_id, type, text) VALUES ($1, 'system', 'x')",
              1, uid, 0);
    cr_expect_eq(db_number(publisher, "SELECT pg_try_advisory_xact_lock(4004, 0)::int", 0, 0, 0), 0);
    db_number(writer, "COMMIT", 0, 0, 0);
    cr_expect_eq(db_number(publisher, "SELECT pg_try_advisory_xact_lock(4004, 0)::int", 0, 0, 0), 1);
    PQfinish(writer);
    PQfinish(publisher);
}

/* is_online of uid as user.get shows it to viewer. */
static bool is_online(int64_t viewer, int64_t uid)
{
    testbus_reply_t r = testbus_call_json("user", "get", (uint64_t) viewer,
                                          json_pack("{s:{s:I}}", "path", "id", (json_int_t) uid));
    cr_assert_eq(r.status, PROTO_OK);
    bool online = json_is_true(json_object_get(r.body, "is_online"));
    testbus_reply_free(&r);
    return online;
}

/* Waits for uid's presence event and checks its status and that it goes to `friend`
 * and never to `stranger`. */
static void expect_presence(zsock_t *sub, int64_t uid, const char *status, int64_t friend,
                            int64_t stranger, int timeout_ms)
{
    json_t *event = testevents_next(sub, timeout_ms, "presence", uid);
    cr_assert_not_null(event, "no presence event (%s) for %lld", status, (long long) uid);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(event, "body"), "status")),
                     status);
    cr_expect_eq(json_integer_value(json_object_get(event, "id")), 0);
    cr_expect(testevents_to(event, friend));
    cr_expect(!testevents_to(event, stranger), "a non-friend got a presence event");
    cr_expect(!testevents_to(event, uid));
    json_decref(event);
}

Test(notification, presence_goes_online_on_the_first_socket_and_offline_on_the_last)
{
    zsock_t *sub = testevents_subscribe();
    int64_t alice = new_user(), bob = new_user(), stranger = new_user();
    befriend(alice, bob);
    char gw1[64], gw2[64];
    snprintf(gw1, sizeof gw1, "%s", gateway_name());
    snprintf(gw2, sizeof gw2, "%s", gateway_name());
    cr_expect(!is_online(bob, alice));

    expect_ok(presence("presence.open", alice, gw1));
    expect_presence(sub, alice, "online", bob, stranger, EVENT_MS);
    cr_expect(is_online(bob, alice));
    cr_expect(is_online(stranger, alice), "is_online is public");
    /* A second gateway, then closing one of two: no transition, no event. */
    expect_ok(presence("presence.open", alice, gw2));
    expect_ok(presence("presence.open", alice, gw2));
    expect_ok(presence("presence.close", alice, gw1));
    json_t *none = testevents_next(sub, 1500, "presence", alice);
    cr_expect_null(none, "an event without a transition");
    json_decref(none);
    cr_expect(is_online(bob, alice));

    expect_ok(presence("presence.close", alice, gw2));
    expect_presence(sub, alice, "offline", bob, stranger, EVENT_MS);
    cr_expect(!is_online(bob, alice));
    expect_ok(presence("presence.close", alice, gw2));      /* closing again changes nothing */

    /* Someone without friends goes online unheard. */
    expect_ok(presence("presence.open", stranger, gw1));
    none = testevents_next(sub, 1500, "presence", stranger);
    cr_expect_null(none, "an event with no friend to tell");
    json_decref(none);
    expect_ok(presence("presence.close", stranger, gw1));
    zsock_destroy(&sub);
}

Test(notification, an_expired_lease_takes_its_users_offline)
{
    zsock_t *sub = testevents_subscribe();
    int64_t alice = new_user(), bob = new_user(), carol = new_user(), stranger = new_user();
    befriend(alice, bob);
    befriend(carol, bob);
    char dying[64], alive[64];
    snprintf(dying, sizeof dying, "%s", gateway_name());
    snprintf(alive, sizeof alive, "%s", gateway_name());
    expect_ok(call("presence.lease", 0, json_pack("{s:s, s:I, s:b}", "gateway", dying, "ttl_ms",
                                                  (json_int_t) 1000, "draining", 1)));
    expect_ok(call("presence.lease", 0, json_pack("{s:s, s:I}", "gateway", alive, "ttl_ms",
                                                  (json_int_t) 60000)));
    expect_ok(presence("presence.open", alice, dying));
    expect_ok(presence("presence.open", carol, dying));
    expect_ok(presence("presence.open", carol, alive));     /* carol is also elsewhere */
    expect_presence(sub, alice, "online", bob, stranger, EVENT_MS);
    expect_presence(sub, carol, "online", bob, stranger, EVENT_MS);

    /* No renewal: within the lease and a sweep (1 s each), alice goes offline. */
    expect_presence(sub, alice, "offline", bob, stranger, EVENT_MS);
    cr_expect(!is_online(bob, alice));
    cr_expect(is_online(bob, carol), "carol still has a socket on a live gateway");
    json_t *none = testevents_next(sub, 1000, "presence", carol);
    cr_expect_null(none);
    json_decref(none);
    PGconn *conn = db_connect();
    cr_expect_eq(db_number(conn, "SELECT count(*) FROM presence WHERE user_id = $1", 1, alice, 0), 0);
    cr_expect_eq(db_number(conn, "SELECT count(*) FROM presence WHERE user_id = $1", 1, carol, 0), 1);
    PQfinish(conn);
    expect_ok(presence("presence.close", carol, alive));
    zsock_destroy(&sub);
}

Test(notification, presence_of_a_user_that_does_not_exist_is_401)
{
    testbus_reply_t r = presence("presence.open", (int64_t) 8000000000000000LL, "gw-none");
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("presence.open", 0, json_pack("{s:s}", "gateway", "gw-none"));
    cr_expect_eq(r.status, PROTO_UNAUTHORIZED, "presence.open needs a caller");
    testbus_reply_free(&r);
}
