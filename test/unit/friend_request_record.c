/*  Unit tests for friend_request_record.c: the FriendRequest object packed from a row
 *  of FRIEND_REQUEST_COLUMNS (id, status, created_at, updated_at, then the sender's and
 *  the receiver's User columns). */
#include <criterion/criterion.h>

#include "friend_request_record.h"
#include "testdata.h"
#include "testresult.h"

#define USER(id, name) id, name, "", "", "", "2026-01-01T00:00:00.000Z", "f"
#define USER_JSON(id, name)                                                           \
    "{\"id\": " #id ", \"username\": \"" name "\", \"first_name\": \"\", "             \
    "\"last_name\": \"\", \"bio\": \"\", \"date_joined\": \"2026-01-01T00:00:00.000Z\", " \
    "\"is_online\": false}"

/* A row: one leading column, then a FriendRequest from ada (1) to bob (2). */
static const char *const row[] = { "t", "9", "pending", "2026-02-03T04:05:06.789Z",
                                   "2026-02-03T04:05:06.789Z", USER("1", "ada"),
                                   USER("2", "bob") };

Test(friend_request_record, packs_the_request_with_both_users)
{
    cr_assert_eq(FRIEND_REQUEST_NCOLS, 18);
    PGresult *res = testresult_new(1 + FRIEND_REQUEST_NCOLS, 1, row);
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    cr_expect_eq(friend_request_pack(&pk, res, 0, 1), 0);
    testdata_expect_packed(&buf,
                           "{\"id\": 9, \"sender\": " USER_JSON(1, "ada") ", \"receiver\": "
                           USER_JSON(2, "bob") ", \"status\": \"pending\", \"created_at\": "
                           "\"2026-02-03T04:05:06.789Z\", \"updated_at\": "
                           "\"2026-02-03T04:05:06.789Z\"}",
                           "friend_request_pack");
    msgpack_sbuffer_destroy(&buf);
    PQclear(res);
}

/* Expects friend_request_pack of row 0 from `col` to fail and pack nothing. */
static void expect_nothing(const PGresult *res, int col)
{
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    cr_expect_eq(friend_request_pack(&pk, res, 0, col), -1, "column %d", col);
    cr_expect_eq(buf.size, 0, "packed something from column %d", col);
    msgpack_sbuffer_destroy(&buf);
}

Test(friend_request_record, a_row_without_a_request_packs_nothing)
{
    PGresult *res = testresult_new(1 + FRIEND_REQUEST_NCOLS, 1, row);
    /* From column 2 the columns run out. */
    expect_nothing(res, 2);
    PQclear(res);
    /* An empty page's row: the request's columns are NULL. */
    const char *empty[1 + FRIEND_REQUEST_NCOLS] = { "t" };
    res = testresult_new(1 + FRIEND_REQUEST_NCOLS, 1, empty);
    expect_nothing(res, 1);
    PQclear(res);
}

Test(friend_request_record, a_missing_user_packs_nothing)
{
    const char *no_receiver[1 + FRIEND_REQUEST_NCOLS];
    for (int i = 0; i < 1 + FRIEND_REQUEST_NCOLS; i++)
        no_receiver[i] = row[i];
    no_receiver[1 + 4 + USER_RECORD_NCOLS] = NULL;
    PGresult *res = testresult_new(1 + FRIEND_REQUEST_NCOLS, 1, no_receiver);
    expect_nothing(res, 1);
    PQclear(res);
}
