/*  main.c: the friend service process: its methods and statements, wired to the
 *  runtime. */
#include "friend_service.h"

/* The bus methods: name, handler, whether a caller is required. */
static const service_method_t friend_methods[] = {
    { "request_create", friend_request_create, 1 },
    { "request_answer", friend_request_answer, 1 },
    { "request_cancel", friend_request_cancel, 1 },
    { "request_list", friend_request_list, 1 },
    { "list", friend_list, 1 },
    { "unfriend", friend_unfriend, 1 },
    { NULL, NULL, 0 },
};

static const service_def_t friend_service = {
    .name = "friend",
    .statements = friend_statements,
    .methods = friend_methods,
    .setup = NULL,
    .teardown = NULL,
};

int main(void)
{
    return service_main(&friend_service);
}
