/*  Integration tests of the user service: the running broker, auth and user services,
 *  driven over the real bus as the gateway would drive them. Users are registered
 *  through auth.register with unique names, so the tests can run again and again
 *  against the same database. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdarg.h>
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

/* Calls user.<method> as uid with body (stolen; NULL for nil). */
static testbus_reply_t call(const char *method, uint64_t uid, json_t *body)
{
    return testbus_call_json("user", method, (uint64_t) uid, body);
}

/* Registers a user with these names; returns its id and copies its username. */
static int64_t register_user(const char *first, const char *last, char *username, size_t size)
{
    char name[128];
    snprintf(name, sizeof name, "%s", testbus_unique("u"));
    int64_t id = register_account(name, PASSWORD, first, last);
    if (username)
        snprintf(username, size, "%s", name);
    return id;
}

static int64_t new_user(void)
{
    return register_user("", "", NULL, 0);
}

/* A PATCH body {"path": {"id": id}, "data": data} (data stolen). */
static json_t *update_body(int64_t id, json_t *data)
{
    return json_pack("{s:{s:I}, s:o}", "path", "id", (json_int_t) id, "data", data);
}

/* A list body for ?search=text, page and page_size. */
static json_t *search_body(const char *text, int page, int page_size)
{
    return json_pack("{s:i, s:i, s:{s:s}}", "page", page, "page_size", page_size, "query",
                     "search", text);
}

/* ---- me / get ---- */

Test(user, me_is_the_callers_own_record_with_email)
{
    char name[128];
    int64_t id = register_user("Ada", "Lovelace", name, sizeof name);
    testbus_reply_t r = call("me", (uint64_t) id, NULL);
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_eq(testbus_int(&r, "id"), id);
    cr_assert_str_eq(testbus_str(&r, "username"), name);
    char email[160];
    snprintf(email, sizeof email, "%s@example.com", name);
    cr_assert_str_eq(testbus_str(&r, "email"), email);
    cr_assert_str_eq(testbus_str(&r, "first_name"), "Ada");
    cr_assert_str_eq(testbus_str(&r, "last_name"), "Lovelace");
    cr_assert_str_eq(testbus_str(&r, "bio"), "");
    cr_assert(json_is_false(json_object_get(r.body, "is_online")));
    const char *joined = testbus_str(&r, "date_joined");
    cr_assert_not_null(joined);
    /* 2026-11-25T11:24:36.123Z */
    cr_assert_eq(strlen(joined), 24, "%s", joined);
    cr_assert_eq(joined[10], 'T');
    cr_assert_eq(joined[19], '.');
    cr_assert_eq(joined[23], 'Z');
    cr_assert_eq(json_object_size(r.body), 8);
    testbus_reply_free(&r);
}

Test(user, get_shows_email_only_in_own_record)
{
    int64_t a = new_user(), b = new_user();
    testbus_reply_t own = call("get", (uint64_t) a, json_pack("{s:{s:I}}", "path", "id", (json_int_t) a));
    cr_assert_eq(own.status, PROTO_OK);
    cr_assert_not_null(testbus_str(&own, "email"));
    testbus_reply_free(&own);
    testbus_reply_t other = call("get", (uint64_t) a, json_pack("{s:{s:I}}", "path", "id", (json_int_t) b));
    cr_assert_eq(other.status, PROTO_OK);
    cr_assert_eq(testbus_int(&other, "id"), b);
    cr_assert_null(json_object_get(other.body, "email"));
    cr_assert_eq(json_object_size(other.body), 7);
    testbus_reply_free(&other);
}

Test(user, get_unknown_id_is_not_found)
{
    int64_t a = new_user();
    testbus_reply_t r = call("get", (uint64_t) a, json_pack("{s:{s:I}}", "path", "id", (json_int_t) 8999999999999999LL));
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    r = call("get", (uint64_t) a, json_pack("{s:{s:i}}", "path", "id", 0));
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
}

