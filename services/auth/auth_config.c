/*  auth_config.c: the auth service's own settings. See auth_config.h. */
#include "auth_config.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config.h"
#include "log.h"
#include "token.h"

/* Longest token lifetimes accepted: one year of access, ten years of refresh. */
#define ACCESS_LIFETIME_MAX (366L * 86400)
#define REFRESH_LIFETIME_MAX (3660L * 86400)

/*  Lowers this thread's CPU priority to AUTH_NICE before the workers and actors are
 *  started (they inherit it). Each password check is ~100 ms of CPU at the default
 *  parameters; at nice 0 a login flood takes the cores from the cheap reads of the
 *  other services, whose p99 doubles. A value below the current one (which only a
 *  privileged process may set) keeps the current one. Returns 0, or -1 on a bad value. */
static int lower_priority(void)
{
    long nice_value;
    if (config_int("AUTH_NICE", AUTH_NICE_DEFAULT, 0, 19, &nice_value) != 0)
        return -1;
    errno = 0;
    int current = getpriority(PRIO_PROCESS, 0);
    if (errno == 0 && current >= nice_value)
        return 0;
    if (setpriority(PRIO_PROCESS, 0, (int) nice_value) != 0)
        log_warn("cannot lower the auth service's priority to nice %ld: %s", nice_value,
                 strerror(errno));
    return 0;
}

int auth_config_setup(const void **state)
{
    long access, refresh;
    if (lower_priority() != 0)
        return -1;
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
