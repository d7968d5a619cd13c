/*  Integration tests of the auth service: the running broker and auth workers over the
 *  real bus, against the test database (DATABASE_URL), with the services' JWT_SECRET.
 *  Usernames come from testbus_unique so the tests can run again on the same database.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "proto.h"
#include "proto_json.h"
#include "testassert.h"
#include "testbus.h"
#include "token.h"

#define PASSWORD "Xq9!mzT4pL-long"
#define NO_ACCOUNT "No active account found with the given credentials"
#define TOKEN_INVALID "Given token not valid for any token type"

/* ---- helpers ---- */

/* A fresh unique username (copied: testbus_unique reuses its buffer). */
static char *unique_name(const char *prefix)
{
    return strdup(testbus_unique(prefix));
}

/*  Calls auth.method with {"data": data_json} as user uid. The body is packed here
 *  (JSON text may carry \u0000, which the services must refuse with a 400). */
static testbus_reply_t call(const char *method, uint64_t uid, const char *data_json)
{
    json_error_t error;
    json_t *data = json_loads(data_json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
    cr_assert_not_null(data, "bad JSON in test: %s", error.text);
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 1);
    proto_pack_str(&pk, "data");
    cr_assert_eq(proto_json_pack(&pk, data), 0);
    json_decref(data);
    testbus_reply_t r = testbus_call_raw_body("auth", method, uid, buf.data, buf.size);
    msgpack_sbuffer_destroy(&buf);
    return r;
}

/* Asserts the reply body equals the JSON text. */
static void assert_body(const testbus_reply_t *r, const char *json)
{
    json_error_t error;
    json_t *want = json_loads(json, JSON_DECODE_ANY, &error);
    cr_assert_not_null(want, "bad JSON in test: %s", error.text);
    char *got = json_dumps(r->body, JSON_SORT_KEYS | JSON_ENCODE_ANY);
    cr_assert(json_equal(r->body, want), "body %s, expected %s", got, json);
    free(got);
    json_decref(want);
}

/* Calls auth.method (see call) and asserts the reply's status and, unless body_json is
 * NULL, its body. */
static void expect_reply(const char *method, uint64_t uid, const char *data_json,
                         proto_status_t status, const char *body_json)
{
    testbus_reply_t r = call(method, uid, data_json);
    cr_assert_eq(r.status, (int) status, "auth.%s: status %d, expected %d", method, r.status,
                 (int) status);
    if (body_json)
        assert_body(&r, body_json);
    testbus_reply_free(&r);
}

/* Calls auth.method anonymously with each case's data (cases[i][0]) and asserts a 400
 * whose body is the case's (cases[i][1]). */
static void expect_invalid_cases(const char *method, const char *const cases[][2], size_t count)
{
    for (size_t i = 0; i < count; i++) {
        testbus_reply_t r = call(method, 0, cases[i][0]);
        cr_assert_eq(r.status, PROTO_INVALID, "auth.%s case %zu: status %d", method, i, r.status);
        assert_body(&r, cases[i][1]);
        testbus_reply_free(&r);
    }
}

/* Registers username with email <username>@example.com; returns the new id. */
static long long register_user(const char *username)
{
    return register_account(username, PASSWORD, NULL, NULL);
}

/* Logs in; fills access and refresh (malloc'ed). */
static void login(const char *username, const char *password, char **access, char **refresh)
{
    char data[512];
    snprintf(data, sizeof data, "{\"username\": \"%s\", \"password\": \"%s\"}", username, password);
    testbus_reply_t r = call("login", 0, data);
    cr_assert_eq(r.status, PROTO_OK, "login %s: status %d", username, r.status);
    cr_assert_not_null(testbus_str(&r, "access"));
    cr_assert_not_null(testbus_str(&r, "refresh"));
    *access = strdup(testbus_str(&r, "access"));
    *refresh = strdup(testbus_str(&r, "refresh"));
    testbus_reply_free(&r);
}

/* The services' secret, to check issued tokens. */
static const char *secret(void)
{
    const char *s = config_str("JWT_SECRET", NULL);
    cr_assert_not_null(s, "JWT_SECRET must be set for the integration tests");
    return s;
}

/* Verifies a token with the services' secret; returns its claims. */
static token_claims_t verify(const char *token, token_type_t type)
{
    token_claims_t claims;
    cr_assert_eq(token_verify((const unsigned char *) secret(), strlen(secret()), token, type,
                              time(NULL), &claims),
                 0, "token does not verify");
    return claims;
}

