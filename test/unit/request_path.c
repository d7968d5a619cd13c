/*  Unit tests for request_path.c: the route's {id}, as the gateway sends it in the
 *  request body's "path" map. */
#include <criterion/criterion.h>
#include <string.h>

#include "request_path.h"
#include "testdata.h"

/* The {id} request_path_id reads from a request whose body is body_json. */
static int64_t path_id(const char *body_json)
{
    testdata_t p;
    proto_msg_t request;
    memset(&request, 0, sizeof request);
    request.body = *testdata_pack_json(&p, body_json);
    int64_t id = request_path_id(&request);
    testdata_free(&p);
    return id;
}

Test(request_path, positive_ids)
{
    cr_expect_eq(path_id("{\"path\": {\"id\": 7}}"), 7);
    cr_expect_eq(path_id("{\"path\": {\"id\": 9223372036854775807}, \"data\": {}}"), INT64_MAX);
}

Test(request_path, anything_else_is_zero)
{
    const char *bodies[] = { "{}", "{\"path\": {}}", "{\"path\": {\"id\": 0}}",
                             "{\"path\": {\"id\": -1}}", "{\"path\": {\"id\": \"7\"}}",
                             "{\"path\": {\"id\": 7.0}}", "{\"path\": [7]}", "[]", "null" };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        cr_expect_eq(path_id(bodies[i]), 0, "body %s", bodies[i]);
}
