/*  Unit tests of gateway/http/access_tokens.c: a token that passed is answered from
 *  memory until its exp, and only then; nothing that failed is ever remembered. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "access_tokens.h"
#include "token.h"

static const unsigned char SECRET[] = "unit-test-secret-0123456789abcdef0123456789";
#define SECRET_LEN (sizeof SECRET - 1)
#define NOW ((time_t) 1800000000)

static access_tokens_t *tokens;

static void setup(void)
{
    tokens = access_tokens_new(SECRET, SECRET_LEN);
    cr_assert_not_null(tokens);
}

static void teardown(void)
{
    access_tokens_destroy(&tokens);
}

TestSuite(access_tokens, .init = setup, .fini = teardown);

static char *issue(token_type_t type, int64_t user, int64_t lifetime)
{
    char *t = token_issue(SECRET, SECRET_LEN, type, user, lifetime, NOW, NULL);
    cr_assert_not_null(t);
    return t;
}

Test(access_tokens, a_valid_token_is_verified_once_then_remembered)
{
    char *t = issue(TOKEN_ACCESS, 42, 300);
    int64_t uid = 0;
    cr_assert_eq(access_tokens_verify(tokens, t, strlen(t), NOW, &uid), 0);
    cr_assert_eq(uid, 42);
    for (int i = 0; i < 3; i++) {
        uid = 0;
        cr_assert_eq(access_tokens_verify(tokens, t, strlen(t), NOW + 10, &uid), 0);
        cr_assert_eq(uid, 42);
    }
    cr_assert_eq(access_tokens_verified(tokens), 1);
    cr_assert_eq(access_tokens_remembered(tokens), 3);
    free(t);
}

Test(access_tokens, a_remembered_token_still_expires)
{
    char *t = issue(TOKEN_ACCESS, 7, 300);
    int64_t uid;
    cr_assert_eq(access_tokens_verify(tokens, t, strlen(t), NOW, &uid), 0);
    cr_assert_eq(access_tokens_verify(tokens, t, strlen(t), NOW + 299, &uid), 0);
    cr_assert_eq(access_tokens_verify(tokens, t, strlen(t), NOW + 300, &uid), -1);
    cr_assert_eq(access_tokens_verify(tokens, t, strlen(t), NOW + 10000, &uid), -1);
    free(t);
}

Test(access_tokens, refused_tokens_are_never_remembered)
{
    char *refresh = issue(TOKEN_REFRESH, 9, 3600);
    char *expired = issue(TOKEN_ACCESS, 9, 300);
    char *forged = issue(TOKEN_ACCESS, 9, 300);
    forged[strlen(forged) - 2] ^= 1;             /* another signature */
    int64_t uid = 0;
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(access_tokens_verify(tokens, refresh, strlen(refresh), NOW, &uid), -1);
        cr_assert_eq(access_tokens_verify(tokens, expired, strlen(expired), NOW + 301, &uid), -1);
        cr_assert_eq(access_tokens_verify(tokens, forged, strlen(forged), NOW, &uid), -1);
        cr_assert_eq(access_tokens_verify(tokens, "", 0, NOW, &uid), -1);
        cr_assert_eq(access_tokens_verify(tokens, "garbage", 7, NOW, &uid), -1);
    }
    cr_assert_eq(access_tokens_remembered(tokens), 0);
    cr_assert_eq(uid, 0);
    free(refresh);
    free(expired);
    free(forged);
}

Test(access_tokens, only_the_same_bytes_hit)
{
    char *t = issue(TOKEN_ACCESS, 5, 300);
    size_t len = strlen(t);
    int64_t uid;
    cr_assert_eq(access_tokens_verify(tokens, t, len, NOW, &uid), 0);
    /* A prefix, the token with a byte more, with a NUL inside: verified, refused. */
    cr_assert_eq(access_tokens_verify(tokens, t, len - 1, NOW, &uid), -1);
    char *longer = malloc(len + 2);
    memcpy(longer, t, len);
    longer[len] = 'A';
    longer[len + 1] = '\0';
    cr_assert_eq(access_tokens_verify(tokens, longer, len + 1, NOW, &uid), -1);
    longer[len] = '\0';
    cr_assert_eq(access_tokens_verify(tokens, longer, len + 1, NOW, &uid), -1);
    cr_assert_eq(access_tokens_remembered(tokens), 0);
    /* The token given without a terminating NUL (a header's bytes). */
    memcpy(longer, t, len);
    longer[len] = ' ';
    cr_assert_eq(access_tokens_verify(tokens, longer, len, NOW, &uid), 0);
    cr_assert_eq(access_tokens_remembered(tokens), 1);
    free(longer);
    free(t);
}

Test(access_tokens, many_users_share_the_bounded_memory)
{
    enum { USERS = 20000 };    /* some sets overflow: evictions happen */
    static char *issued[USERS];
    for (int i = 0; i < USERS; i++)
        issued[i] = issue(TOKEN_ACCESS, i + 1, 300);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < USERS; i++) {
            int64_t uid = 0;
            cr_assert_eq(access_tokens_verify(tokens, issued[i], strlen(issued[i]), NOW, &uid), 0);
            cr_assert_eq(uid, i + 1, "each answer is its own token's user");
        }
    cr_assert_eq(access_tokens_verified(tokens) + access_tokens_remembered(tokens), 2 * USERS);
    cr_assert_gt(access_tokens_remembered(tokens), USERS * 9 / 10);
    for (int i = 0; i < USERS; i++)
        free(issued[i]);
}

Test(access_tokens, another_key_refuses_what_this_one_issued)
{
    static const unsigned char OTHER[] = "another-secret-0123456789abcdef0123456789ab";
    access_tokens_t *other = access_tokens_new(OTHER, sizeof OTHER - 1);
    char *t = issue(TOKEN_ACCESS, 3, 300);
    int64_t uid;
    cr_assert_eq(access_tokens_verify(tokens, t, strlen(t), NOW, &uid), 0);
    cr_assert_eq(access_tokens_verify(other, t, strlen(t), NOW, &uid), -1);
    access_tokens_destroy(&other);
    free(t);
}
