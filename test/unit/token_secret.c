/*  Unit tests of lib/token/token_secret.c: where the JWT secret comes from and what is
 *  refused. Each Criterion test runs in its own process, so setenv stays local. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "token.h"

static const char good[] = "0123456789abcdef0123456789abcdef-long-enough";

/* Writes text to a fresh temporary file and returns its path (static buffer). */
static const char *secret_file(const char *text, size_t len)
{
    static char path[] = "/tmp/token-secret-XXXXXX";
    strcpy(path, "/tmp/token-secret-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, len), (ssize_t) len);
    close(fd);
    return path;
}

Test(token_secret, no_secret_is_refused_in_every_environment)
{
    unsetenv("JWT_SECRET");
    unsetenv("JWT_SECRET_FILE");
    char buf[128];
    setenv("APP_ENV", "development", 1);
    cr_assert_eq(token_secret_load(buf, sizeof buf), -1);
    setenv("APP_ENV", "production", 1);
    cr_assert_eq(token_secret_load(buf, sizeof buf), -1);
}

Test(token_secret, from_the_environment)
{
    unsetenv("JWT_SECRET_FILE");
    setenv("JWT_SECRET", good, 1);
    char buf[128];
    cr_assert_eq(token_secret_load(buf, sizeof buf), (int) strlen(good));
    cr_assert_str_eq(buf, good);
}

Test(token_secret, short_secrets_are_refused)
{
    unsetenv("JWT_SECRET_FILE");
    setenv("JWT_SECRET", "too-short-for-hs256", 1);
    char buf[128];
    cr_assert_eq(token_secret_load(buf, sizeof buf), -1);
}

Test(token_secret, from_a_file_without_its_trailing_newline)
{
    char text[128];
    snprintf(text, sizeof text, "%s\n", good);
    const char *path = secret_file(text, strlen(text));
    unsetenv("JWT_SECRET");
    setenv("JWT_SECRET_FILE", path, 1);
    char buf[128];
    cr_assert_eq(token_secret_load(buf, sizeof buf), (int) strlen(good));
    cr_assert_str_eq(buf, good);
    unlink(path);
}

Test(token_secret, both_sources_at_once_are_refused)
{
    const char *path = secret_file(good, strlen(good));
    setenv("JWT_SECRET_FILE", path, 1);
    setenv("JWT_SECRET", good, 1);
    char buf[128];
    cr_assert_eq(token_secret_load(buf, sizeof buf), -1);
    unlink(path);
}

Test(token_secret, a_file_that_fills_the_buffer_is_refused)
{
    char text[64];
    memset(text, 'k', sizeof text);
    const char *path = secret_file(text, sizeof text);
    unsetenv("JWT_SECRET");
    setenv("JWT_SECRET_FILE", path, 1);
    char buf[64];
    cr_assert_eq(token_secret_load(buf, sizeof buf), -1);
    char bigger[65];
    cr_assert_eq(token_secret_load(bigger, sizeof bigger), 64);
    cr_assert_eq(bigger[64], '\0');
    unlink(path);
}

Test(token_secret, an_unreadable_file_is_refused)
{
    unsetenv("JWT_SECRET");
    setenv("JWT_SECRET_FILE", "/nonexistent/secret", 1);
    char buf[128];
    cr_assert_eq(token_secret_load(buf, sizeof buf), -1);
}
