/*  Unit tests for page.c: DRF's page-number pagination on the service side, and the
 *  reply packed from a paginated statement's rows. */
#include <criterion/criterion.h>
#include <string.h>

#include "page.h"
#include "testdata.h"
#include "testresult.h"

/* Reads the page of a request body written as JSON; returns page_from_body's result. */
static int page_of(const char *body_json, page_t *page)
{
    testdata_t data;
    const msgpack_object *body = testdata_pack_json(&data, body_json);
    int rc = page_from_body(body, page);
    testdata_free(&data);
    return rc;
}

Test(page, defaults_are_page_one_of_twenty)
{
    page_t page;
    cr_assert_eq(page_of("{}", &page), 0);
    cr_expect_eq(page.page, 1);
    cr_expect_eq(page.size, PAGE_SIZE_DEFAULT);
    cr_expect_str_eq(page.limit, "20");
    cr_expect_str_eq(page.offset, "0");
    cr_assert_eq(page_of("{\"page\": null, \"page_size\": null}", &page), 0);
    cr_expect_eq(page.page, 1);
    cr_expect_eq(page.size, 20);
}

Test(page, limit_and_offset_as_text)
{
    page_t page;
    cr_assert_eq(page_of("{\"page\": 3, \"page_size\": 7}", &page), 0);
    cr_expect_eq(page.page, 3);
    cr_expect_eq(page.size, 7);
    cr_expect_str_eq(page.limit, "7");
    cr_expect_str_eq(page.offset, "14");
    cr_assert_eq(page_of("{\"page_size\": 100}", &page), 0);
    cr_expect_str_eq(page.limit, "100");
}

Test(page, out_of_range_or_wrong_type_is_refused)
{
    page_t page;
    cr_expect_eq(page_of("{\"page\": 0}", &page), -1);
    cr_expect_eq(page_of("{\"page\": -1}", &page), -1);
    cr_expect_eq(page_of("{\"page\": \"2\"}", &page), -1);
    cr_expect_eq(page_of("{\"page\": 1.5}", &page), -1);
    cr_expect_eq(page_of("{\"page_size\": 0}", &page), -1);
    cr_expect_eq(page_of("{\"page_size\": 101}", &page), -1);
    cr_expect_eq(page_of("{\"page_size\": true}", &page), -1);
    /* A page number whose offset would leave int64. */
    cr_expect_eq(page_of("{\"page\": 9223372036854775807}", &page), -1);
    cr_expect_eq(page_of("{\"page\": 92233720368547758}", &page), 0);
}

Test(page, page_one_always_exists)
{
    page_t page;
    cr_assert_eq(page_of("{\"page_size\": 10}", &page), 0);
    cr_expect(page_exists(&page, 0));
    cr_expect(page_exists(&page, 5));
    cr_assert_eq(page_of("{\"page\": 2, \"page_size\": 10}", &page), 0);
    cr_expect_not(page_exists(&page, 0));
    cr_expect_not(page_exists(&page, 10));
    cr_expect(page_exists(&page, 11));
}

Test(page, invalid_page_is_drf_404)
{
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    cr_expect_eq(page_invalid(&pk), PROTO_NOT_FOUND);
    testdata_expect_packed(&buf, "{\"detail\": \"Invalid page.\"}", "page_invalid");
    msgpack_sbuffer_destroy(&buf);
}

/* A page_row_fn for the tests: the column's text, -1 when it is NULL. */
static int pack_text(msgpack_packer *pk, const PGresult *res, int row, int col)
{
    if (PQgetisnull(res, row, col))
        return -1;
    proto_pack_str(pk, PQgetvalue(res, row, col));
    return 0;
}

/*  Packs the page of a 3-column result (count, caller exists, object) with `rows`
 *  rows for the request body page_json; expects the status and, unless NULL, the
 *  packed body. */
static void expect_page(const char *page_json, int rows, const char *const *values,
                        proto_status_t status, const char *body_json)
{
    page_t page;
    cr_assert_eq(page_of(page_json, &page), 0);
    PGresult *res = testresult_new(3, rows, values);
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    cr_expect_eq(page_pack(res, &page, pack_text, &pk), status, "page %s", page_json);
    if (body_json)
        testdata_expect_packed(&buf, body_json, page_json);
    msgpack_sbuffer_destroy(&buf);
    PQclear(res);
}

Test(page, packs_count_and_results)
{
    const char *rows[] = { "12", "t", "a", "12", "t", "b" };
    expect_page("{\"page\": 2, \"page_size\": 10}", 2, rows, PROTO_OK,
                "{\"count\": 12, \"results\": [\"a\", \"b\"]}");
}

Test(page, empty_page_has_null_objects)
{
    const char *rows[] = { "0", "t", NULL };
    expect_page("{}", 1, rows, PROTO_OK, "{\"count\": 0, \"results\": []}");
}

Test(page, caller_gone_is_401_before_the_page)
{
    const char *rows[] = { "0", "f", NULL };
    expect_page("{\"page\": 5}", 1, rows, PROTO_UNAUTHORIZED,
                "{\"detail\": \"User not found\", \"code\": \"user_not_found\"}");
}

Test(page, page_past_the_end_is_404)
{
    const char *rows[] = { "3", "t", NULL };
    expect_page("{\"page\": 2, \"page_size\": 3}", 1, rows, PROTO_NOT_FOUND,
                "{\"detail\": \"Invalid page.\"}");
}

Test(page, rows_that_are_not_a_page_are_500)
{
    expect_page("{}", 0, NULL, PROTO_INTERNAL, NULL);
    const char *no_count[] = { NULL, "t", NULL };
    expect_page("{}", 1, no_count, PROTO_INTERNAL, NULL);
    const char *bad_row[] = { "2", "t", "a", "2", "t", NULL };
    expect_page("{}", 2, bad_row, PROTO_INTERNAL, NULL);
}
