/*  settings.c: the gateway's configuration. See settings.h. */
#include "settings.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "bus.h"
#include "bus_events.h"
#include "lease.h"
#include "config.h"
#include "log.h"
#include "token.h"

/* Splits GATEWAY_SERVICES into names of [a-z0-9_]. Returns 0, or -1 (logged). */
static int parse_services(const char *list, settings_t *settings)
{
    settings->service_count = 0;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len > 0) {
            if (settings->service_count == SETTINGS_SERVICES_MAX || len >= PROTO_NAME_MAX
                || strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_") < len) {
                log_error("GATEWAY_SERVICES must be a comma-separated list of at most %d "
                          "service names of [a-z0-9_]", SETTINGS_SERVICES_MAX);
                return -1;
            }
            memcpy(settings->services[settings->service_count], p, len);
            settings->services[settings->service_count][len] = '\0';
            settings->service_count++;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* This process's presence id: GATEWAY_ID (default "gw") and a random suffix, so that
 * a gateway restarted under the same name never takes over the presence rows of the
 * process that died (they expire with its lease). Returns 0, or -1 (logged). */
static int load_gateway_id(settings_t *settings)
{
    const char *name = config_str("GATEWAY_ID", "gw");
    size_t len = strlen(name);
    if (len == 0 || len > SETTINGS_GATEWAY_NAME_MAX
        || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789_.-") != len) {
        log_error("GATEWAY_ID must be 1 to %d characters of [A-Za-z0-9_.-]",
                  SETTINGS_GATEWAY_NAME_MAX);
        return -1;
    }
    unsigned char bytes[4];
    if (getrandom(bytes, sizeof bytes, 0) != (ssize_t) sizeof bytes) {
        log_error("cannot draw a random gateway id");
        return -1;
    }
    snprintf(settings->gateway_id, sizeof settings->gateway_id, "%s.%02x%02x%02x%02x", name,
             bytes[0], bytes[1], bytes[2], bytes[3]);
    return 0;
}

/* Where events come from and how long this gateway's presence lasts unrenewed.
 * Returns 0, or -1 (logged). */
static int load_events(settings_t *settings)
{
    settings->events_sub_endpoint = config_str("EVENTS_SUB_ENDPOINT", BUS_EVENTS_SUB_DEFAULT);
    if (strncmp(settings->events_sub_endpoint, "tcp://", 6) != 0) {
        log_error("EVENTS_SUB_ENDPOINT must be a ZeroMQ endpoint such as tcp://host:port");
        return -1;
    }
    return config_int("GATEWAY_LEASE_MS", 6000, LEASE_TTL_MIN_MS, LEASE_TTL_MAX_MS,
                      &settings->lease_ms);
}

/* The WebSocket endpoint's limits. Returns 0, or -1 (logged). */
static int load_websocket(settings_t *settings)
{
    if (config_int("WS_MAX_SOCKETS_PER_USER", 32, 1, 100000,
                   &settings->ws_max_sockets_per_user) != 0
        || config_int("WS_MAX_FRAME", 65536, 1024, 16 * 1024 * 1024,
                      &settings->ws_max_frame) != 0
        || config_int("WS_SEND_QUEUE_MAX", 262144, 4096, 1024L * 1024 * 1024,
                      &settings->ws_send_queue_max) != 0
        || config_int("WS_PING_S", 30, 1, 3600, &settings->ws_ping_s) != 0
        || config_int("WS_HANGUP_S", 60, 2, 7200, &settings->ws_hangup_s) != 0
        || config_int("WS_DRAIN_S", 10, 0, 600, &settings->ws_drain_s) != 0)
        return -1;
    /* lws asserts it: the ping must go out before the hang-up. */
    if (settings->ws_hangup_s <= settings->ws_ping_s) {
        log_error("WS_HANGUP_S must be greater than WS_PING_S");
        return -1;
    }
    return load_gateway_id(settings) == 0 && load_events(settings) == 0 ? 0 : -1;
}

int settings_load(settings_t *settings)
{
    memset(settings, 0, sizeof *settings);
    long port;
    if (config_int("GATEWAY_PORT", 8000, 1, 65535, &port) != 0
        || config_int("GATEWAY_REQUEST_TIMEOUT_MS", 5000, 100, 600000,
                      &settings->request_timeout_ms) != 0
        || config_int("GATEWAY_MAX_BODY", 1048576, 1024, PROTO_MAX_MESSAGE / 2,
                      &settings->max_body) != 0
        || config_int("GATEWAY_KEEPALIVE_S", 30, 1, 3600, &settings->keepalive_s) != 0)
        return -1;
    settings->port = (int) port;
    long listen_fd;
    if (config_int("GATEWAY_LISTEN_FD", -1, 0, 1 << 20, &listen_fd) != 0)
        return -1;
    settings->listen_fd = (int) listen_fd;
    const char *reuseport = config_str("GATEWAY_REUSEPORT", "off");
    if (strcmp(reuseport, "on") != 0 && strcmp(reuseport, "off") != 0) {
        log_error("GATEWAY_REUSEPORT must be on or off");
        return -1;
    }
    settings->reuseport = strcmp(reuseport, "on") == 0;
    if (settings->reuseport && settings->listen_fd >= 0) {
        /* An inherited socket was made by the parent: this process sets nothing on it. */
        log_error("GATEWAY_REUSEPORT applies to a socket the gateway makes, not to "
                  "GATEWAY_LISTEN_FD");
        return -1;
    }
    /* In development nothing outside this machine may reach the gateway unless asked
     * for; a production deployment listens on every interface (behind its proxy). */
    settings->bind = config_str("GATEWAY_BIND", config_is_development() ? "127.0.0.1" : NULL);
    settings->bus_endpoint = config_str("BUS_ENDPOINT", BUS_DEFAULT_ENDPOINT);
    settings->cors_origins = config_str("CORS_ALLOWED_ORIGINS", "");
    if (client_proxies_parse(config_str("TRUSTED_PROXIES", ""), &settings->trusted_proxies)
        != 0) {
        log_error("TRUSTED_PROXIES must be a comma-separated list of at most %d IPv4 or "
                  "IPv6 addresses or networks (address/prefix)", CLIENT_ADDRESS_PROXIES_MAX);
        return -1;
    }
    settings->redoc_js = config_str("REDOC_JS", "var/static/redoc.standalone.js");
    if (parse_services(config_str("GATEWAY_SERVICES", "auth,user,friend,notification,chat"),
                       settings) != 0
        || bus_keys_config_load(&settings->bus_keys, BUS_ROLE_GATEWAY) != 0
        || load_websocket(settings) != 0)
        return -1;
    int len = token_secret_load((char *) settings->jwt_secret, sizeof settings->jwt_secret);
    if (len < 0)
        return -1;
    settings->jwt_secret_len = (size_t) len;
    return 0;
}
