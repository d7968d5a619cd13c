/*  main.c: the auth service process: its methods, statements and configuration,
 *  wired to the runtime. */
#include "auth_config.h"
#include "auth_service.h"

/* The bus methods: name, handler, whether a caller is required. */
static const service_method_t auth_methods[] = {
    { "register", auth_register, 0 },
    { "login", auth_login, 0 },
    { "refresh", auth_refresh, 0 },
    { "logout", auth_logout, 1 },
    { NULL, NULL, 0 },
};

static const service_def_t auth_service = {
    .name = "auth",
    .statements = auth_statements,
    .methods = auth_methods,
    .setup = auth_config_setup,
    .teardown = auth_config_teardown,
    /* A login holds its worker for the whole password hash (tens of milliseconds):
     * a request queued behind it would wait that long while another worker is free. */
    .credit = 1,
};

int main(void)
{
    return service_main(&auth_service);
}