/* Runs one SQL statement with one text parameter on the test database. */
static void sql(const char *statement, const char *param)
{
    PGconn *conn = PQconnectdb(config_str("DATABASE_URL", "postgresql:///socialnet"));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK, "database: %s", PQerrorMessage(conn));
    PGresult *res = PQexecParams(conn, statement, 1, NULL, &param, NULL, NULL, 0);
    cr_assert(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK,
              "sql: %s", PQerrorMessage(conn));
    PQclear(res);
    PQfinish(conn);
}

/* Refresh body for a token. */
static char *refresh_body(const char *token)
{
    size_t size = strlen(token) + 32;
    char *body = malloc(size);
    snprintf(body, size, "{\"refresh\": \"%s\"}", token);
    return body;
}

/* A registered account, logged in. */
typedef struct {
    char *name;       /* its username (unique) */
    long long id;     /* its user id */
    char *access;     /* an access token */
    char *refresh;    /* the refresh token issued with it */
    char *body;       /* {"refresh": refresh}, the data of refresh and logout */
} session_t;

/* Registers a user named prefix + a unique suffix and logs in. */
static session_t session_new(const char *prefix)
{
    session_t s;
    s.name = unique_name(prefix);
    s.id = register_user(s.name);
    login(s.name, PASSWORD, &s.access, &s.refresh);
    s.body = refresh_body(s.refresh);
    return s;
}

/* Frees what session_new made. */
static void session_free(session_t *s)
{
    free(s->body);
    free(s->access);
    free(s->refresh);
    free(s->name);
}

/* Sends a well-formed request head for auth.method followed by `body` as raw bytes, and
 * asserts a 400. */
static void expect_body_refused(uint64_t id, const char *method, const unsigned char *body,
                                size_t size)
{
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    proto_request_begin(&pk, id, "auth", method, 0);
    msgpack_sbuffer_write(&buf, (const char *) body, size);
    testbus_reply_t r = testbus_send_raw("auth", buf.data, buf.size, 2000);
    cr_assert_eq(r.status, PROTO_INVALID, "auth.%s: status %d", method, r.status);
    testbus_reply_free(&r);
    msgpack_sbuffer_destroy(&buf);
}

/* Asserts that the service still answers a normal request. */
static void assert_still_serving(void)
{
    testbus_reply_t r = call("login", 0, "{\"username\": \"nobody-at-all\", \"password\": \"x\"}");
    cr_assert_eq(r.status, PROTO_UNAUTHORIZED, "service no longer answers (status %d)", r.status);
    assert_body(&r, "{\"detail\": \"" NO_ACCOUNT "\"}");
    testbus_reply_free(&r);
}

/* ---- register ---- */

Test(auth_register, created)
{
    char *name = unique_name("Reg_");
    char data[512];
    snprintf(data, sizeof data,
             "{\"username\": \" %s \", \"email\": \"%s@Example.COM\", \"password\": \"%s\","
             " \"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"is_staff\": true}",
             name, name, PASSWORD);
    testbus_reply_t r = call("register", 0, data);
    cr_assert_eq(r.status, PROTO_CREATED);
    cr_assert_gt(testbus_int(&r, "id"), 0);
    cr_assert_str_eq(testbus_str(&r, "username"), name);
    char email[256];
    snprintf(email, sizeof email, "%s@example.com", name);
    cr_assert_str_eq(testbus_str(&r, "email"), email);
    cr_assert_str_eq(testbus_str(&r, "first_name"), "Ada");
    cr_assert_str_eq(testbus_str(&r, "last_name"), "Lovelace");
    cr_assert_eq(json_object_size(r.body), 5, "only id, username, email, first_name, last_name");
    testbus_reply_free(&r);
    free(name);
}

Test(auth_register, password_stored_as_django_argon2)
{
    char *name = unique_name("hash_");
    register_user(name);
    PGconn *conn = PQconnectdb(config_str("DATABASE_URL", "postgresql:///socialnet"));
    const char *params[1] = { name };
    PGresult *res = PQexecParams(conn, "SELECT password FROM users WHERE username = $1", 1, NULL,
                                 params, NULL, NULL, 0);
    cr_assert_eq(PQntuples(res), 1);
    const char *stored = PQgetvalue(res, 0, 0);
    cr_assert_eq(strncmp(stored, "argon2$argon2id$v=19$m=", 23), 0, "stored %.30s...", stored);
    cr_assert_null(strstr(stored, PASSWORD));
    PQclear(res);
    PQfinish(conn);
    free(name);
}

