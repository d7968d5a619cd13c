/*  db.c: a PostgreSQL connection with prepared statements and reconnects. See db.h. */
#include "db.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct db {
    char *conninfo;                     /* libpq connection string (never logged) */
    const db_statement_t *statements;   /* prepared on every (re)connect */
    PGconn *conn;                       /* NULL or a connection that may have broken */
    int prepared;                       /* 1 once statements are prepared on conn */
    int in_transaction;                 /* 1 between db_begin and commit/rollback */
    unsigned long sessions;             /* connections made so far (db_session) */
    char constraint[64];                /* constraint named by the last violation */
};

/* Ignores the server's NOTICE messages (they would go to stderr unformatted). */
static void ignore_notice(void *arg, const char *message)
{
    (void) arg;
    (void) message;
}

/*  Reads whatever the server sent on an idle connection, without blocking. The
 *  termination message of a restarting server and the EOF behind it take two reads:
 *  the first consumes the message, the second sees the EOF and marks the connection
 *  bad. A healthy idle connection has nothing to read and costs one poll(). */
static void drain_idle_input(PGconn *conn)
{
    struct pollfd pfd = { PQsocket(conn), POLLIN, 0 };
    for (int i = 0; i < 2 && pfd.fd >= 0 && poll(&pfd, 1, 0) > 0; i++)
        if (!PQconsumeInput(conn) || PQstatus(conn) != CONNECTION_OK)
            break;
}

/* Opens a connection if there is none or it broke, and prepares the statements.
 * Returns 0 when the connection is usable. */
static int ensure_connected(db_t *self)
{
    /* A server that restarted while this connection sat idle has left a termination
     * message and EOF on the socket: reading them now (without blocking) marks the
     * connection bad, so the statement goes to a fresh connection instead of failing.
     * Inside a transaction nothing may move to another connection, so no check. */
    if (self->conn && !self->in_transaction && PQstatus(self->conn) == CONNECTION_OK)
        drain_idle_input(self->conn);
    if (self->conn && PQstatus(self->conn) == CONNECTION_OK && self->prepared)
        return 0;
    /* A transaction cannot survive its connection: never carry on in a new one. */
    if (self->in_transaction)
        return -1;
    if (self->conn) {
        PQfinish(self->conn);
        self->conn = NULL;
    }
    self->prepared = 0;
    self->conn = PQconnectdb(self->conninfo);
    if (!self->conn || PQstatus(self->conn) != CONNECTION_OK) {
        log_error("database connection failed");
        if (self->conn) {
            PQfinish(self->conn);
            self->conn = NULL;
        }
        return -1;
    }
    PQsetNoticeProcessor(self->conn, ignore_notice, NULL);
    /* No JIT: every statement here is a short OLTP query, and one that the planner
     * estimates above jit_above_cost (a deep OFFSET, a scan of a large table) spent
     * 10-15 ms compiling its expressions, more than it then ran (measured with
     * bench/search.sh at 1,000,000 users). */
    PGresult *setup = PQexec(self->conn, "SET jit = off");
    bool setup_ok = PQresultStatus(setup) == PGRES_COMMAND_OK;
    PQclear(setup);
    if (!setup_ok) {
        log_error("setting up the database session failed");
        PQfinish(self->conn);
        self->conn = NULL;
        return -1;
    }
    for (const db_statement_t *st = self->statements; st && st->name; st++) {
        PGresult *res = PQprepare(self->conn, st->name, st->sql, 0, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            log_error("preparing statement %s failed: %s", st->name,
                      PQresultErrorMessage(res));
            PQclear(res);
            PQfinish(self->conn);
            self->conn = NULL;
            return -1;
        }
        PQclear(res);
    }
    self->prepared = 1;
    self->sessions++;
    log_info("database connected");
    return 0;
}

db_t *db_new(const char *conninfo, const db_statement_t *statements)
{
    db_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->conninfo = strdup(conninfo);
    if (!self->conninfo) {
        free(self);
        return NULL;
    }
    self->statements = statements;
    ensure_connected(self);
    return self;
}

