/*  Unit tests of reply.c: a service's reply as DRF's response. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "query.h"
#include "reply.h"
#include "response.h"
#include "testdata.h"

/* Runs reply_to_response and returns the response (caller clears it). */
static response_t convert(int status, const char *body_json, const reply_links_t *links)
{
    proto_msg_t msg;
    testdata_t data;
    testdata_reply(&data, status, body_json, &msg);
    response_t r;
    memset(&r, 0, sizeof r);
    reply_to_response(&msg, links, &r);
    proto_msg_release(&msg);
    testdata_free(&data);
    return r;
}

/* The response body as a string (for comparisons). */
static char *body_of(const response_t *r)
{
    return strndup(r->body ? r->body : "", r->body_len);
}

Test(reply, statuses_and_bodies)
{
    response_t r = convert(PROTO_OK, "{\"id\":1,\"name\":\"caf\\u00e9\"}", NULL);
    char *b = body_of(&r);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(b, "{\"id\":1,\"name\":\"caf\xC3\xA9\"}");
    free(b);
    response_clear(&r);

    r = convert(PROTO_CREATED, "{\"id\":2}", NULL);
    cr_assert_eq(r.status, 201);
    response_clear(&r);

    r = convert(PROTO_NO_CONTENT, NULL, NULL);
    cr_assert_eq(r.status, 204);
    cr_assert_eq(r.body_len, 0);
    cr_assert_null(r.content_type);
    response_clear(&r);

    r = convert(PROTO_RESET_CONTENT, "{\"ignored\":1}", NULL);
    cr_assert_eq(r.status, 205);
    cr_assert_eq(r.body_len, 0);
    response_clear(&r);

    r = convert(PROTO_INVALID, "{\"email\":[\"Enter a valid email address.\"]}", NULL);
    b = body_of(&r);
    cr_assert_eq(r.status, 400);
    cr_assert_str_eq(b, "{\"email\":[\"Enter a valid email address.\"]}");
    free(b);
    response_clear(&r);

    r = convert(PROTO_NOT_FOUND, NULL, NULL);
    b = body_of(&r);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(b, "{\"detail\":\"Not found.\"}");
    free(b);
    response_clear(&r);

    r = convert(PROTO_UNAUTHORIZED, "{\"detail\":\"User not found\",\"code\":\"user_not_found\"}", NULL);
    cr_assert_eq(r.status, 401);
    cr_assert(r.www_authenticate);
    response_clear(&r);

    r = convert(PROTO_UNAVAILABLE, NULL, NULL);
    b = body_of(&r);
    cr_assert_eq(r.status, 503);
    cr_assert_eq(r.retry_after, 1);
    cr_assert_str_eq(b, "{\"detail\":\"Service temporarily unavailable.\"}");
    free(b);
    response_clear(&r);

    r = convert(PROTO_THROTTLED,
                "{\"detail\":\"Request was throttled. Expected available in 17 seconds.\"}", NULL);
    cr_assert_eq(r.status, 429);
    cr_assert_eq(r.retry_after, 17);
    response_clear(&r);
}

Test(reply, internal_errors_never_show_their_body)
{
    response_t r = convert(PROTO_INTERNAL, "{\"detail\":\"SELECT * FROM secrets\"}", NULL);
    char *b = body_of(&r);
    cr_assert_eq(r.status, 500);
    cr_assert_str_eq(b, "{\"detail\":\"A server error occurred.\"}");
    free(b);
    response_clear(&r);
    /* An error with a non-map body falls back to the default detail. */
    r = convert(PROTO_FORBIDDEN, "[\"oops\"]", NULL);
    b = body_of(&r);
    cr_assert_eq(r.status, 403);
    cr_assert_str_eq(b, "{\"detail\":\"You do not have permission to perform this action.\"}");
    free(b);
    response_clear(&r);
}

Test(reply, paginated_links)
{
    const char *raw = "page=2&page_size=2";
    query_t *q = query_new();
    cr_assert_eq(query_parse(q, raw, strlen(raw)), QUERY_OK);
    reply_links_t links = { "api.test", "/api/users/", q, { 2, 2 } };
    response_t r = convert(PROTO_OK, "{\"count\":5,\"results\":[{\"id\":3},{\"id\":4}]}", &links);
    char *b = body_of(&r);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(b, "{\"count\":5,\"next\":\"http://api.test/api/users/?page=3&page_size=2\","
                        "\"previous\":\"http://api.test/api/users/?page_size=2\","
                        "\"results\":[{\"id\":3},{\"id\":4}]}");
    free(b);
    response_clear(&r);
    links.page = (page_request_t) { 1, 20 };
    r = convert(PROTO_OK, "{\"count\":0,\"results\":[]}", &links);
    b = body_of(&r);
    cr_assert_str_eq(b, "{\"count\":0,\"next\":null,\"previous\":null,\"results\":[]}");
    free(b);
    response_clear(&r);
    r = convert(PROTO_OK, "{\"results\":[]}", &links);
    cr_assert_eq(r.status, 500);
    response_clear(&r);
    /* Errors of paginated routes pass through like any other. */
    r = convert(PROTO_NOT_FOUND, "{\"detail\":\"Invalid page.\"}", &links);
    b = body_of(&r);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(b, "{\"detail\":\"Invalid page.\"}");
    free(b);
    response_clear(&r);
    query_destroy(&q);
}