Test(auth_register, validation_errors)
{
    const char *cases[][2] = {
        { "{}", "{\"username\": [\"This field is required.\"], \"email\": [\"This field is required.\"],"
                " \"password\": [\"This field is required.\"]}" },
        { "{\"username\": \"bad name\", \"email\": \"nope\", \"password\": \"123\"}",
          "{\"username\": [\"Enter a valid username. This value may contain only letters, numbers, and"
          " @/./+/-/_ characters.\"], \"email\": [\"Enter a valid email address.\"],"
          " \"password\": [\"This password is too short. It must contain at least 8 characters.\","
          " \"This password is entirely numeric.\"]}" },
        { "{\"username\": null, \"email\": \"\", \"password\": true}",
          "{\"username\": [\"This field may not be null.\"], \"email\": [\"This field may not be blank.\"],"
          " \"password\": [\"Not a valid string.\"]}" },
        { "{\"username\": \"samesame1\", \"email\": \"s@example.com\", \"password\": \"SameSame1\"}",
          "{\"password\": [\"The password is too similar to the username.\"]}" },
        { "[1, 2]", "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got list.\"]}" },
        { "\"text\"", "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got str.\"]}" },
        { "null", "{\"non_field_errors\": [\"This field may not be null.\"]}" },
        { "{\"username\": \"a\\u0000b\", \"email\": \"a@example.com\", \"password\": \"Xq9!mz\\u0000T4pL\","
          " \"first_name\": \"x\\u0000\"}",
          "{\"username\": [\"Enter a valid username. This value may contain only letters, numbers, and"
          " @/./+/-/_ characters.\", \"Null characters are not allowed.\"],"
          " \"password\": [\"Null characters are not allowed.\"],"
          " \"first_name\": [\"Null characters are not allowed.\"]}" },
    };
    expect_invalid_cases("register", cases, sizeof cases / sizeof cases[0]);
}

Test(auth_register, duplicate_username_and_email_case_insensitive)
{
    char *name = unique_name("Dup_");
    register_user(name);
    char upper[256], data[1024];
    snprintf(upper, sizeof upper, "%s", name);
    for (char *p = upper; *p; p++)
        *p = (char) (*p >= 'a' && *p <= 'z' ? *p - 32 : *p >= 'A' && *p <= 'Z' ? *p + 32 : *p);

    /* Same username in another case, new email. */
    snprintf(data, sizeof data,
             "{\"username\": \"%s\", \"email\": \"other_%s@example.com\", \"password\": \"%s\"}",
             upper, name, PASSWORD);
    expect_reply("register", 0, data, PROTO_INVALID,
                 "{\"username\": [\"A user with that username already exists.\"]}");

    /* New username, same email in another case. */
    snprintf(data, sizeof data,
             "{\"username\": \"new_%s\", \"email\": \"%s@EXAMPLE.com\", \"password\": \"%s\"}",
             name, upper, PASSWORD);
    expect_reply("register", 0, data, PROTO_INVALID,
                 "{\"email\": [\"user with this email address already exists.\"]}");

    /* Both at once. */
    snprintf(data, sizeof data,
             "{\"username\": \"%s\", \"email\": \"%s@example.com\", \"password\": \"%s\"}", upper,
             upper, PASSWORD);
    expect_reply("register", 0, data, PROTO_INVALID,
                 "{\"username\": [\"A user with that username already exists.\"],"
                 " \"email\": [\"user with this email address already exists.\"]}");
    free(name);
}

/* What each registering thread sends and gets. */
typedef struct {
    char data[512];      /* the request's data */
    int status;          /* the reply's status */
    char body[512];      /* the reply's body as JSON */
} attempt_t;

/* Thread body: one registration. */
static void *register_thread(void *arg)
{
    attempt_t *a = arg;
    testbus_reply_t r = call("register", 0, a->data);
    a->status = r.status;
    char *text = json_dumps(r.body, JSON_SORT_KEYS | JSON_ENCODE_ANY);
    snprintf(a->body, sizeof a->body, "%s", text ? text : "");
    free(text);
    testbus_reply_free(&r);
    return NULL;
}

