/*  token_secret.c: the JWT signing secret from the environment. See token.h. */
#include "token.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "log.h"

/* Reads the secret file into buf (trailing newlines dropped); length or -1. */
static int read_secret_file(const char *path, char *buf, size_t bufsize)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        log_error("JWT_SECRET_FILE cannot be read");
        return -1;
    }
    /* One byte is kept for the terminating NUL. */
    size_t n = fread(buf, 1, bufsize - 1, file);
    int too_long = n == bufsize - 1 && fgetc(file) != EOF;
    fclose(file);
    if (too_long) {
        log_error("JWT_SECRET_FILE holds a secret longer than %zu bytes", bufsize - 1);
        return -1;
    }
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    return (int) n;
}

int token_secret_load(char *buf, size_t bufsize)
{
    const char *inline_secret = config_str("JWT_SECRET", NULL);
    const char *file = config_str("JWT_SECRET_FILE", NULL);
    int len;
    if (inline_secret && file) {
        log_error("set JWT_SECRET or JWT_SECRET_FILE, not both");
        return -1;
    }
    if (file) {
        len = read_secret_file(file, buf, bufsize);
        if (len < 0)
            return -1;
    } else if (inline_secret) {
        size_t n = strlen(inline_secret);
        if (n >= bufsize) {
            log_error("JWT_SECRET is longer than %zu bytes", bufsize - 1);
            return -1;
        }
        memcpy(buf, inline_secret, n);
        len = (int) n;
    } else {
        /* No secret is built in: scripts/run creates one per installation. */
        log_error("JWT_SECRET or JWT_SECRET_FILE is required");
        return -1;
    }
    buf[len] = 0;
    if (len < TOKEN_SECRET_MIN) {
        log_error("the JWT secret must be at least %d bytes", TOKEN_SECRET_MIN);
        return -1;
    }
    return len;
}
