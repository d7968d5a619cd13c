/*  config.c: configuration from the environment. See config.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

const char *config_str(const char *name, const char *fallback)
{
    const char *value = getenv(name);
    return value && *value ? value : fallback;
}

int config_int(const char *name, long fallback, long min, long max, long *value)
{
    const char *text = getenv(name);
    if (!text || !*text) {
        *value = fallback;
        return 0;
    }
    errno = 0;
    char *end = NULL;
    long parsed = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != 0 || parsed < min || parsed > max) {
        log_error("%s must be an integer from %ld to %ld", name, min, max);
        return -1;
    }
    *value = parsed;
    return 0;
}

bool config_is_development(void)
{
    const char *env = config_str("APP_ENV", "development");
    return strcmp(env, "development") == 0;
}