/* Runs n registrations at once; returns how many got 201 and checks the others. */
static int race(attempt_t *attempts, int n, const char *loser_body)
{
    pthread_t threads[32];
    assert_still_serving();   /* first bus use (czmq's global set-up) before the threads */
    for (int i = 0; i < n; i++)
        cr_assert_eq(pthread_create(&threads[i], NULL, register_thread, &attempts[i]), 0);
    for (int i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    int created = 0;
    for (int i = 0; i < n; i++) {
        if (attempts[i].status == PROTO_CREATED) {
            created++;
            continue;
        }
        cr_assert_eq(attempts[i].status, PROTO_INVALID, "attempt %d: status %d", i,
                     attempts[i].status);
        cr_assert_str_eq(attempts[i].body, loser_body);
    }
    return created;
}

Test(auth_register, concurrent_same_username_creates_one, .timeout = 60)
{
    char *name = unique_name("race_");
    attempt_t attempts[20];
    for (int i = 0; i < 20; i++)
        snprintf(attempts[i].data, sizeof attempts[i].data,
                 "{\"username\": \"%s\", \"email\": \"r%d_%s@example.com\", \"password\": \"%s\"}",
                 name, i, name, PASSWORD);
    int created = race(attempts, 20,
                       "{\"username\": [\"A user with that username already exists.\"]}");
    cr_assert_eq(created, 1, "%d accounts created", created);
    free(name);
}

Test(auth_register, concurrent_same_email_creates_one, .timeout = 60)
{
    char *name = unique_name("mail_");
    attempt_t attempts[20];
    for (int i = 0; i < 20; i++)
        snprintf(attempts[i].data, sizeof attempts[i].data,
                 "{\"username\": \"u%d_%s\", \"email\": \"%s@Example.com\", \"password\": \"%s\"}", i,
                 name, name, PASSWORD);
    int created = race(attempts, 20,
                       "{\"email\": [\"user with this email address already exists.\"]}");
    cr_assert_eq(created, 1, "%d accounts created", created);
    free(name);
}

/* ---- login ---- */

Test(auth_login, issues_simplejwt_pair)
{
    session_t s = session_new("login_");
    token_claims_t a = verify(s.access, TOKEN_ACCESS);
    token_claims_t r = verify(s.refresh, TOKEN_REFRESH);
    cr_assert_eq(a.user_id, s.id);
    cr_assert_eq(r.user_id, s.id);
    cr_assert_str_neq(a.jti, r.jti);
    /* Default lifetimes unless the environment says otherwise: access 5 min, refresh 1 day. */
    long access_lifetime = 300, refresh_lifetime = 86400;
    config_int("ACCESS_TOKEN_LIFETIME", 300, 1, 1L << 40, &access_lifetime);
    config_int("REFRESH_TOKEN_LIFETIME", 86400, 1, 1L << 40, &refresh_lifetime);
    cr_assert_eq(a.exp - a.iat, access_lifetime);
    cr_assert_eq(r.exp - r.iat, refresh_lifetime);
    /* A refresh token is never an access token and the other way round. */
    token_claims_t claims;
    cr_assert_eq(token_verify((const unsigned char *) secret(), strlen(secret()), s.refresh,
                              TOKEN_ACCESS, time(NULL), &claims),
                 -1);
    session_free(&s);
}

Test(auth_login, wrong_password_unknown_user_and_inactive_answer_alike)
{
    char *name = unique_name("creds_");
    register_user(name);
    const char *attempts[3];
    char wrong[512], unknown[512], other_case[512], inactive[512];
    snprintf(wrong, sizeof wrong, "{\"username\": \"%s\", \"password\": \"not-the-password\"}", name);
    snprintf(unknown, sizeof unknown, "{\"username\": \"nobody_%s\", \"password\": \"%s\"}", name,
             PASSWORD);
    /* The username must match exactly (case included), as Django's ModelBackend does. */
    snprintf(other_case, sizeof other_case, "{\"username\": \"%c%s\", \"password\": \"%s\"}",
             name[0] - 32, name + 1, PASSWORD);
    snprintf(inactive, sizeof inactive, "{\"username\": \"%s\", \"password\": \"%s\"}", name, PASSWORD);
    attempts[0] = wrong;
    attempts[1] = unknown;
    attempts[2] = other_case;
    for (int i = 0; i < 3; i++) {
        testbus_reply_t r = call("login", 0, attempts[i]);
        cr_assert_eq(r.status, PROTO_UNAUTHORIZED, "attempt %d: status %d", i, r.status);
        assert_body(&r, "{\"detail\": \"" NO_ACCOUNT "\"}");
        testbus_reply_free(&r);
    }
    sql("UPDATE users SET is_active = false WHERE username = $1", name);
    expect_reply("login", 0, inactive, PROTO_UNAUTHORIZED, "{\"detail\": \"" NO_ACCOUNT "\"}");
    free(name);
}

Test(auth_login, field_errors)
{
    const char *cases[][2] = {
        { "{}", "{\"username\": [\"This field is required.\"], \"password\": [\"This field is required.\"]}" },
        { "{\"username\": \"x\"}", "{\"password\": [\"This field is required.\"]}" },
        { "{\"username\": null, \"password\": \"\"}",
          "{\"username\": [\"This field may not be null.\"], \"password\": [\"This field may not be blank.\"]}" },
        { "{\"username\": [1], \"password\": {}}",
          "{\"username\": [\"Not a valid string.\"], \"password\": [\"Not a valid string.\"]}" },
        { "{\"username\": \"a\\u0000\", \"password\": \"b\"}",
          "{\"username\": [\"Null characters are not allowed.\"]}" },
        { "[]", "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got list.\"]}" },
        { "3.5", "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got float.\"]}" },
    };
    expect_invalid_cases("login", cases, sizeof cases / sizeof cases[0]);
    /* No data at all (an empty HTTP body). */
    testbus_reply_t r = testbus_call("auth", "login", 0, "{}");
    cr_assert_eq(r.status, PROTO_INVALID);
    assert_body(&r, "{\"username\": [\"This field is required.\"], \"password\": [\"This field is required.\"]}");
    testbus_reply_free(&r);
}

Test(auth_login, very_long_username_is_just_unknown)
{
    char *data = malloc(200000);
    strcpy(data, "{\"username\": \"");
    size_t len = strlen(data);
    memset(data + len, 'u', 100000);
    strcpy(data + len + 100000, "\", \"password\": \"whatever\"}");
    expect_reply("login", 0, data, PROTO_UNAUTHORIZED, "{\"detail\": \"" NO_ACCOUNT "\"}");
    free(data);
}

/* ---- refresh ---- */

/* ---- throttling (the default rates: 10 failures per 15 minutes per address and
 * username, 200 per address) ---- */

/* auth.login for username/password on behalf of a client address (NULL: none). */
static int login_from(const char *client, const char *username, const char *password,
                      testbus_reply_t *out)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"data\": {\"username\": \"%s\", \"password\": \"%s\"}}", username,
             password);
    *out = testbus_call_from("auth", "login", 0, client, body);
    return out->status;
}

