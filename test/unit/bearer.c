/*  Unit tests of bearer.c: the Authorization header read like simplejwt. */
#include <criterion/criterion.h>
#include <string.h>

#include "bearer.h"

Test(bearer, simplejwt_rules)
{
    const char *token;
    size_t len;
    const char *h = "Bearer abc.def.ghi";
    cr_assert_eq(bearer_token(h, strlen(h), &token, &len), 0);
    cr_assert_eq(len, 11);
    cr_assert_eq(strncmp(token, "abc.def.ghi", len), 0);
    h = "Bearer   tok \t";
    cr_assert_eq(bearer_token(h, strlen(h), &token, &len), 0);
    cr_assert_eq(len, 3);
    static const char *const bad[] = { "", "Bearer", "Bearer ", "bearer tok", "Basic tok",
                                       "Bearer a b", "Token tok", "Bearertok" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(bearer_token(bad[i], strlen(bad[i]), &token, &len), -1, "\"%s\"", bad[i]);
    cr_assert_eq(bearer_token("Bearer a\0b", 10, &token, &len), -1);
}
