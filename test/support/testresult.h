/*  testresult.h: PGresults made without a server, for unit tests of the code that
 *  reads rows (records, pages, db_value.h).
 *
 *  A test writes the rows a statement would return as text, the way libpq hands
 *  them over: booleans "t"/"f", NULL for SQL NULL.
 */
#ifndef TESTRESULT_H_INCLUDED
#define TESTRESULT_H_INCLUDED

#include <libpq-fe.h>

/*  A PGRES_TUPLES_OK result with ncols text columns named col0, col1, ... and nrows
 *  rows; values holds nrows * ncols texts, row by row (NULL: SQL NULL). The caller
 *  PQclear's it. Fails the test when libpq refuses. */
PGresult *testresult_new(int ncols, int nrows, const char *const *values);

#endif
