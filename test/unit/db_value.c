/*  Unit tests for db_value.c: ids as statement parameters, integer and boolean columns
 *  as libpq hands them over, and the reply status of a failed database call. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "db_value.h"
#include "testresult.h"

Test(db_value, ids_as_text_parameters)
{
    db_value_id_t param;
    cr_expect_str_eq(db_value_id(&param, 42), "42");
    cr_expect_str_eq(param.text, "42");
    cr_expect_str_eq(db_value_id(&param, 0), "0");
    cr_expect_str_eq(db_value_id(&param, -7), "-7");
    cr_expect_str_eq(db_value_id(&param, INT64_MAX), "9223372036854775807");
    cr_expect_str_eq(db_value_id(&param, INT64_MIN), "-9223372036854775808");
}

Test(db_value, integer_columns)
{
    const char *values[] = { "12", "-3", NULL, "abc", "12x", "", "99999999999999999999" };
    PGresult *res = testresult_new(7, 1, values);
    long long v = -1;
    cr_expect_eq(db_value_int(res, 0, 0, &v), 0);
    cr_expect_eq(v, 12);
    cr_expect_eq(db_value_int(res, 0, 1, &v), 0);
    cr_expect_eq(v, -3);
    for (int col = 2; col < 7; col++) {
        v = 5;
        cr_expect_eq(db_value_int(res, 0, col, &v), -1, "column %d", col);
        cr_expect_eq(v, 5, "column %d written", col);
    }
    /* A row or column that is not there. */
    cr_expect_eq(db_value_int(res, 1, 0, &v), -1);
    cr_expect_eq(db_value_int(res, 0, 7, &v), -1);
    PQclear(res);
}

Test(db_value, boolean_columns)
{
    const char *values[] = { "t", "f", NULL, "true" };
    PGresult *res = testresult_new(4, 1, values);
    cr_expect(db_value_true(res, 0, 0));
    cr_expect_not(db_value_true(res, 0, 1));
    cr_expect_not(db_value_true(res, 0, 2), "NULL is not true");
    cr_expect_not(db_value_true(res, 0, 3), "only libpq's \"t\" is true");
    cr_expect_not(db_value_true(res, 1, 0), "no such row");
    PQclear(res);
}

Test(db_value, failures_become_503_or_500)
{
    cr_expect_eq(db_value_failure(DB_UNAVAILABLE), PROTO_UNAVAILABLE);
    const db_status_t others[] = { DB_UNIQUE, DB_FOREIGN_KEY, DB_CHECK, DB_SERIALIZATION,
                                   DB_ERROR };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        cr_expect_eq(db_value_failure(others[i]), PROTO_INTERNAL, "db status %d", others[i]);
}