Test(user, caller_whose_account_is_gone_gets_401_everywhere)
{
    int64_t a = new_user();
    testbus_reply_t r = call("me", GONE_UID, NULL);
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("get", GONE_UID, json_pack("{s:{s:I}}", "path", "id", (json_int_t) a));
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("list", GONE_UID, json_pack("{s:i, s:i}", "page", 1, "page_size", 20));
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("list", GONE_UID, search_body("x", 1, 20));
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("update", GONE_UID, update_body((int64_t) GONE_UID, json_pack("{s:s}", "email", "x@example.com")));
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("partial_update", GONE_UID, update_body((int64_t) GONE_UID, json_pack("{s:i}", "bio", 5)));
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("partial_update", GONE_UID, update_body((int64_t) GONE_UID, json_pack("{s:s}", "bio", "fine")));
    assert_user_gone(&r);
    testbus_reply_free(&r);
    r = call("partial_update", GONE_UID, update_body(a, json_pack("{}")));
    assert_user_gone(&r);
    testbus_reply_free(&r);
}

Test(user, anonymous_caller_is_refused)
{
    testbus_reply_t r = call("me", 0, NULL);
    cr_assert_eq(r.status, PROTO_UNAUTHORIZED);
    testbus_reply_free(&r);
}

/* ---- list, pagination, search ---- */

Test(user, list_is_ordered_by_id_without_email)
{
    int64_t a = new_user();
    new_user();
    testbus_reply_t r = call("list", (uint64_t) a, json_pack("{s:i, s:i}", "page", 1, "page_size", 100));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_geq(testbus_int(&r, "count"), 2);
    json_t *results = json_object_get(r.body, "results");
    cr_assert_geq(json_array_size(results), 2);
    int64_t previous = 0;
    size_t i;
    json_t *user;
    json_array_foreach(results, i, user) {
        int64_t id = json_integer_value(json_object_get(user, "id"));
        cr_assert_gt(id, previous);
        previous = id;
        cr_assert_null(json_object_get(user, "email"));
        cr_assert_eq(json_object_size(user), 7);
    }
    testbus_reply_free(&r);
}

Test(user, list_without_page_fields_uses_defaults)
{
    int64_t a = new_user();
    testbus_reply_t r = call("list", (uint64_t) a, json_pack("{}"));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_leq(json_array_size(json_object_get(r.body, "results")), 20);
    testbus_reply_free(&r);
}

Test(user, pagination_edges)
{
    char token[64];
    snprintf(token, sizeof token, "%s", testbus_unique("pag"));
    int64_t ids[5];
    for (int i = 0; i < 5; i++)
        ids[i] = register_user(token, "", NULL, 0);
    int64_t caller = ids[0], got[8];

    testbus_reply_t r = call("list", (uint64_t) caller, search_body(token, 1, 2));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_eq(testbus_int(&r, "count"), 5);
    cr_assert_eq(result_ids(&r, got, 8), 2);
    cr_assert_eq(got[0], ids[0]);
    cr_assert_eq(got[1], ids[1]);
    testbus_reply_free(&r);

    r = call("list", (uint64_t) caller, search_body(token, 3, 2));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_eq(result_ids(&r, got, 8), 1);
    cr_assert_eq(got[0], ids[4]);
    testbus_reply_free(&r);

    r = call("list", (uint64_t) caller, search_body(token, 4, 2));
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    cr_assert_str_eq(testbus_str(&r, "detail"), "Invalid page.");
    testbus_reply_free(&r);

    r = call("list", (uint64_t) caller, search_body(token, 1, 5));
    cr_assert_eq(result_ids(&r, got, 8), 5);
    testbus_reply_free(&r);
    r = call("list", (uint64_t) caller, search_body(token, 2, 5));
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);

    /* Page 1 always exists, even when nothing matches. */
    char none[80];
    snprintf(none, sizeof none, "%snothing", token);
    r = call("list", (uint64_t) caller, search_body(none, 1, 20));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_eq(testbus_int(&r, "count"), 0);
    cr_assert_eq(json_array_size(json_object_get(r.body, "results")), 0);
    testbus_reply_free(&r);
    r = call("list", (uint64_t) caller, search_body(none, 2, 20));
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);

    /* Out-of-range page fields (the gateway never sends them) are "Invalid page.". */
    r = call("list", (uint64_t) caller, json_pack("{s:i, s:i}", "page", 0, "page_size", 20));
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    r = call("list", (uint64_t) caller, json_pack("{s:i, s:i}", "page", 1, "page_size", 101));
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
}

