/*  Unit tests of pagination.c: DRF's PageNumberPagination rules and links. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pagination.h"
#include "query.h"

/* Parses `raw` as a query and then its pagination. */
static int paginate(const char *raw, page_request_t *p)
{
    query_t *q = query_new();
    cr_assert_eq(query_parse(q, raw, strlen(raw)), QUERY_OK);
    int rc = pagination_parse(q, p);
    query_destroy(&q);
    return rc;
}

Test(pagination, drf_rules)
{
    page_request_t p;
    cr_assert_eq(paginate("", &p), 0);
    cr_assert_eq(p.page, 1);
    cr_assert_eq(p.size, 20);
    cr_assert_eq(paginate("page=3&page_size=7", &p), 0);
    cr_assert_eq(p.page, 3);
    cr_assert_eq(p.size, 7);
    cr_assert_eq(paginate("page=", &p), 0);               /* `... or 1` */
    cr_assert_eq(p.page, 1);
    cr_assert_eq(paginate("page=2&page=5", &p), 0);       /* last value wins */
    cr_assert_eq(p.page, 5);
    cr_assert_eq(paginate("page=+2", &p), 0);             /* '+' is a space: " 2" */
    cr_assert_eq(p.page, 2);
    static const char *const invalid[] = { "page=0", "page=-1", "page=abc", "page=1.5",
                                           "page=99999999999999999999", "page=last" };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        cr_assert_eq(paginate(invalid[i], &p), -1, "%s", invalid[i]);
    cr_assert_eq(paginate("page_size=0", &p), 0);
    cr_assert_eq(p.size, 20);
    cr_assert_eq(paginate("page_size=-4", &p), 0);
    cr_assert_eq(p.size, 20);
    cr_assert_eq(paginate("page_size=x", &p), 0);
    cr_assert_eq(p.size, 20);
    cr_assert_eq(paginate("page_size=", &p), 0);
    cr_assert_eq(p.size, 20);
    cr_assert_eq(paginate("page_size=101", &p), 0);
    cr_assert_eq(p.size, 100);
    cr_assert_eq(paginate("page_size=99999999999999999999", &p), 0);
    cr_assert_eq(p.size, 100);
    cr_assert_eq(paginate("page_size=100", &p), 0);
    cr_assert_eq(p.size, 100);
    /* int()'s whitespace only: U+001C..U+001F are str.strip()'s, not int()'s. */
    cr_assert_eq(paginate("page=%092%0A&page_size=%0D5%20", &p), 0);
    cr_assert_eq(p.page, 2);
    cr_assert_eq(p.size, 5);
    cr_assert_eq(paginate("page=%1C2", &p), -1);
    cr_assert_eq(paginate("page_size=%1F5", &p), 0);
    cr_assert_eq(p.size, 20);
}

Test(pagination, has_next)
{
    page_request_t p = { 1, 20 };
    cr_assert_not(pagination_has_next(&p, 0));
    cr_assert_not(pagination_has_next(&p, 20));
    cr_assert(pagination_has_next(&p, 21));
    p.page = 2;
    cr_assert_not(pagination_has_next(&p, 40));
    cr_assert(pagination_has_next(&p, 41));
    p = (page_request_t) { 1, 100 };
    cr_assert(pagination_has_next(&p, INT64_MAX));
}

Test(pagination, links_like_drf)
{
    const char *raw = "search=bo&page=2&page_size=1";
    query_t *q = query_new();
    cr_assert_eq(query_parse(q, raw, strlen(raw)), QUERY_OK);
    char *next = pagination_link("example.com:8000", "/api/users/", q, 3);
    cr_assert_str_eq(next, "http://example.com:8000/api/users/?page=3&page_size=1&search=bo");
    char *previous = pagination_link("example.com:8000", "/api/users/", q, 1);
    cr_assert_str_eq(previous, "http://example.com:8000/api/users/?page_size=1&search=bo");
    free(next);
    free(previous);
    query_destroy(&q);
    q = query_new();
    previous = pagination_link("h", "/api/friends", q, 1);
    cr_assert_str_eq(previous, "http://h/api/friends");
    free(previous);
    query_destroy(&q);
}
