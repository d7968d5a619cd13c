/*  Unit tests for password.c: Argon2id hashes in Django's format, the dummy path for
 *  unknown users, and stored hashes that are malformed or hostile. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "password.h"

/* Cheap parameters: 1 pass over 8 MiB. */
#define OPS 1
#define MEM (8192u * 1024u)

static password_hasher_t *hasher;

static void setup(void)
{
    hasher = password_hasher_new(OPS, MEM);
    cr_assert_not_null(hasher);
}

static void teardown(void)
{
    password_hasher_destroy(&hasher);
    cr_assert_null(hasher);
}

TestSuite(password, .init = setup, .fini = teardown);

Test(password, hash_has_djangos_format)
{
    char hash[PASSWORD_HASH_MAX];
    cr_assert_eq(password_hash(hasher, "correct horse", 13, hash, sizeof hash), 0);
    cr_assert_eq(strncmp(hash, "argon2$argon2id$v=19$m=8192,t=1,p=1$", 36), 0, "%s", hash);
    /* argon2$argon2id$v=19$m=...,t=...,p=...$salt$hash: seven '$'-separated parts. */
    int dollars = 0;
    for (const char *p = hash; *p; p++)
        dollars += *p == '$';
    cr_assert_eq(dollars, 5);
}

Test(password, verify_right_and_wrong)
{
    char hash[PASSWORD_HASH_MAX];
    cr_assert_eq(password_hash(hasher, "correct horse", 13, hash, sizeof hash), 0);
    cr_assert(password_verify(hasher, hash, "correct horse", 13));
    cr_assert_not(password_verify(hasher, hash, "correct horsf", 13));
    cr_assert_not(password_verify(hasher, hash, "correct hors", 12));
    cr_assert_not(password_verify(hasher, hash, "", 0));
}

Test(password, salted)
{
    char a[PASSWORD_HASH_MAX], b[PASSWORD_HASH_MAX];
    cr_assert_eq(password_hash(hasher, "same", 4, a, sizeof a), 0);
    cr_assert_eq(password_hash(hasher, "same", 4, b, sizeof b), 0);
    cr_assert_str_neq(a, b);
    cr_assert(password_verify(hasher, a, "same", 4));
    cr_assert(password_verify(hasher, b, "same", 4));
}

Test(password, any_bytes_and_unicode)
{
    char hash[PASSWORD_HASH_MAX];
    const char pw[] = "p\xc3\xa4ss\x00w\xe2\x82\xacrd";
    cr_assert_eq(password_hash(hasher, pw, sizeof pw - 1, hash, sizeof hash), 0);
    cr_assert(password_verify(hasher, hash, pw, sizeof pw - 1));
    /* The bytes after the NUL count. */
    cr_assert_not(password_verify(hasher, hash, pw, 6));
}

Test(password, hash_buffer_too_small)
{
    char hash[40];
    cr_assert_eq(password_hash(hasher, "x", 1, hash, sizeof hash), -1);
}

Test(password, dummy_path_always_fails)
{
    cr_assert_not(password_verify(hasher, NULL, "anything", 8));
    cr_assert_not(password_verify(hasher, NULL, "", 0));
}

Test(password, verifies_hashes_made_with_other_parameters)
{
    /* A hash made with other costs (e.g. before a configuration change) still verifies:
     * the parameters are read from the stored string. */
    password_hasher_t *other = password_hasher_new(2, 16384u * 1024u);
    cr_assert_not_null(other);
    char hash[PASSWORD_HASH_MAX];
    cr_assert_eq(password_hash(other, "secret pw", 9, hash, sizeof hash), 0);
    cr_assert_eq(strncmp(hash, "argon2$argon2id$v=19$m=16384,t=2,p=1$", 37), 0);
    cr_assert(password_verify(hasher, hash, "secret pw", 9));
    password_hasher_destroy(&other);
}

