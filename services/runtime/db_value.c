/*  db_value.c: ids, booleans and failures between handlers and SQL. See db_value.h. */
#include "db_value.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *db_value_id(db_value_id_t *param, int64_t id)
{
    snprintf(param->text, sizeof param->text, "%lld", (long long) id);
    return param->text;
}

bool db_value_true(const PGresult *res, int row, int col)
{
    return row < PQntuples(res) && !PQgetisnull(res, row, col)
           && strcmp(PQgetvalue(res, row, col), "t") == 0;
}

proto_status_t db_value_failure(db_status_t status)
{
    return status == DB_UNAVAILABLE ? PROTO_UNAVAILABLE : PROTO_INTERNAL;
}

int db_value_int(const PGresult *res, int row, int col, long long *value)
{
    if (row >= PQntuples(res) || col >= PQnfields(res) || PQgetisnull(res, row, col))
        return -1;
    const char *text = PQgetvalue(res, row, col);
    char *end = NULL;
    errno = 0;
    long long parsed = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0')
        return -1;
    *value = parsed;
    return 0;
}
