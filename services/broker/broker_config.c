/*  broker_config.c: the broker process's settings. See broker_config.h. */
#include "broker_config.h"

#include <string.h>

#include "bus_events.h"
#include "config.h"

int broker_config_load(broker_config_t *config)
{
    memset(config, 0, sizeof *config);
    config->endpoint = config_str("BUS_ENDPOINT", BUS_DEFAULT_ENDPOINT);
    config->broker.services = config_str("BUS_SERVICES", NULL);
    config->events_pub = config_str("EVENTS_PUB_ENDPOINT", BUS_EVENTS_PUB_DEFAULT);
    config->events_sub = config_str("EVENTS_SUB_ENDPOINT", BUS_EVENTS_SUB_DEFAULT);
    return config_int("BUS_QUEUE_TIMEOUT_MS", 2000, 10, 600000,
                      &config->broker.queue_timeout_ms) != 0
           || config_int("BUS_QUEUE_MAX", 10000, 1, 10000000, &config->broker.queue_max) != 0
           || bus_keys_config_load(&config->keys, BUS_ROLE_BROKER) != 0
               ? -1 : 0;
}
