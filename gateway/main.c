/*  main.c: the gateway process. Only wiring: signals, logging, configuration, the
 *  gateway's event loop. See gateway.h and settings.h. */
#include "gateway.h"
#include "log.h"
#include "settings.h"
#include "signals.h"

int main(void)
{
    log_init("gateway");
    /* The gateway owns SIGTERM and SIGINT (czmq's handlers are off): read in its loop. */
    int signal_fd = signals_open();
    if (signal_fd < 0)
        return 1;
    settings_t settings;
    if (settings_load(&settings) != 0)
        return 2;                     /* configuration refused, as every process says it */
    gateway_t *gateway = gateway_new(&settings, signal_fd);
    if (!gateway)
        return 1;
    int rc = gateway_run(gateway);
    gateway_destroy(&gateway);
    return rc;
}
