/*  Unit tests for config.c (lib/platform): settings from the environment, with
 *  defaults, refused when they do not parse or are out of range. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "config.h"

#define NAME "SOCIALNET_TEST_SETTING"

Test(config, str_falls_back_when_unset_or_empty)
{
    unsetenv(NAME);
    cr_expect_str_eq(config_str(NAME, "fallback"), "fallback");
    setenv(NAME, "", 1);
    cr_expect_str_eq(config_str(NAME, "fallback"), "fallback");
    cr_expect_null(config_str(NAME, NULL));
    setenv(NAME, "value", 1);
    cr_expect_str_eq(config_str(NAME, "fallback"), "value");
    unsetenv(NAME);
}

Test(config, int_fallback_when_unset_or_empty)
{
    long value = 0;
    unsetenv(NAME);
    cr_expect_eq(config_int(NAME, 42, 1, 100, &value), 0);
    cr_expect_eq(value, 42);
    setenv(NAME, "", 1);
    value = 0;
    cr_expect_eq(config_int(NAME, 7, 1, 100, &value), 0);
    cr_expect_eq(value, 7);
    unsetenv(NAME);
}

Test(config, int_in_range_is_read)
{
    long value = 0;
    setenv(NAME, "1", 1);
    cr_expect_eq(config_int(NAME, 42, 1, 100, &value), 0);
    cr_expect_eq(value, 1);
    setenv(NAME, "100", 1);
    cr_expect_eq(config_int(NAME, 42, 1, 100, &value), 0);
    cr_expect_eq(value, 100);
    setenv(NAME, "-5", 1);
    cr_expect_eq(config_int(NAME, 0, -10, 10, &value), 0);
    cr_expect_eq(value, -5);
    unsetenv(NAME);
}

Test(config, int_refused_when_out_of_range_or_not_a_number)
{
    const char *bad[] = { "0", "101", "abc", "12abc", "1.5", " ", "99999999999999999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long value = -1;
        setenv(NAME, bad[i], 1);
        cr_expect_eq(config_int(NAME, 42, 1, 100, &value), -1, "value \"%s\"", bad[i]);
        cr_expect_eq(value, -1, "value \"%s\" written", bad[i]);
    }
    unsetenv(NAME);
}

Test(config, development_unless_app_env_says_otherwise)
{
    unsetenv("APP_ENV");
    cr_expect(config_is_development());
    setenv("APP_ENV", "", 1);
    cr_expect(config_is_development());
    setenv("APP_ENV", "development", 1);
    cr_expect(config_is_development());
    setenv("APP_ENV", "production", 1);
    cr_expect_not(config_is_development());
    setenv("APP_ENV", "Development", 1);
    cr_expect_not(config_is_development());
    unsetenv("APP_ENV");
}