void db_destroy(db_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    db_t *self = *self_p;
    if (self->conn)
        PQfinish(self->conn);
    free(self->conninfo);
    free(self);
    *self_p = NULL;
}

/* Classifies a failed result by SQLSTATE and remembers the constraint name. */
static db_status_t classify(db_t *self, const char *what, PGresult *res)
{
    self->constraint[0] = 0;
    if (!res || PQstatus(self->conn) != CONNECTION_OK) {
        log_error("database unavailable during %s", what);
        return DB_UNAVAILABLE;
    }
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
    if (constraint) {
        strncpy(self->constraint, constraint, sizeof self->constraint - 1);
        self->constraint[sizeof self->constraint - 1] = 0;
    }
    if (!state) {
        log_error("%s failed: %s", what, PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
        return DB_ERROR;
    }
    if (strcmp(state, "23505") == 0) {
        log_debug("%s: unique violation on %s", what, self->constraint);
        return DB_UNIQUE;
    }
    if (strcmp(state, "23503") == 0) {
        log_debug("%s: foreign key violation on %s", what, self->constraint);
        return DB_FOREIGN_KEY;
    }
    if (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0) {
        log_debug("%s: integrity or data error %s", what, state);
        return DB_CHECK;
    }
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
        log_debug("%s: serialization failure %s", what, state);
        return DB_SERIALIZATION;
    }
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0) {
        log_error("%s: database unavailable (%s)", what, state);
        return DB_UNAVAILABLE;
    }
    /* The primary message only: DETAIL lines can quote the values of a row. */
    log_error("%s failed (%s): %s", what, state, PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
    return DB_ERROR;
}

db_status_t db_exec(db_t *self, const char *name, int nparams, const char *const *params,
                    PGresult **result)
{
    *result = NULL;
    if (ensure_connected(self) != 0)
        return DB_UNAVAILABLE;
    PGresult *res = PQexecPrepared(self->conn, name, nparams, params, NULL, NULL, 0);
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        *result = res;
        return DB_OK;
    }
    db_status_t rc = classify(self, name, res);
    PQclear(res);
    return rc;
}

db_status_t db_run(db_t *self, const char *name, int nparams, const char *const *params)
{
    PGresult *res = NULL;
    db_status_t rc = db_exec(self, name, nparams, params, &res);
    PQclear(res);
    return rc;
}

/* Runs a fixed transaction-control command. */
static db_status_t run_command(db_t *self, const char *sql)
{
    if (ensure_connected(self) != 0)
        return DB_UNAVAILABLE;
    PGresult *res = PQexec(self->conn, sql);
    if (res && PQresultStatus(res) == PGRES_COMMAND_OK) {
        PQclear(res);
        return DB_OK;
    }
    db_status_t rc = classify(self, sql, res);
    PQclear(res);
    return rc;
}

db_status_t db_begin(db_t *self)
{
    db_status_t rc = run_command(self, "BEGIN");
    self->in_transaction = rc == DB_OK;
    return rc;
}

db_status_t db_commit(db_t *self)
{
    db_status_t rc = run_command(self, "COMMIT");
    self->in_transaction = 0;
    return rc;
}

void db_rollback(db_t *self)
{
    self->in_transaction = 0;
    if (self->conn && PQstatus(self->conn) == CONNECTION_OK) {
        PGresult *res = PQexec(self->conn, "ROLLBACK");
        PQclear(res);
    }
}

const char *db_error_constraint(db_t *self)
{
    return self->constraint;
}

bool db_connected(db_t *self)
{
    return self->conn && PQstatus(self->conn) == CONNECTION_OK;
}

unsigned long db_session(db_t *self)
{
    return self->sessions;
}

int db_socket(db_t *self)
{
    return db_connected(self) ? PQsocket(self->conn) : -1;
}

int db_notifications(db_t *self)
{
    if (!db_connected(self))
        return 0;
    /* A broken connection shows here as a failed read; the next statement reconnects. */
    PQconsumeInput(self->conn);
    int count = 0;
    PGnotify *note;
    while ((note = PQnotifies(self->conn)) != NULL) {
        PQfreemem(note);
        count++;
    }
    return count;
}
