/*  db.h: one PostgreSQL connection with named prepared statements.
 *
 *  Every statement a service runs is declared once in a db_statement_t table and
 *  prepared on connect (and again after a reconnect). Parameters are always passed
 *  separately from the SQL text, in PostgreSQL's text format. When the connection is
 *  found broken before a call it is re-established (the database may have restarted);
 *  a call that fails mid-flight is not retried (it may have committed): the caller
 *  answers PROTO_UNAVAILABLE and the next call reconnects.
 */
#ifndef DB_H_INCLUDED
#define DB_H_INCLUDED

#include <libpq-fe.h>
#include <stdbool.h>

typedef struct {
    const char *name;   /* statement name used with db_exec */
    const char *sql;    /* parameterized SQL ($1, $2, ...) */
} db_statement_t;

typedef struct db db_t;

typedef enum {
    DB_OK = 0,          /* the statement ran */
    DB_UNIQUE,          /* unique_violation (23505); see db_error_constraint */
    DB_FOREIGN_KEY,     /* foreign_key_violation (23503) */
    DB_CHECK,           /* check_violation (23514) or other integrity/data error */
    DB_SERIALIZATION,   /* serialization failure or deadlock: the caller may retry */
    DB_UNAVAILABLE,     /* connection lost or database unreachable */
    DB_ERROR,           /* anything else (logged) */
} db_status_t;

/*  Creates a connection using `conninfo` and prepares `statements` (terminated by an
 *  entry with name NULL; the table must outlive the db). A database that is down does
 *  not fail this call: the connection is retried on first use. Returns NULL only on
 *  allocation failure. */
db_t *db_new(const char *conninfo, const db_statement_t *statements);
/* Closes the connection; sets *self_p to NULL; safe on NULL. */
void db_destroy(db_t **self_p);

/*  Runs prepared statement `name` with nparams text parameters (NULL for SQL NULL).
 *  On DB_OK, *result holds the PGresult (caller PQclear's it); otherwise *result is
 *  NULL and the error has been logged at the right level (constraint violations at
 *  debug, the rest as errors, without parameter values). */
db_status_t db_exec(db_t *self, const char *name, int nparams, const char *const *params,
                    PGresult **result);
/* Runs a prepared statement and discards its rows. */
db_status_t db_run(db_t *self, const char *name, int nparams, const char *const *params);

/* BEGIN / COMMIT / ROLLBACK (rollback never fails from the caller's view). */
db_status_t db_begin(db_t *self);
db_status_t db_commit(db_t *self);
void db_rollback(db_t *self);

/* Name of the constraint behind the last DB_UNIQUE / DB_FOREIGN_KEY / DB_CHECK, or "". */
const char *db_error_constraint(db_t *self);
/* True when the connection is up (without a round trip). */
bool db_connected(db_t *self);

/*  For background actors that keep session state (LISTEN, session advisory locks):
 *  the number of connections made so far. It changes on every reconnect, which is
 *  when that state is gone and must be taken again. */
unsigned long db_session(db_t *self);
/* The connection's socket, to poll for NOTIFY messages; -1 when there is none. */
int db_socket(db_t *self);
/*  Reads what the server sent (without blocking) and discards the NOTIFY messages
 *  received. Returns how many there were (0 when the connection is down). */
int db_notifications(db_t *self);

#endif
