/*  Tests of the bus keys (bus_keys.h): the settings, and the files bus_keys_create
 *  makes and loads. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus.h"

/* A fresh folder under /tmp for one test's keys (a path in static storage). */
static const char *fresh_dir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/bus-keys-test-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    rmdir(dir);                 /* bus_keys_create makes it, 0700 */
    return dir;
}

/* Mode bits of path. */
static mode_t mode_of(const char *path)
{
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    return st.st_mode & 0777;
}

Test(bus_keys, curve_off_is_refused_outside_development)
{
    setenv("BUS_CURVE", "off", 1);
    setenv("APP_ENV", "production", 1);
    bus_keys_config_t config;
    cr_assert_eq(bus_keys_config_load(&config, "gateway"), -1);
    setenv("APP_ENV", "development", 1);
    cr_assert_eq(bus_keys_config_load(&config, "gateway"), 0);
    cr_assert_not(config.curve);
    setenv("BUS_CURVE", "maybe", 1);
    cr_assert_eq(bus_keys_config_load(&config, "gateway"), -1, "only on or off");
    unsetenv("BUS_CURVE");
    cr_assert_eq(bus_keys_config_load(&config, "gateway"), 0);
    cr_assert(config.curve, "on by default");
}

Test(bus_keys, each_file_defaults_to_the_role_in_bus_keys)
{
    setenv("BUS_KEYS", "/k", 1);
    unsetenv("BUS_CERT");
    unsetenv("BUS_CURVE");
    bus_keys_config_t config;
    cr_assert_eq(bus_keys_config_load(&config, "auth"), 0);
    cr_assert_str_eq(config.cert, "/k/auth.key");
    cr_assert_str_eq(config.broker_cert, "/k/broker.crt");
    cr_assert_str_eq(config.certs_dir, "/k/certs");
    setenv("BUS_CERT", "/elsewhere/auth.key", 1);
    cr_assert_eq(bus_keys_config_load(&config, "auth"), 0);
    cr_assert_str_eq(config.cert, "/elsewhere/auth.key");
    cr_assert_eq(bus_keys_config_load(&config, "Auth!"), -1, "not a role name");
}

Test(bus_keys, create_writes_private_secrets_and_is_idempotent)
{
    const char *dir = fresh_dir();
    cr_assert_eq(bus_keys_create(dir, "broker"), 0);
    cr_assert_eq(bus_keys_create(dir, "auth"), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/auth.key", dir);
    cr_assert_eq(mode_of(path), 0600);
    cr_assert_eq(mode_of(dir), 0700);
    zcert_t *first = zcert_load(path);
    cr_assert_not_null(first);
    cr_assert_str_eq(zcert_meta(first, "role"), "auth");
    cr_assert_eq(bus_keys_create(dir, "auth"), 0, "again: nothing changes");
    zcert_t *second = zcert_load(path);
    cr_assert_str_eq(zcert_public_txt(first), zcert_public_txt(second));
    snprintf(path, sizeof path, "%s/certs/auth.crt", dir);
    zcert_t *public = zcert_load(path);
    cr_assert_not_null(public, "the public half is in the store");
    cr_assert_str_eq(zcert_public_txt(public), zcert_public_txt(first));
    snprintf(path, sizeof path, "%s/certs/broker.crt", dir);
    cr_assert_neq(access(path, F_OK), 0, "the broker's key is not in the store of clients");
    cr_assert_eq(bus_keys_create(dir, "../x"), -1);
    zcert_destroy(&public);
    zcert_destroy(&second);
    zcert_destroy(&first);

    setenv("BUS_KEYS", dir, 1);
    unsetenv("BUS_CERT");
    unsetenv("BUS_CURVE");
    bus_keys_config_t config;
    cr_assert_eq(bus_keys_config_load(&config, "auth"), 0);
    bus_keys_t *keys = bus_keys_new(&config, false);
    cr_assert_not_null(keys);
    cr_assert(bus_keys_curve(keys));
    cr_assert_str_eq(bus_keys_role(keys), "auth");
    bus_keys_destroy(&keys);
    cr_assert_eq(bus_keys_config_load(&config, "friend"), 0);
    cr_assert_null(bus_keys_new(&config, false), "no certificate of friend yet");
    zdir_t *d = zdir_new(dir, NULL);
    zdir_remove(d, true);
    zdir_destroy(&d);
}

Test(bus_keys, only_service_roles_serve)
{
    cr_assert(bus_keys_role_serves("auth"));
    cr_assert(bus_keys_role_serves("notification"));
    cr_assert_not(bus_keys_role_serves("gateway"));
    cr_assert_not(bus_keys_role_serves("client"));
    cr_assert_not(bus_keys_role_serves("broker"));
    cr_assert_not(bus_keys_role_serves(""));
}
