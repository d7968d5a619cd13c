/*  throttle.c: throttled logins and registrations. See throttle.h. */
#include "throttle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db_value.h"
#include "log.h"
#include "proto.h"
#include "utf8.h"

/* Code points of a username kept in a key (no account has a longer one). */
#define KEY_USERNAME_MAX 150
/* Room for a key: an address, the separator and a username of KEY_USERNAME_MAX. */
#define KEY_MAX (PROTO_ADDRESS_MAX + 1 + KEY_USERNAME_MAX * 4 + 1)

int throttle_rate_parse(const char *text, throttle_rate_t *rate)
{
    rate->limit = 0;
    rate->window_s = 0;
    if (!text || !*text || strcmp(text, "off") == 0)
        return 0;
    char *end = NULL;
    errno = 0;
    long limit = strtol(text, &end, 10);
    if (errno || end == text || *end != '/' || limit < 1 || limit > 1000000)
        return -1;
    const char *period = end + 1;
    long count = 1;
    if (*period >= '0' && *period <= '9') {
        count = strtol(period, &end, 10);
        if (errno || count < 1 || count > THROTTLE_WINDOW_MAX)
            return -1;
    } else {
        end = (char *) period;
    }
    long unit;
    switch (*end) {
    case '\0': unit = end == period ? 0 : 1; break;   /* "10/" has no period */
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return -1;
    }
    if (unit == 0 || (*end && end[1]) || count > THROTTLE_WINDOW_MAX / unit)
        return -1;
    rate->limit = limit;
    rate->window_s = count * unit;
    return 0;
}

/* Reads one rate variable. Returns 0, or -1 (logged). */
static int load_rate(const char *name, const char *fallback, throttle_rate_t *rate)
{
    const char *text = config_str(name, fallback);
    if (throttle_rate_parse(text, rate) != 0) {
        log_error("%s must be N/period (period: seconds, or a number with s, m, h or d, "
                  "at most a week), or off", name);
        return -1;
    }
    return 0;
}

int throttle_config_load(throttle_config_t *config)
{
    return load_rate("THROTTLE_LOGIN", "10/15m", &config->login) != 0
                   || load_rate("THROTTLE_LOGIN_PER_ADDRESS", "200/15m",
                                &config->login_address) != 0
                   || load_rate("THROTTLE_REGISTER", "", &config->registration) != 0
               ? -1
               : 0;
}

proto_status_t throttle_answer(msgpack_packer *out, long seconds)
{
    char detail[96];
    snprintf(detail, sizeof detail, "Request was throttled. Expected available in %ld %s.",
             seconds, seconds == 1 ? "second" : "seconds");
    proto_pack_detail(out, detail);
    return PROTO_THROTTLED;
}

/* The key of a (client, username) pair: the username cut to KEY_USERNAME_MAX code
 * points (it is valid UTF-8, read as a CharField). */
static void pair_key(const char *client, const char *username, char key[KEY_MAX])
{
    size_t len = strlen(username), cut = 0;
    uint32_t cp;
    for (int points = 0; cut < len && points < KEY_USERNAME_MAX; points++) {
        size_t n = utf8_next(username + cut, len - cut, &cp);
        if (n == 0)
            break;
        cut += n;
    }
    snprintf(key, KEY_MAX, "%s\x1f%.*s", client, (int) cut, username);
}

/*  Seconds until one more event of (scope, key) fits `rate`, into *wait (0: it fits
 *  now). Returns DB_OK or the failure. */
static db_status_t wait_for(db_t *db, const char *scope, const char *key,
                            const throttle_rate_t *rate, long *wait)
{
    *wait = 0;
    if (rate->limit == 0)
        return DB_OK;
    db_value_id_t limit, window;
    const char *params[4] = { scope, key, db_value_id(&limit, rate->limit),
                              db_value_id(&window, rate->window_s) };
    PGresult *res = NULL;
    db_status_t status = db_exec(db, AUTH_Q_THROTTLE_WAIT, 4, params, &res);
    if (status != DB_OK)
        return status;
    long long seconds = 0;
    if (db_value_int(res, 0, 0, &seconds) == 0 && seconds > 0)
        *wait = (long) seconds;
    PQclear(res);
    return DB_OK;
}

/* The longest window of every throttle: older events no longer count anywhere. */
static long longest_window(const throttle_config_t *config)
{
    long longest = config->login.window_s;
    if (config->login_address.window_s > longest)
        longest = config->login_address.window_s;
    if (config->registration.window_s > longest)
        longest = config->registration.window_s;
    return longest;
}

/* Records up to two events (scope2 NULL for one). Returns DB_OK or the failure. */
static db_status_t record(db_t *db, const throttle_config_t *config, const char *scope1,
                          const char *key1, const char *scope2, const char *key2)
{
    db_value_id_t window;
    const char *params[5] = { scope1, key1, scope2, key2,
                              db_value_id(&window, longest_window(config)) };
    return db_run(db, AUTH_Q_THROTTLE_RECORD, 5, params);
}

/* Settles a check: packs the 429 or the failure's status. True when refused. */
static bool refuse(db_status_t status, long wait, msgpack_packer *out, proto_status_t *rc)
{
    if (status != DB_OK) {
        *rc = db_value_failure(status);
        return true;
    }
    if (wait > 0) {
        *rc = throttle_answer(out, wait);
        return true;
    }
    return false;
}

bool throttle_login_refused(db_t *db, const throttle_config_t *config, const char *client,
                            const char *username, msgpack_packer *out, proto_status_t *status)
{
    if (!client || !*client)
        return false;
    char key[KEY_MAX];
    pair_key(client, username, key);
    long pair_wait = 0, address_wait = 0;
    db_status_t rc = wait_for(db, "login", key, &config->login, &pair_wait);
    if (rc == DB_OK)
        rc = wait_for(db, "login_address", client, &config->login_address, &address_wait);
    return refuse(rc, pair_wait > address_wait ? pair_wait : address_wait, out, status);
}

db_status_t throttle_login_failed(db_t *db, const throttle_config_t *config,
                                  const char *client, const char *username)
{
    if (!client || !*client || (config->login.limit == 0 && config->login_address.limit == 0))
        return DB_OK;
    char key[KEY_MAX];
    pair_key(client, username, key);
    return record(db, config, "login", key, "login_address", client);
}

bool throttle_register_refused(db_t *db, const throttle_config_t *config, const char *client,
                               msgpack_packer *out, proto_status_t *status)
{
    if (!client || !*client || config->registration.limit == 0)
        return false;
    long wait = 0;
    db_status_t rc = wait_for(db, "register_address", client, &config->registration, &wait);
    if (rc == DB_OK && wait == 0)
        rc = record(db, config, "register_address", client, NULL, NULL);
    return refuse(rc, wait, out, status);
}
