/*  auth_config.c: the auth service's own settings. See auth_config.h. */
#include "auth_config.h"

#include <sodium.h>
#include <stdlib.h>

#include "config.h"
#include "token.h"

/* Longest token lifetimes accepted: one year of access, ten years of refresh. */
#define ACCESS_LIFETIME_MAX (366L * 86400)
#define REFRESH_LIFETIME_MAX (3660L * 86400)

int auth_config_setup(const void **state)
{
    long access, refresh;
    auth_config_t *self = calloc(1, sizeof *self);
    if (!self)
        return -1;
    int len = token_secret_load((char *) self->secret, sizeof self->secret);
    if (len < TOKEN_SECRET_MIN)
        goto failed;
    self->secret_len = (size_t) len;
    if (config_int("ACCESS_TOKEN_LIFETIME", 300, 1, ACCESS_LIFETIME_MAX, &access) != 0
        || config_int("REFRESH_TOKEN_LIFETIME", 86400, 1, REFRESH_LIFETIME_MAX, &refresh) != 0)
        goto failed;
    self->access_lifetime = access;
    self->refresh_lifetime = refresh;
    self->hasher = password_hasher_new_from_env();
    if (!self->hasher || throttle_config_load(&self->throttle) != 0)
        goto failed;
    *state = self;
    return 0;

failed:
    auth_config_teardown(self);
    return -1;
}

void auth_config_teardown(const void *state)
{
    auth_config_t *self = (auth_config_t *) state;
    if (!self)
        return;
    password_hasher_destroy(&self->hasher);
    sodium_memzero(self->secret, sizeof self->secret);
    free(self);
}