/* An address of the TEST-NET-2 range that no other test or run uses. */
static const char *fresh_address(char buf[32])
{
    static int counter;
    snprintf(buf, 32, "198.51.%d.%d", (int) (getpid() % 250), ++counter);
    return buf;
}

Test(auth_throttle, failed_logins_per_address_and_username)
{
    char *name = unique_name("throttled_");
    register_user(name);
    char stranger[32], owner[32];
    fresh_address(stranger);
    fresh_address(owner);
    testbus_reply_t r;
    for (int i = 0; i < 10; i++) {
        cr_assert_eq(login_from(stranger, name, "wrong-guess", &r), PROTO_UNAUTHORIZED,
                     "failure %d", i);
        testbus_reply_free(&r);
    }
    /* The eleventh try is refused before the password is looked at, right or not. */
    cr_assert_eq(login_from(stranger, name, PASSWORD, &r), PROTO_THROTTLED);
    const char *detail = testbus_str(&r, "detail");
    cr_assert_not_null(detail);
    long wait = 0;
    cr_assert_eq(sscanf(detail, "Request was throttled. Expected available in %ld seconds.",
                        &wait), 1, "%s", detail);
    cr_assert(wait > 880 && wait <= 900, "wait %ld", wait);
    testbus_reply_free(&r);
    /* The account's owner, elsewhere, is not locked out; nor are internal callers. */
    cr_assert_eq(login_from(owner, name, PASSWORD, &r), PROTO_OK);
    testbus_reply_free(&r);
    cr_assert_eq(login_from(NULL, name, PASSWORD, &r), PROTO_OK);
    testbus_reply_free(&r);
    /* The stranger may still try other accounts (the per-address limit is higher). */
    cr_assert_eq(login_from(stranger, "someone_else", "guess", &r), PROTO_UNAUTHORIZED);
    testbus_reply_free(&r);
    free(name);
}

Test(auth_throttle, usernames_count_case_insensitively)
{
    char *name = unique_name("casefold_");
    register_user(name);
    char stranger[32];
    fresh_address(stranger);
    char upper[128];
    snprintf(upper, sizeof upper, "%s", name);
    upper[0] = (char) (upper[0] - 32);
    testbus_reply_t r;
    for (int i = 0; i < 10; i++) {
        cr_assert_eq(login_from(stranger, i % 2 ? upper : name, "wrong", &r),
                     PROTO_UNAUTHORIZED);
        testbus_reply_free(&r);
    }
    cr_assert_eq(login_from(stranger, name, PASSWORD, &r), PROTO_THROTTLED);
    testbus_reply_free(&r);
    free(name);
}

