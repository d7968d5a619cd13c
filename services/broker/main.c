/*  main.c: the broker process. Only wiring: stop signals, logging, configuration, the
 *  bus keys, the broker actor (bus_broker.h), waiting for a stop signal. */
#include <unistd.h>

#include "broker_config.h"
#include "bus.h"
#include "log.h"
#include "signals.h"

int main(void)
{
    log_init("broker");
    int signal_fd = signals_open();
    broker_config_t config;
    if (signal_fd < 0 || broker_config_load(&config) != 0)
        return 2;
    bus_keys_t *keys = bus_keys_new(&config.keys, true);
    if (!keys)
        return 2;
    config.broker.keys = keys;
    zactor_t *broker = zactor_new(bus_broker_actor, &config.broker);
    char *endpoint = broker ? bus_broker_bind(broker, config.endpoint) : NULL;
    int exit_code = 1;
    if (endpoint) {
        log_info("listening on %s (%s)", endpoint,
                 bus_keys_curve(keys) ? "CURVE, admitting the keys in BUS_CERTS_DIR" : "no CURVE");
        int sig = signals_wait(signal_fd);
        log_info("signal %d: stopping", sig);
        exit_code = sig > 0 ? 0 : 1;
    }
    zstr_free(&endpoint);
    zactor_destroy(&broker);
    bus_keys_destroy(&keys);
    close(signal_fd);
    return exit_code;
}
