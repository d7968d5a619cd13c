/*  main.c: the user service process. */
#include "user_service.h"

int main(void)
{
    return service_main(&user_service);
}
