/*  cors.c: the CORS allow list. See cors.h. */
#include "cors.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

struct cors {
    char **origins;      /* allowed origins, each malloc'ed */
    size_t count;        /* number of origins */
};

/* True when text is "scheme://host[:port]" with no path, query or spaces. */
static bool valid_origin(const char *text)
{
    const char *sep = strstr(text, "://");
    if (!sep || sep == text || !sep[3])
        return false;
    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986) */
    if (!isalpha((unsigned char) text[0]))
        return false;
    for (const char *p = text + 1; p < sep; p++)
        if (!isalnum((unsigned char) *p) && *p != '+' && *p != '-' && *p != '.')
            return false;
    for (const char *p = sep + 3; *p; p++)
        if (*p <= ' ' || *p == '/' || *p == '?' || *p == '#' || (unsigned char) *p >= 0x7f)
            return false;
    return true;
}

cors_t *cors_new(const char *list)
{
    cors_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    const char *p = list ? list : "";
    while (*p) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *start = p;
        while (start < end && isspace((unsigned char) *start))
            start++;
        const char *stop = end;
        while (stop > start && isspace((unsigned char) stop[-1]))
            stop--;
        size_t len = (size_t) (stop - start);
        if (len > 0) {
            char *origin = len <= CORS_ORIGIN_MAX ? strndup(start, len) : NULL;
            char **grown = realloc(self->origins, (self->count + 1) * sizeof *grown);
            if (grown)
                self->origins = grown;
            if (!origin || !grown || !valid_origin(origin)) {
                log_error("CORS_ALLOWED_ORIGINS: each entry must be scheme://host[:port] "
                          "(at most %d characters)", CORS_ORIGIN_MAX);
                free(origin);
                cors_destroy(&self);
                return NULL;
            }
            self->origins[self->count++] = origin;
        }
        p = comma ? comma + 1 : end;
    }
    return self;
}

void cors_destroy(cors_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    cors_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++)
        free(self->origins[i]);
    free(self->origins);
    free(self);
    *self_p = NULL;
}

bool cors_enabled(const cors_t *self)
{
    return self->count > 0;
}

const char *cors_allowed(const cors_t *self, const char *origin, size_t len)
{
    const char *sep = memchr(origin, ':', len);
    if (!sep || memchr(origin, '\0', len))
        return NULL;
    size_t scheme_len = (size_t) (sep - origin);
    for (size_t i = 0; i < self->count; i++) {
        const char *allowed = self->origins[i];
        if (strlen(allowed) == len && strncasecmp(allowed, origin, scheme_len) == 0
            && memcmp(allowed + scheme_len, origin + scheme_len, len - scheme_len) == 0)
            return allowed;
    }
    return NULL;
}