/* The number of users a search finds. */
static long long search_count(int64_t caller, const char *text)
{
    testbus_reply_t r = call("list", (uint64_t) caller, search_body(text, 1, 100));
    cr_assert_eq(r.status, PROTO_OK, "search %s: status %d", text, r.status);
    long long count = testbus_int(&r, "count");
    testbus_reply_free(&r);
    return count;
}

/* Asserts that a search for the printf-style text finds `count` users. */
static void expect_found(int64_t caller, long long count, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void expect_found(int64_t caller, long long count, const char *fmt, ...)
{
    char text[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    cr_assert_eq(search_count(caller, text), count, "search \"%s\"", text);
}

/* Runs sql with the one text parameter p on conn; the first column of the first row
 * as a number (-1 when no row). */
static long long db_number(PGconn *conn, const char *sql, const char *p)
{
    const char *params[] = { p };
    PGresult *res = PQexecParams(conn, sql, p ? 1 : 0, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    cr_assert(st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK, "%s", PQresultErrorMessage(res));
    long long value = PQntuples(res) > 0 ? atoll(PQgetvalue(res, 0, 0)) : -1;
    PQclear(res);
    return value;
}

/*  Writes n users named name_1 .. name_n with first name `name` in one statement: the
 *  rows registration writes, in bulk (no one logs in as these). Returns the database
 *  connection it used, for the test's own queries and its clean-up. */
static PGconn *bulk_users(const char *name, int n)
{
    PGconn *conn = PQconnectdb(config_str("DATABASE_URL", "postgresql://postgres@127.0.0.1/socialnet"));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "database: %s", PQerrorMessage(conn));
    char count[16];
    snprintf(count, sizeof count, "%d", n);
    const char *params[] = { name, count };
    PGresult *res = PQexecParams(conn, "INSERT INTO users (username, email, password, first_name)"
                                       " SELECT $1 || '_' || g, $1 || '_' || g || '@example.com', '!', $1"
                                       " FROM generate_series(1, $2::int) g",
                                 2, NULL, params, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(res), PGRES_COMMAND_OK, "%s", PQresultErrorMessage(res));
    PQclear(res);
    return conn;
}

/* A search's count stops at 10,000 (sql/008); its pages reach the first 10,000
 * matches in id order, and the page after them is "Invalid page.". */
Test(user, a_search_count_stops_at_ten_thousand, .timeout = 120)
{
    char token[64];
    snprintf(token, sizeof token, "%s", testbus_unique("cap"));
    PGconn *conn = bulk_users(token, 10005);
    long long first = db_number(conn, "SELECT min(id) FROM users WHERE first_name = $1", token);
    long long last = db_number(conn, "SELECT id FROM users WHERE first_name = $1"
                                     " ORDER BY id OFFSET 9999 LIMIT 1", token);
    int64_t caller = new_user(), got[100];

    testbus_reply_t r = call("list", (uint64_t) caller, search_body(token, 1, 100));
    cr_assert_eq(r.status, PROTO_OK);
    cr_expect_eq(testbus_int(&r, "count"), 10000);
    cr_assert_eq(result_ids(&r, got, 100), 100);
    cr_expect_eq(got[0], first);
    testbus_reply_free(&r);

    r = call("list", (uint64_t) caller, search_body(token, 100, 100));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_eq(result_ids(&r, got, 100), 100);
    cr_expect_eq(got[99], last, "the last page ends at the 10,000th match");
    testbus_reply_free(&r);

    r = call("list", (uint64_t) caller, search_body(token, 101, 100));
    cr_expect_eq(r.status, PROTO_NOT_FOUND);
    cr_expect_str_eq(testbus_str(&r, "detail"), "Invalid page.");
    testbus_reply_free(&r);

    /* Two terms, both of them in the same users: the same cap. */
    char two[160];
    snprintf(two, sizeof two, "%s %.6s", token, token);
    cr_expect_eq(search_count(caller, two), 10000);

    db_number(conn, "DELETE FROM users WHERE first_name = $1", token);
    PQfinish(conn);
}

Test(user, a_search_under_the_cap_counts_exactly_and_pages_in_id_order)
{
    char token[64];
    snprintf(token, sizeof token, "%s", testbus_unique("few"));
    PGconn *conn = bulk_users(token, 250);
    long long first = db_number(conn, "SELECT min(id) FROM users WHERE first_name = $1", token);
    long long last = db_number(conn, "SELECT max(id) FROM users WHERE first_name = $1", token);
    int64_t caller = new_user(), got[100], previous = 0;
    size_t seen = 0;
    for (int page = 1; page <= 3; page++) {
        testbus_reply_t r = call("list", (uint64_t) caller, search_body(token, page, 100));
        cr_assert_eq(r.status, PROTO_OK, "page %d", page);
        cr_expect_eq(testbus_int(&r, "count"), 250);
        size_t n = result_ids(&r, got, 100);
        cr_assert_eq(n, page < 3 ? 100u : 50u, "page %d", page);
        for (size_t i = 0; i < n; i++) {
            cr_expect_gt(got[i], previous, "ascending ids across pages");
            previous = got[i];
        }
        if (page == 1)
            cr_expect_eq(got[0], first);
        seen += n;
        testbus_reply_free(&r);
    }
    cr_expect_eq(seen, 250u);
    cr_expect_eq(previous, last);
    db_number(conn, "DELETE FROM users WHERE first_name = $1", token);
    PQfinish(conn);
}

Test(user, search_matches_username_first_and_last_name_case_insensitively)
{
    char token[64], name[128], text[160];
    snprintf(token, sizeof token, "%s", testbus_unique("srch"));
    int64_t by_name = register_user("", "", name, sizeof name);
    snprintf(text, sizeof text, "Fn%sX", token);
    int64_t by_first = register_user(text, "", NULL, 0);
    snprintf(text, sizeof text, "Ln%sY", token);
    int64_t by_last = register_user("", text, NULL, 0);

    cr_assert_eq(search_count(by_name, name), 1);
    /* Upper case finds lower case and the reverse. */
    for (char *p = name; *p; p++)
        *p = (char) (*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    cr_assert_eq(search_count(by_name, name), 1);
    expect_found(by_first, 1, "fn%sx", token);
    snprintf(text, sizeof text, "LN%sy", token);
    testbus_reply_t r = call("list", (uint64_t) by_first, search_body(text, 1, 20));
    cr_assert_eq(testbus_int(&r, "count"), 1);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_object_get(r.body, "results"), 0), "id")), by_last);
    testbus_reply_free(&r);
    /* A substring of the token finds both the first and the last name. */
    cr_assert_eq(search_count(by_first, token), 2);
    /* Surrounding whitespace is trimmed. */
    expect_found(by_first, 2, "  \t%s  ", token);
}

