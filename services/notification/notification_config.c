/*  notification_config.c: the notification service's settings. See
 *  notification_config.h. */
#include "notification_config.h"

#include <stdlib.h>
#include <string.h>

#include "bus_events.h"
#include "config.h"
#include "log.h"

int notification_config_setup(const void **state)
{
    notification_config_t *config = calloc(1, sizeof *config);
    if (!config)
        return -1;
    config->events_pub_endpoint = config_str("EVENTS_PUB_ENDPOINT", BUS_EVENTS_PUB_DEFAULT);
    if (!strstr(config->events_pub_endpoint, "://")) {
        log_error("EVENTS_PUB_ENDPOINT must be a ZeroMQ endpoint such as tcp://host:port");
        free(config);
        return -1;
    }
    *state = config;
    return 0;
}

void notification_config_teardown(const void *state)
{
    free((void *) state);
}
