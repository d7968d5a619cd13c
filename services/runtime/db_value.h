/*  db_value.h: values crossing between a service's handlers and its SQL.
 *
 *  Statement parameters are text (db.h), so an id travels as its decimal digits; a
 *  boolean column comes back as "t" or "f"; a failed call becomes the reply status
 *  the runtime turns into 503 or 500 (with the body stripped, service.h).
 */
#ifndef DB_VALUE_H_INCLUDED
#define DB_VALUE_H_INCLUDED

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "proto.h"

/* A bigint as a text parameter. */
typedef struct {
    char text[24];   /* decimal digits (and sign), NUL-terminated */
} db_value_id_t;

/* Writes id into param and returns its text, for a statement's parameter list. */
const char *db_value_id(db_value_id_t *param, int64_t id);

/*  Parses a bigint column as an integer. Returns 0, or -1 when the row or column is
 *  missing, NULL or not an integer. */
int db_value_int(const PGresult *res, int row, int col, long long *value);

/* True when row `row` of res exists and its column `col` holds true (not NULL). */
bool db_value_true(const PGresult *res, int row, int col);

/*  The reply status for a failed database call: PROTO_UNAVAILABLE (503) when the
 *  database could not be reached, PROTO_INTERNAL (500) for any other failure. */
proto_status_t db_value_failure(db_status_t status);

#endif
