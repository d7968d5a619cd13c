/*  main.c: the broker process. Only wiring: stop signals, logging, configuration, the
 *  bus keys, the broker actor (bus_broker.h), the event proxy (bus_events.h), waiting
 *  for a stop signal. The proxy starts after the broker actor: it relies on the ZAP
 *  handler that actor runs (one per process). */
#include <unistd.h>

#include "broker_config.h"
#include "bus.h"
#include "bus_events.h"
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
    zactor_t *events = endpoint ? zactor_new(bus_events_actor, keys) : NULL;
    char *events_pub = NULL, *events_sub = NULL;
    int exit_code = 1;
    if (events && bus_events_bind(events, config.events_pub, config.events_sub, &events_pub,
                                  &events_sub) == 0) {
        log_info("listening on %s, events from %s to %s (%s)", endpoint, events_pub, events_sub,
                 bus_keys_curve(keys) ? "CURVE, admitting the keys in BUS_CERTS_DIR" : "no CURVE");
        int sig = signals_wait(signal_fd);
        log_info("signal %d: stopping", sig);
        exit_code = sig > 0 ? 0 : 1;
    }
    zstr_free(&events_pub);
    zstr_free(&events_sub);
    zstr_free(&endpoint);
    zactor_destroy(&events);
    zactor_destroy(&broker);
    bus_keys_destroy(&keys);
    close(signal_fd);
    return exit_code;
}