Test(user, search_is_unicode_aware)
{
    char token[64], text[200];
    snprintf(token, sizeof token, "%s", testbus_unique("uni"));
    snprintf(text, sizeof text, "Élodie%s", token);
    int64_t a = register_user(text, "Ñandú", NULL, 0);
    expect_found(a, 1, "élodie%s", token);
    expect_found(a, 1, "ÉLODIE%s", token);
    /* Two terms: both must match (one in each name). */
    expect_found(a, 1, "ñANDÚ élodie%s", token);
    expect_found(a, 1, "ñandú,%s", token);
    expect_found(a, 0, "zzzqqq %s", token);
}

Test(user, search_with_many_terms_needs_every_term)
{
    char token[64], first[160];
    snprintf(token, sizeof token, "%s", testbus_unique("many"));
    snprintf(first, sizeof first, "Alpha%s Beta Gamma", token);
    int64_t a = register_user(first, "Delta Epsilon", NULL, 0);
    expect_found(a, 1, "alpha%s beta", token);
    expect_found(a, 1, "gamma alpha%s beta", token);
    expect_found(a, 1, "EPSILON gamma alpha%s beta delta", token);
    expect_found(a, 1, "a b m t e alpha%s", token);
    /* One term that matches nothing, wherever it comes in the order. */
    expect_found(a, 0, "epsilon gamma alpha%s beta zeta", token);
    expect_found(a, 0, "zz epsilon gamma alpha%s beta", token);
    expect_found(a, 0, "alpha%s q", token);
}