Test(auth_throttle, failures_per_address_whatever_the_username, .timeout = 120)
{
    char stranger[32];
    fresh_address(stranger);
    testbus_reply_t r;
    for (int i = 0; i < 200; i++) {
        char name[64];
        snprintf(name, sizeof name, "spray_%d_%d", (int) getpid(), i);
        cr_assert_eq(login_from(stranger, name, "guess", &r), PROTO_UNAUTHORIZED, "try %d", i);
        testbus_reply_free(&r);
    }
    cr_assert_eq(login_from(stranger, "spray_next", "guess", &r), PROTO_THROTTLED);
    testbus_reply_free(&r);
}

Test(auth_throttle, internal_callers_are_never_throttled)
{
    char *name = unique_name("internal_");
    register_user(name);
    testbus_reply_t r;
    for (int i = 0; i < 15; i++) {
        cr_assert_eq(login_from(NULL, name, "wrong", &r), PROTO_UNAUTHORIZED);
        testbus_reply_free(&r);
    }
    cr_assert_eq(login_from(NULL, name, PASSWORD, &r), PROTO_OK);
    testbus_reply_free(&r);
    free(name);
}

Test(auth_refresh, rotates_and_revokes_the_old_token)
{
    session_t s = session_new("rot_");
    testbus_reply_t r = call("refresh", 0, s.body);
    cr_assert_eq(r.status, PROTO_OK);
    const char *new_refresh = testbus_str(&r, "refresh");
    cr_assert_not_null(new_refresh);
    cr_assert_not_null(testbus_str(&r, "access"));
    cr_assert_str_neq(new_refresh, s.refresh);
    cr_assert_eq(verify(testbus_str(&r, "access"), TOKEN_ACCESS).user_id, s.id);
    cr_assert_eq(verify(new_refresh, TOKEN_REFRESH).user_id, s.id);
    char *second = refresh_body(new_refresh);
    testbus_reply_free(&r);

    /* The old one is spent. */
    expect_reply("refresh", 0, s.body, PROTO_UNAUTHORIZED,
                 "{\"detail\": \"" TOKEN_INVALID "\", \"code\": \"token_not_valid\"}");
    /* The new one works, once. */
    expect_reply("refresh", 0, second, PROTO_OK, NULL);
    expect_reply("refresh", 0, second, PROTO_UNAUTHORIZED, NULL);
    free(second);
    session_free(&s);
}

Test(auth_refresh, refuses_access_forged_unknown_and_garbage_tokens)
{
    session_t s = session_new("bad_");
    /* Well signed but never issued (no row): refused. */
    char *never = token_issue((const unsigned char *) secret(), strlen(secret()), TOKEN_REFRESH, s.id,
                              3600, time(NULL), NULL);
    /* Signed with another key. */
    const char *other = "some-other-secret-0123456789abcdef0123456789";
    char *forged = token_issue((const unsigned char *) other, strlen(other), TOKEN_REFRESH, s.id, 3600,
                               time(NULL), NULL);
    const char *tokens[] = { s.access, never, forged, "garbage", "a.b.c", " " "x.y.z" };
    for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
        char *body = refresh_body(tokens[i]);
        testbus_reply_t r = call("refresh", 0, body);
        cr_assert_eq(r.status, PROTO_UNAUTHORIZED, "token %zu: status %d", i, r.status);
        assert_body(&r, "{\"detail\": \"" TOKEN_INVALID "\", \"code\": \"token_not_valid\"}");
        testbus_reply_free(&r);
        free(body);
    }
    /* A huge "token" is just invalid. */
    char *huge = malloc(100000);
    memset(huge, 'a', 99999);
    huge[99999] = 0;
    char *body = refresh_body(huge);
    expect_reply("refresh", 0, body, PROTO_UNAUTHORIZED, NULL);
    free(body);
    free(huge);
    /* Field errors. */
    const char *cases[][2] = {
        { "{}", "{\"refresh\": [\"This field is required.\"]}" },
        { "{\"refresh\": null}", "{\"refresh\": [\"This field may not be null.\"]}" },
        { "{\"refresh\": \"\"}", "{\"refresh\": [\"This field may not be blank.\"]}" },
        { "{\"refresh\": false}", "{\"refresh\": [\"Not a valid string.\"]}" },
        { "{\"refresh\": \"a\\u0000b\"}", "{\"refresh\": [\"Null characters are not allowed.\"]}" },
        { "true", "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got bool.\"]}" },
    };
    expect_invalid_cases("refresh", cases, sizeof cases / sizeof cases[0]);
    free(never);
    free(forged);
    session_free(&s);
}

