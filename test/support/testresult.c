/*  testresult.c: PGresults made without a server. See testresult.h. */
#include "testresult.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

/* Most columns a test result may have. */
#define TESTRESULT_COLS_MAX 64

PGresult *testresult_new(int ncols, int nrows, const char *const *values)
{
    cr_assert(ncols > 0 && ncols <= TESTRESULT_COLS_MAX);
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    cr_assert_not_null(res);
    char names[TESTRESULT_COLS_MAX][16];
    PGresAttDesc attrs[TESTRESULT_COLS_MAX];
    memset(attrs, 0, sizeof attrs);
    for (int c = 0; c < ncols; c++) {
        snprintf(names[c], sizeof names[c], "col%d", c);
        attrs[c].name = names[c];
        attrs[c].typid = 25;   /* text */
        attrs[c].typlen = -1;
        attrs[c].atttypmod = -1;
    }
    cr_assert(PQsetResultAttrs(res, ncols, attrs));
    for (int r = 0; r < nrows; r++)
        for (int c = 0; c < ncols; c++) {
            const char *v = values[r * ncols + c];
            cr_assert(PQsetvalue(res, r, c, (char *) v, v ? (int) strlen(v) : -1));
        }
    return res;
}