Test(user, search_follows_profile_updates)
{
    char token[64], text[200];
    snprintf(token, sizeof token, "%s", testbus_unique("upd"));
    snprintf(text, sizeof text, "Old%s", token);
    int64_t a = register_user(text, "", NULL, 0);
    cr_assert_eq(search_count(a, text), 1);
    char renamed[200];
    snprintf(renamed, sizeof renamed, "Renamed%s", token);
    testbus_reply_t r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:s}", "last_name", renamed)));
    cr_assert_eq(r.status, PROTO_OK);
    testbus_reply_free(&r);
    cr_assert_eq(search_count(a, renamed), 1);
    r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:s}", "first_name", "Plain")));
    cr_assert_eq(r.status, PROTO_OK);
    testbus_reply_free(&r);
    cr_assert_eq(search_count(a, text), 0);
    cr_assert_eq(search_count(a, renamed), 1);
}

Test(user, search_never_looks_at_bio_or_email)
{
    char token[64], text[200];
    snprintf(token, sizeof token, "%s", testbus_unique("hid"));
    int64_t a = new_user();
    snprintf(text, sizeof text, "bio %s", token);
    testbus_reply_t r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:s}", "bio", text)));
    cr_assert_eq(r.status, PROTO_OK);
    testbus_reply_free(&r);
    cr_assert_eq(search_count(a, token), 0);
    snprintf(text, sizeof text, "%s@example.org", token);
    r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:s}", "email", text)));
    cr_assert_eq(r.status, PROTO_OK);
    testbus_reply_free(&r);
    cr_assert_eq(search_count(a, token), 0);
    cr_assert_eq(search_count(a, "example.org"), 0);
}

Test(user, search_treats_like_wildcards_literally)
{
    char token[64], text[200];
    snprintf(token, sizeof token, "%s", testbus_unique("wc"));
    snprintf(text, sizeof text, "%s%%_\\", token);
    int64_t a = register_user(text, "", NULL, 0);
    cr_assert_eq(search_count(a, text), 1);
    /* "%" and "_" match only themselves, never any text. */
    expect_found(a, 1, "%s%%", token);
    expect_found(a, 0, "%s%%x", token);
    expect_found(a, 0, "%s__", token);
}

Test(user, blank_search_lists_everyone)
{
    int64_t a = new_user();
    testbus_reply_t all = call("list", (uint64_t) a, json_pack("{s:i, s:i}", "page", 1, "page_size", 1));
    testbus_reply_t blank = call("list", (uint64_t) a, search_body("  , ", 1, 1));
    cr_assert_eq(blank.status, PROTO_OK);
    /* Other tests may register users in between: the blank search is not smaller. */
    cr_assert_geq(testbus_int(&blank, "count"), testbus_int(&all, "count"));
    testbus_reply_free(&all);
    testbus_reply_free(&blank);
}

Test(user, search_with_a_nul_is_400)
{
    int64_t a = new_user();
    testbus_reply_t r = call("list", (uint64_t) a, json_pack("{s:i, s:i, s:{s:s#}}", "page", 1, "page_size", 20, "query", "search", "ab\0cd", (size_t) 5));
    assert_field_error(&r, "search", "Null characters are not allowed.");
    testbus_reply_free(&r);
}

/* ---- update ---- */