Test(auth_refresh, refused_once_the_user_is_gone_or_inactive)
{
    char *name = unique_name("gone_");
    register_user(name);
    char *access, *refresh;
    login(name, PASSWORD, &access, &refresh);
    char *body = refresh_body(refresh);
    sql("UPDATE users SET is_active = false WHERE username = $1", name);
    expect_reply("refresh", 0, body, PROTO_UNAUTHORIZED,
                 "{\"detail\": \"" TOKEN_INVALID "\", \"code\": \"token_not_valid\"}");
    free(access);
    free(refresh);
    free(body);

    sql("UPDATE users SET is_active = true WHERE username = $1", name);
    login(name, PASSWORD, &access, &refresh);
    body = refresh_body(refresh);
    sql("DELETE FROM users WHERE username = $1", name);
    expect_reply("refresh", 0, body, PROTO_UNAUTHORIZED,
                 "{\"detail\": \"" TOKEN_INVALID "\", \"code\": \"token_not_valid\"}");
    free(access);
    free(refresh);
    free(body);
    free(name);
}

/* What each refreshing thread sends and gets. */
typedef struct {
    const char *body;    /* the request's data */
    int status;          /* the reply's status */
} refresh_attempt_t;

/* Thread body: one refresh. */
static void *refresh_thread(void *arg)
{
    refresh_attempt_t *a = arg;
    testbus_reply_t r = call("refresh", 0, a->body);
    a->status = r.status;
    testbus_reply_free(&r);
    return NULL;
}

Test(auth_refresh, concurrent_use_of_one_token_succeeds_once, .timeout = 60)
{
    session_t s = session_new("twice_");
    refresh_attempt_t attempts[10];
    pthread_t threads[10];
    assert_still_serving();
    for (int i = 0; i < 10; i++) {
        attempts[i].body = s.body;
        pthread_create(&threads[i], NULL, refresh_thread, &attempts[i]);
    }
    int ok = 0;
    for (int i = 0; i < 10; i++) {
        pthread_join(threads[i], NULL);
        if (attempts[i].status == PROTO_OK)
            ok++;
        else
            cr_assert_eq(attempts[i].status, PROTO_UNAUTHORIZED);
    }
    cr_assert_eq(ok, 1, "%d refreshes succeeded", ok);
    session_free(&s);
}

/* ---- logout ---- */

Test(auth_logout, revokes_the_refresh_token)
{
    session_t s = session_new("out_");
    testbus_reply_t r = call("logout", (uint64_t) s.id, s.body);
    cr_assert_eq(r.status, PROTO_RESET_CONTENT);
    cr_assert(json_is_null(r.body));
    testbus_reply_free(&r);
    /* Spent for refresh and for a second logout. */
    expect_reply("refresh", 0, s.body, PROTO_UNAUTHORIZED,
                 "{\"detail\": \"" TOKEN_INVALID "\", \"code\": \"token_not_valid\"}");
    expect_reply("logout", (uint64_t) s.id, s.body, PROTO_UNAUTHORIZED,
                 "{\"detail\": \"" TOKEN_INVALID "\", \"code\": \"token_not_valid\"}");
    session_free(&s);
}

Test(auth_logout, only_the_owner_with_a_refresh_token)
{
    char *alice = unique_name("alice_");
    char *bob = unique_name("bob_");
    long long alice_id = register_user(alice);
    long long bob_id = register_user(bob);
    char *access, *refresh;
    login(alice, PASSWORD, &access, &refresh);
    char *body = refresh_body(refresh);
    /* Anonymous: the runtime refuses before the handler. */
    expect_reply("logout", 0, body, PROTO_UNAUTHORIZED, NULL);
    /* Bob cannot log Alice out. */
    expect_reply("logout", (uint64_t) bob_id, body, PROTO_UNAUTHORIZED,
                 "{\"detail\": \"" TOKEN_INVALID "\", \"code\": \"token_not_valid\"}");
    /* An access token is not a refresh token. */
    char *access_body = refresh_body(access);
    expect_reply("logout", (uint64_t) alice_id, access_body, PROTO_UNAUTHORIZED,
                 "{\"detail\": \"" TOKEN_INVALID "\", \"code\": \"token_not_valid\"}");
    /* Field errors. */
    expect_reply("logout", (uint64_t) alice_id, "{}", PROTO_INVALID,
                 "{\"refresh\": [\"This field is required.\"]}");
    /* Still valid for its owner. */
    expect_reply("logout", (uint64_t) alice_id, body, PROTO_RESET_CONTENT, NULL);
    free(access_body);
    free(body);
    free(access);
    free(refresh);
    free(alice);
    free(bob);
}

