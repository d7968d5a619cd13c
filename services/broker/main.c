/*  The broker process: configuration, signals, and the broker loop. */
#include <signal.h>
#include <string.h>

#include <czmq.h>

#include "broker.h"
#include "bus.h"
#include "config.h"
#include "log.h"

static volatile sig_atomic_t stop_requested = 0;   /* set by SIGINT/SIGTERM */

/* Asks the loop to stop; it notices within 100 ms. */
static void on_signal(int sig)
{
    (void) sig;
    stop_requested = 1;
}

int main(void)
{
    log_init("broker");
    zsys_handler_set(NULL);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);

    broker_config_t config = { config_str("BUS_ENDPOINT", BUS_DEFAULT_ENDPOINT), 0, 0 };
    if (config_int("BUS_QUEUE_TIMEOUT_MS", 2000, 10, 600000, &config.queue_timeout_ms) != 0
        || config_int("BUS_QUEUE_MAX", 10000, 1, 10000000, &config.queue_max) != 0)
        return 2;
    broker_t *broker = broker_new(&config);
    if (!broker)
        return 1;
    log_info("listening on %s", config.endpoint);
    broker_run(broker, &stop_requested);
    log_info("stopping");
    broker_destroy(&broker);
    return 0;
}