Test(user, put_requires_email_and_returns_the_own_record)
{
    char name[128];
    int64_t a = register_user("Old", "Name", name, sizeof name);
    testbus_reply_t r = call("update", (uint64_t) a, update_body(a, json_pack("{s:s}", "first_name", "New")));
    assert_field_error(&r, "email", "This field is required.");
    testbus_reply_free(&r);
    r = call("update", (uint64_t) a, json_pack("{s:{s:I}}", "path", "id", (json_int_t) a));
    assert_field_error(&r, "email", "This field is required.");
    testbus_reply_free(&r);

    char email[160];
    snprintf(email, sizeof email, "New.%s@Example.com", name);
    r = call("update", (uint64_t) a, update_body(a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s}",
             "email", email, "first_name", "  Grace ", "last_name", "Hopper", "bio", "Navy",
             "username", "hacked", "id", 12345, "date_joined", "2000-01-01T00:00:00.000Z")));
    cr_assert_eq(r.status, PROTO_OK, "status %d", r.status);
    cr_assert_eq(testbus_int(&r, "id"), a);
    cr_assert_str_eq(testbus_str(&r, "username"), name);
    cr_assert_str_eq(testbus_str(&r, "email"), email);
    cr_assert_str_eq(testbus_str(&r, "first_name"), "Grace");
    cr_assert_str_eq(testbus_str(&r, "last_name"), "Hopper");
    cr_assert_str_eq(testbus_str(&r, "bio"), "Navy");
    cr_assert_str_neq(testbus_str(&r, "date_joined"), "2000-01-01T00:00:00.000Z");
    testbus_reply_free(&r);
    /* PUT leaves fields it was not sent alone. */
    r = call("update", (uint64_t) a, update_body(a, json_pack("{s:s}", "email", email)));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_str_eq(testbus_str(&r, "bio"), "Navy");
    testbus_reply_free(&r);
    r = call("me", (uint64_t) a, NULL);
    cr_assert_str_eq(testbus_str(&r, "last_name"), "Hopper");
    testbus_reply_free(&r);
}

Test(user, patch_changes_only_what_is_sent)
{
    int64_t a = register_user("Keep", "Me", NULL, 0);
    testbus_reply_t r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:s}", "bio", "Hello")));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_str_eq(testbus_str(&r, "bio"), "Hello");
    cr_assert_str_eq(testbus_str(&r, "first_name"), "Keep");
    cr_assert_str_eq(testbus_str(&r, "last_name"), "Me");
    cr_assert_not_null(testbus_str(&r, "email"));
    testbus_reply_free(&r);
    /* Nothing to change: the record as it is. */
    r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{}")));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_str_eq(testbus_str(&r, "bio"), "Hello");
    testbus_reply_free(&r);
    r = call("partial_update", (uint64_t) a, json_pack("{s:{s:I}}", "path", "id", (json_int_t) a));
    cr_assert_eq(r.status, PROTO_OK);
    testbus_reply_free(&r);
    /* Blank names and bio are allowed. */
    r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:s, s:s}", "first_name", "", "bio", "   ")));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_str_eq(testbus_str(&r, "first_name"), "");
    cr_assert_str_eq(testbus_str(&r, "bio"), "");
    testbus_reply_free(&r);
}

/* A string of n copies of the UTF-8 character c. */
static char *repeat(const char *c, size_t n)
{
    size_t len = strlen(c);
    char *s = malloc(n * len + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, c, len);
    s[n * len] = 0;
    return s;
}

Test(user, lengths_are_counted_in_characters)
{
    int64_t a = new_user();
    char *name150 = repeat("é", 150), *name151 = repeat("é", 151);
    char *bio500 = repeat("ж", 500), *bio501 = repeat("x", 501);
    testbus_reply_t r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:s, s:s, s:s}", "first_name", name150, "last_name", name150, "bio", bio500)));
    cr_assert_eq(r.status, PROTO_OK, "status %d", r.status);
    cr_assert_str_eq(testbus_str(&r, "bio"), bio500);
    testbus_reply_free(&r);
    r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:s, s:s, s:s}", "first_name", name151, "last_name", name151, "bio", bio501)));
    assert_field_error(&r, "first_name", "Ensure this field has no more than 150 characters.");
    assert_field_error(&r, "last_name", "Ensure this field has no more than 150 characters.");
    assert_field_error(&r, "bio", "Ensure this field has no more than 500 characters.");
    testbus_reply_free(&r);
    /* Nothing was written. */
    r = call("me", (uint64_t) a, NULL);
    cr_assert_str_eq(testbus_str(&r, "bio"), bio500);
    testbus_reply_free(&r);
    free(name150);
    free(name151);
    free(bio500);
    free(bio501);
}

