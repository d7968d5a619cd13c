/*  Unit tests for user_record.c: the public User object packed from a row of
 *  USER_RECORD_COLUMNS (id, username, first_name, last_name, bio, date_joined,
 *  is_online), and the email after them for the caller's own record. */
#include <criterion/criterion.h>

#include "testdata.h"
#include "testresult.h"
#include "user_record.h"

#define ADA_PUBLIC                                                                      \
    "{\"id\": 7, \"username\": \"ada\", \"first_name\": \"Ada\", \"last_name\": "     \
    "\"Lovelace\", \"bio\": \"\", \"date_joined\": \"2026-01-02T03:04:05.678Z\", "     \
    "\"is_online\": false}"

/* A row: a leading column, the User's columns, then the email. */
static const char *const ada_row[] = { "x", "7", "ada", "Ada", "Lovelace", "",
                                       "2026-01-02T03:04:05.678Z", "f", "ada@example.com" };

/* Packs row 0 of res from `col` with user_record_pack; expects rc and (rc 0) the body. */
static void expect_pack(const PGresult *res, int col, bool with_email, int rc,
                        const char *body_json)
{
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    cr_expect_eq(user_record_pack(&pk, res, 0, col, with_email), rc);
    if (rc == 0)
        testdata_expect_packed(&buf, body_json, "user_record_pack");
    else
        cr_expect_eq(buf.size, 0, "nothing packed on failure");
    msgpack_sbuffer_destroy(&buf);
}

Test(user_record, public_record_and_own_record_with_email_after_the_columns)
{
    PGresult *res = testresult_new(9, 1, ada_row);
    expect_pack(res, 1, false, 0, ADA_PUBLIC);
    expect_pack(res, 1, true, 0,
                "{\"id\": 7, \"username\": \"ada\", \"email\": \"ada@example.com\", "
                "\"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"bio\": \"\", "
                "\"date_joined\": \"2026-01-02T03:04:05.678Z\", \"is_online\": false}");
    PQclear(res);
}

Test(user_record, is_online_true)
{
    const char *row[] = { "1", "bob", "", "", "hi", "2026-01-01T00:00:00.000Z", "t" };
    PGresult *res = testresult_new(7, 1, row);
    expect_pack(res, 0, false, 0,
                "{\"id\": 1, \"username\": \"bob\", \"first_name\": \"\", \"last_name\": \"\", "
                "\"bio\": \"hi\", \"date_joined\": \"2026-01-01T00:00:00.000Z\", "
                "\"is_online\": true}");
    PQclear(res);
}

Test(user_record, missing_columns_pack_nothing)
{
    PGresult *res = testresult_new(8, 1, ada_row);
    /* The email column is missing, and from column 2 the User's columns are too. */
    expect_pack(res, 1, true, -1, NULL);
    expect_pack(res, 2, false, -1, NULL);
    PQclear(res);
}

Test(user_record, null_or_bad_id_packs_nothing)
{
    const char *null_id[] = { NULL, "ada", "", "", "", "", "f" };
    PGresult *res = testresult_new(7, 1, null_id);
    expect_pack(res, 0, false, -1, NULL);
    PQclear(res);
    const char *bad_id[] = { "seven", "ada", "", "", "", "", "f" };
    res = testresult_new(7, 1, bad_id);
    expect_pack(res, 0, false, -1, NULL);
    PQclear(res);
}

Test(user_record, listed_is_the_public_record)
{
    PGresult *res = testresult_new(9, 1, ada_row);
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    cr_expect_eq(user_record_pack_listed(&pk, res, 0, 1), 0);
    testdata_expect_packed(&buf, ADA_PUBLIC, "user_record_pack_listed");
    msgpack_sbuffer_destroy(&buf);
    PQclear(res);
}

Test(user_record, columns_and_count_agree)
{
    /* USER_RECORD_COLUMNS names USER_RECORD_NCOLS expressions: count the top-level
     * commas of the SQL text. */
    const char *sql = USER_RECORD_COLUMNS("u");
    int depth = 0, columns = 1;
    bool quoted = false;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        else if (!quoted && *p == '(')
            depth++;
        else if (!quoted && *p == ')')
            depth--;
        else if (!quoted && depth == 0 && *p == ',')
            columns++;
    }
    cr_expect_eq(columns, USER_RECORD_NCOLS);
}
