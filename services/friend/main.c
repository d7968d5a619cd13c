/*  main.c: the friend service process. */
#include "friend_service.h"

int main(void)
{
    return service_main(&friend_service);
}