Test(user, field_types_follow_drf_charfield)
{
    int64_t a = new_user();
    testbus_reply_t r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:b, s:n, s:[]}", "first_name", 1, "last_name", "bio")));
    assert_field_error(&r, "first_name", "Not a valid string.");
    assert_field_error(&r, "last_name", "This field may not be null.");
    assert_field_error(&r, "bio", "Not a valid string.");
    testbus_reply_free(&r);
    /* Numbers become their Python str(). */
    r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:i, s:f, s:f}", "first_name", 42, "last_name", 1.5, "bio", 2.0)));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_str_eq(testbus_str(&r, "first_name"), "42");
    cr_assert_str_eq(testbus_str(&r, "last_name"), "1.5");
    cr_assert_str_eq(testbus_str(&r, "bio"), "2.0");
    testbus_reply_free(&r);
    r = call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:s#}", "bio", "a\0b", (size_t) 3)));
    assert_field_error(&r, "bio", "Null characters are not allowed.");
    testbus_reply_free(&r);
}

Test(user, data_must_be_a_dictionary)
{
    int64_t a = new_user();
    testbus_reply_t r = call("partial_update", (uint64_t) a, update_body(a, json_pack("[s]", "x")));
    assert_field_error(&r, "non_field_errors", "Invalid data. Expected a dictionary, but got list.");
    testbus_reply_free(&r);
    r = call("update", (uint64_t) a, update_body(a, json_string("x")));
    assert_field_error(&r, "non_field_errors", "Invalid data. Expected a dictionary, but got str.");
    testbus_reply_free(&r);
    r = call("update", (uint64_t) a, update_body(a, json_null()));
    assert_field_error(&r, "non_field_errors", "No data provided");
    testbus_reply_free(&r);
}

/* PATCHes the caller's email and returns the reply. */
static testbus_reply_t patch_email(int64_t a, json_t *email)
{
    return call("partial_update", (uint64_t) a, update_body(a, json_pack("{s:o}", "email", email)));
}

Test(user, email_rules)
{
    int64_t a = new_user();
    testbus_reply_t r = patch_email(a, json_string(""));
    assert_field_error(&r, "email", "This field may not be blank.");
    testbus_reply_free(&r);
    r = patch_email(a, json_string("   "));
    assert_field_error(&r, "email", "This field may not be blank.");
    testbus_reply_free(&r);
    r = patch_email(a, json_null());
    assert_field_error(&r, "email", "This field may not be null.");
    testbus_reply_free(&r);
    static const char *invalid[] = {
        "plainaddress", "@example.com", "a@b", "a@b.c", "a..b@example.com", ".a@example.com",
        "a@-example.com", "a@example-.com", "a@exa_mple.com", "a b@example.com",
        "a@example.com-", "a@[300.1.1.1]", "ü@example.com", "a@.example.com", "a@example..com",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        r = patch_email(a, json_string(invalid[i]));
        cr_assert_eq(r.status, PROTO_INVALID, "%s accepted", invalid[i]);
        assert_field_error(&r, "email", "Enter a valid email address.");
        testbus_reply_free(&r);
    }
    char *long_local = repeat("a", 250);
    char too_long[300];
    snprintf(too_long, sizeof too_long, "%s@example.com", long_local);
    r = patch_email(a, json_string(too_long));
    assert_field_error(&r, "email", "Ensure this field has no more than 254 characters.");
    testbus_reply_free(&r);
    free(long_local);
    /* Valid ones (unique per run). */
    const char *unique = testbus_unique("e");
    const char *valid_forms[] = { "%s@example.com", "%s+tag@sub.example.co.uk", "%s@localhost",
                                  "%s@[127.0.0.1]", "%s@[::1]", "%s@bücher.de", "\"%s!x\"@example.com",
                                  "  %s@spaces.example.com  " };
    for (size_t i = 0; i < sizeof valid_forms / sizeof *valid_forms; i++) {
        char email[200];
        snprintf(email, sizeof email, valid_forms[i], unique);
        r = patch_email(a, json_string(email));
        cr_assert_eq(r.status, PROTO_OK, "%s refused (%d)", email, r.status);
        testbus_reply_free(&r);
    }
    /* The last one was trimmed. */
    r = call("me", (uint64_t) a, NULL);
    cr_assert_eq(testbus_str(&r, "email")[0] != ' ', 1);
    testbus_reply_free(&r);
}

