/*  Unit tests of services/auth/throttle.c: rates as the configuration writes them,
 *  and DRF's 429 wording. (Counting is tested against the database in
 *  test/integration/auth.c and through the gateway in test/e2e/test_throttle.py.) */
#include <criterion/criterion.h>
#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "throttle.h"

/* Parses text and checks the rate, or that it is refused (limit -1). */
static void check_rate(const char *text, long limit, long window_s)
{
    throttle_rate_t rate;
    int rc = throttle_rate_parse(text, &rate);
    if (limit < 0) {
        cr_assert_eq(rc, -1, "%s should be refused", text);
        return;
    }
    cr_assert_eq(rc, 0, "%s", text);
    cr_assert_eq(rate.limit, limit, "%s: limit %ld", text, rate.limit);
    cr_assert_eq(rate.window_s, window_s, "%s: window %ld", text, rate.window_s);
}

Test(throttle, rates)
{
    check_rate("10/15m", 10, 900);
    check_rate("10/900", 10, 900);
    check_rate("200/h", 200, 3600);
    check_rate("5/2d", 5, 172800);
    check_rate("1/30s", 1, 30);
    check_rate("off", 0, 0);
    check_rate("", 0, 0);
    check_rate(NULL, 0, 0);
}

Test(throttle, bad_rates_are_refused)
{
    const char *bad[] = { "10", "10/", "/60", "0/60", "-1/60", "10/0", "10/15x", "10/15mm",
                          "10/8d", "x/60", "10/60 ", "1000001/60" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        check_rate(bad[i], -1, 0);
}

Test(throttle, defaults)
{
    unsetenv("THROTTLE_LOGIN");
    unsetenv("THROTTLE_LOGIN_PER_ADDRESS");
    unsetenv("THROTTLE_REGISTER");
    throttle_config_t config;
    cr_assert_eq(throttle_config_load(&config), 0);
    cr_assert_eq(config.login.limit, 10);
    cr_assert_eq(config.login.window_s, 900);
    cr_assert_eq(config.login_address.limit, 200);
    cr_assert_eq(config.registration.limit, 0, "registrations are not throttled by default");
    setenv("THROTTLE_REGISTER", "20/1h", 1);
    cr_assert_eq(throttle_config_load(&config), 0);
    cr_assert_eq(config.registration.limit, 20);
    setenv("THROTTLE_LOGIN", "ten per minute", 1);
    cr_assert_eq(throttle_config_load(&config), -1);
}

/* The detail throttle_answer packs for a wait of seconds. */
static char *detail_of(long seconds)
{
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    cr_assert_eq(throttle_answer(&pk, seconds), PROTO_THROTTLED);
    msgpack_unpacked up;
    msgpack_unpacked_init(&up);
    cr_assert_eq(msgpack_unpack_next(&up, buf.data, buf.size, NULL), MSGPACK_UNPACK_SUCCESS);
    const char *text;
    size_t len;
    cr_assert_eq(proto_get_str(&up.data, "detail", &text, &len), PROTO_FIELD_OK);
    char *copy = strndup(text, len);
    msgpack_unpacked_destroy(&up);
    msgpack_sbuffer_destroy(&buf);
    return copy;
}

Test(throttle, drf_wording_singular_and_plural)
{
    char *one = detail_of(1), *many = detail_of(899);
    cr_assert_str_eq(one, "Request was throttled. Expected available in 1 second.");
    cr_assert_str_eq(many, "Request was throttled. Expected available in 899 seconds.");
    free(one);
    free(many);
}