Test(auth_logout, caller_that_no_longer_exists)
{
    session_t s = session_new("ghost_");
    sql("DELETE FROM users WHERE username = $1", s.name);
    expect_reply("logout", (uint64_t) s.id, s.body, PROTO_UNAUTHORIZED,
                 "{\"detail\": \"User not found\", \"code\": \"user_not_found\"}");
    session_free(&s);
}

/* ---- hostile input ---- */

Test(auth_malformed, bodies_that_are_not_the_gateways_map)
{
    /* Valid msgpack that is not {"data": ...}: int, string, array, bin, float, true. */
    const unsigned char bodies[][8] = { { 0x2a }, { 0xa1, 'x' }, { 0x92, 0x01, 0x02 },
                                        { 0xc4, 0x01, 0x00 }, { 0xca, 0, 0, 0, 0 }, { 0xc3 } };
    const size_t sizes[] = { 1, 2, 3, 3, 5, 1 };
    const char *methods[] = { "register", "login", "refresh", "logout" };
    for (size_t m = 0; m < 4; m++)
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            testbus_reply_t r = testbus_call_raw_body("auth", methods[m], 1, bodies[i], sizes[i]);
            cr_assert_eq(r.status, PROTO_INVALID, "%s body %zu: status %d", methods[m], i, r.status);
            assert_body(&r, "{\"detail\": \"Malformed request.\"}");
            testbus_reply_free(&r);
        }
    /* Data that JSON cannot carry: a bin value, a map with integer keys. */
    const unsigned char bin_data[] = { 0x81, 0xa4, 'd', 'a', 't', 'a', 0xc4, 0x02, 'h', 'i' };
    testbus_reply_t r = testbus_call_raw_body("auth", "login", 0, bin_data, sizeof bin_data);
    cr_assert_eq(r.status, PROTO_INVALID);
    assert_body(&r, "{\"non_field_errors\": [\"Invalid data. Expected a dictionary, but got bytes.\"]}");
    testbus_reply_free(&r);
    const unsigned char int_keys[] = { 0x81, 0xa4, 'd', 'a', 't', 'a', 0x82, 0x01, 0x02, 0x03, 0x04 };
    r = testbus_call_raw_body("auth", "register", 0, int_keys, sizeof int_keys);
    cr_assert_eq(r.status, PROTO_INVALID);
    testbus_reply_free(&r);
    /* Strings that are not UTF-8. */
    const unsigned char bad_utf8[] = { 0x81, 0xa4, 'd', 'a', 't', 'a', 0x82, 0xa8, 'u', 's', 'e', 'r',
                                       'n', 'a', 'm', 'e', 0xa2, 0xff, 0xfe, 0xa8, 'p', 'a', 's', 's',
                                       'w', 'o', 'r', 'd', 0xa1, 'x' };
    r = testbus_call_raw_body("auth", "login", 0, bad_utf8, sizeof bad_utf8);
    cr_assert_eq(r.status, PROTO_INVALID);
    assert_body(&r, "{\"username\": [\"Not a valid string.\"]}");
    testbus_reply_free(&r);
    assert_still_serving();
}

Test(auth_malformed, element_count_bomb)
{
    const unsigned char bomb[] = { 0xdd, 0xff, 0xff, 0xff, 0xff };
    /* As the whole envelope: refused, never unpacked. */
    testbus_reply_t r = testbus_send_raw("auth", bomb, sizeof bomb, 2000);
    cr_assert_eq(r.status, PROTO_INVALID, "status %d", r.status);
    testbus_reply_free(&r);
    assert_still_serving();

    /* As the body of a well-formed envelope head. */
    expect_body_refused(424242, "login", bomb, sizeof bomb);
    /* And inside the data map. */
    const unsigned char nested[] = { 0x81, 0xa4, 'd', 'a', 't', 'a', 0xdd, 0xff, 0xff, 0xff, 0xff };
    expect_body_refused(424243, "register", nested, sizeof nested);
    assert_still_serving();
}

Test(auth_malformed, garbage_envelopes)
{
    const char *garbage[] = { "", "\xc1", "hello", "\x81\xa1v\x01", "\xdf\xff\xff\xff\xff" };
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        size_t len = i == 0 ? 1 : strlen(garbage[i]);
        testbus_reply_t r = testbus_send_raw("auth", garbage[i], len, 1000);
        cr_assert_eq(r.status, PROTO_INVALID, "garbage %zu: status %d", i, r.status);
        testbus_reply_free(&r);
    }
    assert_still_serving();
}