Test(user, email_is_unique_case_insensitively)
{
    char name_a[128];
    int64_t a = register_user("", "", name_a, sizeof name_a);
    int64_t b = new_user();
    char email[200];
    snprintf(email, sizeof email, "%s@EXAMPLE.com", name_a);
    for (char *p = email; *p && *p != '@'; p++)
        *p = (char) (*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    testbus_reply_t r = patch_email(b, json_string(email));
    assert_field_error(&r, "email", "user with this email address already exists.");
    testbus_reply_free(&r);
    /* Reported along with the other errors of the same form. */
    r = call("partial_update", (uint64_t) b, update_body(b, json_pack("{s:s, s:b}", "email", email, "bio", 1)));
    assert_field_error(&r, "email", "user with this email address already exists.");
    assert_field_error(&r, "bio", "Not a valid string.");
    testbus_reply_free(&r);
    /* One's own address in another case is fine. */
    r = patch_email(a, json_string(email));
    cr_assert_eq(r.status, PROTO_OK);
    cr_assert_str_eq(testbus_str(&r, "email"), email);
    testbus_reply_free(&r);
}

Test(user, only_the_user_themself_may_update)
{
    int64_t a = new_user(), b = new_user();
    testbus_reply_t r = call("partial_update", (uint64_t) a, update_body(b, json_pack("{s:s}", "bio", "mine now")));
    cr_assert_eq(r.status, PROTO_FORBIDDEN);
    testbus_reply_free(&r);
    /* Permission comes before validation. */
    r = call("update", (uint64_t) a, update_body(b, json_pack("{}")));
    cr_assert_eq(r.status, PROTO_FORBIDDEN);
    testbus_reply_free(&r);
    r = call("update", (uint64_t) a, update_body(8999999999999999LL, json_pack("{s:s}", "email", "x@example.com")));
    cr_assert_eq(r.status, PROTO_NOT_FOUND);
    testbus_reply_free(&r);
    r = call("me", (uint64_t) b, NULL);
    cr_assert_str_eq(testbus_str(&r, "bio"), "");
    testbus_reply_free(&r);
}

/* ---- concurrency ---- */

typedef struct {
    int64_t user;           /* who patches */
    const char *email;      /* the address everyone wants */
    pthread_barrier_t *go;  /* start line */
    int status;             /* reply status */
} email_race_t;

static void *race_for_email(void *arg)
{
    email_race_t *race = arg;
    pthread_barrier_wait(race->go);
    testbus_reply_t r = patch_email(race->user, json_string(race->email));
    race->status = r.status;
    testbus_reply_free(&r);
    return NULL;
}

Test(user, concurrent_claims_of_one_email_let_exactly_one_win)
{
    enum { N = 20 };
    char email[200];
    snprintf(email, sizeof email, "%s@race.example.com", testbus_unique("race"));
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, N);
    char upper[200];
    snprintf(upper, sizeof upper, "%s", email);
    for (char *p = upper; *p; p++)
        *p = (char) (*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    email_race_t races[N];
    pthread_t threads[N];
    for (int i = 0; i < N; i++) {
        /* Half of them in upper case: uniqueness ignores case. */
        races[i] = (email_race_t) { new_user(), i % 2 ? upper : email, &go, -1 };
    }
    for (int i = 0; i < N; i++)
        pthread_create(&threads[i], NULL, race_for_email, &races[i]);
    int won = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(threads[i], NULL);
        cr_assert(races[i].status == PROTO_OK || races[i].status == PROTO_INVALID, "status %d", races[i].status);
        won += races[i].status == PROTO_OK;
    }
    cr_assert_eq(won, 1);
    pthread_barrier_destroy(&go);
}