Test(password, malformed_stored_hashes_never_match_or_crash)
{
    char good[PASSWORD_HASH_MAX];
    cr_assert_eq(password_hash(hasher, "pw", 2, good, sizeof good), 0);
    const char *libsodium_only = good + strlen("argon2");
    char truncated[PASSWORD_HASH_MAX];
    snprintf(truncated, sizeof truncated, "%.*s", (int) strlen(good) - 10, good);
    char no_hash[PASSWORD_HASH_MAX];
    snprintf(no_hash, sizeof no_hash, "%.*s", (int) (strrchr(good, '$') - good + 1), good);
    char *huge = malloc(10001);
    memset(huge, 'A', 10000);
    memcpy(huge, good, strlen(good));
    huge[10000] = 0;

    const char *stored[] = {
        "", "argon2", "argon2$", "argon2$argon2id$", "argon2$argon2id$v=19$",
        "argon2$argon2id$v=19$m=8192,t=1,p=1$", "argon2$argon2id$v=19$m=8192,t=1,p=1$$",
        "argon2$argon2i$v=19$m=8192,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        "argon2$argon2id$v=16$m=8192,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "argon2$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "argon2$argon2id$v=19$m=8192,t=4294967295,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "argon2$argon2id$v=19$m=8192,t=1,p=0$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "argon2$argon2id$v=19$m=99999999999999999999,t=1,p=1$c2FsdA$aGFzaA",
        "argon2$argon2id$v=19$m=-1,t=1,p=1$c2FsdA$aGFzaA",
        "argon2$argon2id$v=19$m=8192,t=1,p=1$!!!!$????",
        "argon2$argon2id$v=19$t=1,m=8192,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "pbkdf2_sha256$600000$salt$hash=", "bcrypt_sha256$$2b$12$abc", "!unusablepassword",
        "md5$salt$5ebe2294ecd0e0f08eab7690d2a6ee69", libsodium_only, truncated, no_hash, huge,
    };
    for (size_t i = 0; i < sizeof stored / sizeof stored[0]; i++)
        cr_assert_not(password_verify(hasher, stored[i], "pw", 2), "stored[%zu] matched", i);
    free(huge);
}

Test(password, parameters_out_of_range)
{
    cr_assert_null(password_hasher_new(0, MEM));
    cr_assert_null(password_hasher_new(1000, MEM));
    cr_assert_null(password_hasher_new(OPS, 1024));
    cr_assert_null(password_hasher_new(OPS, (size_t) 64 << 30));
}

Test(password, from_env)
{
    setenv("PASSWORD_HASH_OPSLIMIT", "1", 1);
    setenv("PASSWORD_HASH_MEMLIMIT_KIB", "8192", 1);
    password_hasher_t *h = password_hasher_new_from_env();
    cr_assert_not_null(h);
    char hash[PASSWORD_HASH_MAX];
    cr_assert_eq(password_hash(h, "pw", 2, hash, sizeof hash), 0);
    cr_assert_eq(strncmp(hash, "argon2$argon2id$v=19$m=8192,t=1,p=1$", 36), 0);
    password_hasher_destroy(&h);
    password_hasher_destroy(&h);

    const char *bad_ops[] = { "0", "abc", "2x", "100", "-1" };
    for (size_t i = 0; i < sizeof bad_ops / sizeof bad_ops[0]; i++) {
        setenv("PASSWORD_HASH_OPSLIMIT", bad_ops[i], 1);
        cr_assert_null(password_hasher_new_from_env(), "opslimit %s", bad_ops[i]);
    }
    setenv("PASSWORD_HASH_OPSLIMIT", "1", 1);
    const char *bad_mem[] = { "0", "7", "lots", "99999999999" };
    for (size_t i = 0; i < sizeof bad_mem / sizeof bad_mem[0]; i++) {
        setenv("PASSWORD_HASH_MEMLIMIT_KIB", bad_mem[i], 1);
        cr_assert_null(password_hasher_new_from_env(), "memlimit %s", bad_mem[i]);
    }
}
