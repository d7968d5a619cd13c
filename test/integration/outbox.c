/*  Integration test of the outbox publisher's hand-over: the running notification
 *  service is stopped (SIGSTOP) so that a committed notification stays in the outbox
 *  unpublished, then killed with SIGKILL; the process its supervisor restarts (or any
 *  other notification process) takes the publisher's lock and publishes the row.
 *  Nothing committed is lost. Needs BUILD_DIR from scripts/test (the binary whose
 *  process to kill); skipped otherwise. Its own binary, so that the other tests never
 *  run while the service is down. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libpq-fe.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "proto.h"
#include "testassert.h"
#include "testbus.h"
#include "testevents.h"

/* The restart takes the supervisor's 1 s backoff, start-up, and the 1 s lock retry. */
#define HANDOVER_MS 20000

/* The pids of running processes whose executable is `path`, up to max. */
static size_t pids_of(const char *path, pid_t *pids, size_t max)
{
    char target[PATH_MAX];
    if (!realpath(path, target))
        return 0;
    DIR *proc = opendir("/proc");
    size_t n = 0;
    struct dirent *entry;
    while (proc && n < max && (entry = readdir(proc)) != NULL) {
        char link[300], exe[PATH_MAX];
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        snprintf(link, sizeof link, "/proc/%s/exe", entry->d_name);
        ssize_t len = readlink(link, exe, sizeof exe - 1);
        if (len <= 0)
            continue;
        exe[len] = 0;
        if (strcmp(exe, target) == 0)
            pids[n++] = (pid_t) atoi(entry->d_name);
    }
    if (proc)
        closedir(proc);
    return n;
}

/* Rows of the outbox for notification id. */
static long long outbox_rows(int64_t id)
{
    PGconn *conn = PQconnectdb(config_str("DATABASE_URL", "postgresql://postgres@127.0.0.1/socialnet"));
    cr_assert_eq(PQstatus(conn), CONNECTION_OK);
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long) id);
    const char *params[] = { text };
    PGresult *res = PQexecParams(conn, "SELECT count(*) FROM event_outbox WHERE kind = 'notification'"
                                       " AND subject = $1", 1, NULL, params, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    long long n = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(conn);
    return n;
}

Test(outbox, a_publisher_killed_before_publishing_loses_nothing, .timeout = 60)
{
    const char *build = getenv("BUILD_DIR");
    if (!build)
        cr_skip_test("BUILD_DIR is set by scripts/test");
    char binary[PATH_MAX];
    snprintf(binary, sizeof binary, "%s/notification_service", build);
    pid_t pids[4];
    size_t count = pids_of(binary, pids, 4);
    if (count != 1)
        cr_skip_test("one notification process expected, found %zu", count);

    zsock_t *sub = testevents_subscribe();
    int64_t alice = register_account(testbus_unique("o"), "correct-horse-42", NULL, NULL);
    int64_t bob = register_account(testbus_unique("o"), "correct-horse-42", NULL, NULL);

    /* Frozen: it holds the publisher's lock and publishes nothing. */
    cr_assert_eq(kill(pids[0], SIGSTOP), 0);
    testbus_reply_t r = testbus_call_json("friend", "request_create", (uint64_t) alice,
                                          json_pack("{s:{s:I}}", "data", "receiver", (json_int_t) bob));
    cr_assert_eq(r.status, PROTO_CREATED);
    testbus_reply_free(&r);
    PGconn *conn = PQconnectdb(config_str("DATABASE_URL", ""));
    char uid[24];
    snprintf(uid, sizeof uid, "%lld", (long long) bob);
    const char *params[] = { uid };
    PGresult *res = PQexecParams(conn, "SELECT max(id) FROM notifications WHERE user_id = $1", 1,
                                 NULL, params, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    int64_t id = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(conn);
    cr_assert_gt(id, 0);
    zclock_sleep(1500);
    cr_expect_eq(outbox_rows(id), 1, "committed and not yet published");

    /* Killed between commit and publish. */
    cr_assert_eq(kill(pids[0], SIGKILL), 0);
    json_t *event = testevents_next(sub, HANDOVER_MS, "notification", id);
    cr_assert_not_null(event, "the committed notification was never published");
    cr_expect(testevents_to(event, bob));
    json_decref(event);
    cr_expect_eq(outbox_rows(id), 0);
    /* The restarted process serves requests too (the later tests need it). */
    for (int i = 0; i < 100; i++) {
        r = testbus_call_json("notification", "unread_count", (uint64_t) bob, NULL);
        int status = r.status;
        testbus_reply_free(&r);
        if (status == PROTO_OK)
            break;
        zclock_sleep(200);
    }
    zsock_destroy(&sub);
}
