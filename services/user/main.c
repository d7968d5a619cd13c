/*  main.c: the user service process: its methods and statements, wired to the
 *  runtime. */
#include "user_service.h"

/* The bus methods: name, handler, whether a caller is required. */
static const service_method_t user_methods[] = {
    { "list", user_list, 1 },
    { "me", user_me, 1 },
    { "get", user_get, 1 },
    { "update", user_update, 1 },
    { "partial_update", user_partial_update, 1 },
    { NULL, NULL, 0 },
};

static const service_def_t user_service = {
    .name = "user",
    .statements = user_statements,
    .methods = user_methods,
    .setup = NULL,
    .teardown = NULL,
};

int main(void)
{
    return service_main(&user_service);
}
