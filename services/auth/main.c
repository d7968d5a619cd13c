/*  main.c: the auth service process. Everything else is in auth_service. */
#include "auth.h"

int main(void)
{
    return service_main(&auth_service);
}
