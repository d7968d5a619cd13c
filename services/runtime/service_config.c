/*  service_config.c: the settings every service process shares. See service_config.h. */
#include "service_config.h"

#include "bus.h"
#include "config.h"

int service_config_load(service_config_t *cfg, const char *service, int credit)
{
    cfg->bus_endpoint = config_str("BUS_ENDPOINT", BUS_DEFAULT_ENDPOINT);
    cfg->database_url = config_str("DATABASE_URL", "postgresql:///socialnet");
    return config_int("SERVICE_WORKERS", 2, 1, 64, &cfg->workers) != 0
           || config_int("SERVICE_CREDIT", credit > 0 ? credit : SERVICE_CREDIT_DEFAULT, 1,
                         BUS_CREDIT_MAX, &cfg->credit) != 0
           || bus_keys_config_load(&cfg->bus_keys, service) != 0 ? -1 : 0;
}
