/*  main.c: the gateway process. Only wiring: signals, logging, configuration, the
 *  gateway's event loop. See gateway.h and settings.h. */
#include <czmq.h>

#include "gateway.h"
#include "log.h"
#include "settings.h"
#include "signals.h"

int main(void)
{
    /* The gateway owns SIGTERM and SIGINT: czmq must not install its handlers. */
    zsys_handler_set(NULL);
    log_init("gateway");
    int signal_fd = signals_open();
    settings_t settings;
    if (signal_fd < 0 || settings_load(&settings) != 0)
        return 1;
    gateway_t *gateway = gateway_new(&settings, signal_fd);
    if (!gateway)
        return 1;
    int rc = gateway_run(gateway);
    gateway_destroy(&gateway);
    return rc;
}
