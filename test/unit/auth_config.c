/*  Unit tests for auth_config.c: the auth service's own settings, read from the
 *  environment at start, refused when out of range. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "auth_config.h"

#define SECRET "unit-test-secret-that-is-long-enough-0123456789"

/* A development environment with a valid secret and cheap password hashing. */
static void environment(void)
{
    setenv("APP_ENV", "development", 1);
    setenv("JWT_SECRET", SECRET, 1);
    unsetenv("JWT_SECRET_FILE");
    unsetenv("ACCESS_TOKEN_LIFETIME");
    unsetenv("REFRESH_TOKEN_LIFETIME");
    unsetenv("AUTH_NICE");
    setenv("PASSWORD_HASH_OPSLIMIT", "1", 1);
    setenv("PASSWORD_HASH_MEMLIMIT_KIB", "8192", 1);
}

TestSuite(auth_config, .init = environment);

Test(auth_config, defaults)
{
    const void *state = NULL;
    cr_assert_eq(auth_config_setup(&state), 0);
    const auth_config_t *config = state;
    cr_assert_not_null(config);
    cr_expect_eq(config->secret_len, strlen(SECRET));
    cr_expect_eq(memcmp(config->secret, SECRET, strlen(SECRET)), 0);
    cr_expect_eq(config->access_lifetime, 300);
    cr_expect_eq(config->refresh_lifetime, 86400);
    cr_expect_not_null(config->hasher);
    auth_config_teardown(state);
}

Test(auth_config, lifetimes_from_the_environment)
{
    setenv("ACCESS_TOKEN_LIFETIME", "60", 1);
    setenv("REFRESH_TOKEN_LIFETIME", "3600", 1);
    const void *state = NULL;
    cr_assert_eq(auth_config_setup(&state), 0);
    const auth_config_t *config = state;
    cr_expect_eq(config->access_lifetime, 60);
    cr_expect_eq(config->refresh_lifetime, 3600);
    auth_config_teardown(state);
}

Test(auth_config, refused_settings)
{
    const char *bad[][2] = {
        { "ACCESS_TOKEN_LIFETIME", "0" },
        { "ACCESS_TOKEN_LIFETIME", "31622401" },
        { "REFRESH_TOKEN_LIFETIME", "abc" },
        { "REFRESH_TOKEN_LIFETIME", "316224001" },
        { "PASSWORD_HASH_OPSLIMIT", "0" },
        { "JWT_SECRET", "short" },
        { "AUTH_NICE", "20" },
        { "AUTH_NICE", "-1" },
        { "AUTH_NICE", "low" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        environment();
        setenv(bad[i][0], bad[i][1], 1);
        const void *state = NULL;
        cr_expect_eq(auth_config_setup(&state), -1, "%s=%s", bad[i][0], bad[i][1]);
        cr_expect_null(state, "%s=%s", bad[i][0], bad[i][1]);
    }
}

Test(auth_config, longest_lifetimes_accepted)
{
    setenv("ACCESS_TOKEN_LIFETIME", "31622400", 1);
    setenv("REFRESH_TOKEN_LIFETIME", "316224000", 1);
    const void *state = NULL;
    cr_assert_eq(auth_config_setup(&state), 0);
    auth_config_teardown(state);
}

Test(auth_config, the_thread_that_starts_the_workers_is_lowered_to_auth_nice)
{
    setenv("AUTH_NICE", "12", 1);
    const void *state = NULL;
    cr_assert_eq(auth_config_setup(&state), 0);
    cr_expect_eq(getpriority(PRIO_PROCESS, 0), 12);
    setenv("AUTH_NICE", "5", 1);            /* lower than now: kept as it is */
    auth_config_teardown(state);
    cr_assert_eq(auth_config_setup(&state), 0);
    cr_expect_eq(getpriority(PRIO_PROCESS, 0), 12);
    auth_config_teardown(state);
}

Test(auth_config, teardown_of_nothing)
{
    auth_config_teardown(NULL);
}
