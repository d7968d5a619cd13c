/*  Tests of the service runtime (service.h) as a whole: service_main() of small test
 *  services: start-up failures of workers. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "service.h"

/* The one method of the test services: answers {"status": "hello"}. */
static int hello(service_ctx_t *ctx, const proto_msg_t *request, msgpack_packer *out)
{
    (void) ctx;
    (void) request;
    msgpack_pack_map(out, 1);
    proto_pack_kv_str(out, "status", "hello");
    return PROTO_OK;
}

static const service_method_t methods[] = {
    { "hello", hello, 0 },
    { NULL, NULL, 0 },
};

Test(runtime, a_worker_that_cannot_start_fails_the_start_up)
{
    setenv("BUS_ENDPOINT", "not an endpoint", 1);
    static const service_def_t plain = { .name = "runtime_plain", .methods = methods };
    cr_assert_neq(service_main(&plain), 0);
}
