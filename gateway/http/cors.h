/*  cors.h: cross-origin decisions, as django-cors-headers makes them with
 *  CORS_ALLOWED_ORIGINS and its default settings.
 *
 *  An Origin in the list gets Access-Control-Allow-Origin with that origin; OPTIONS
 *  requests from it also get the allowed methods, headers and max age. Other origins
 *  get no CORS headers. When the list is not empty every response varies on Origin.
 */
#ifndef CORS_H_INCLUDED
#define CORS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#define CORS_ALLOW_METHODS "DELETE, GET, OPTIONS, PATCH, POST, PUT"
#define CORS_ALLOW_HEADERS \
    "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with"
#define CORS_MAX_AGE "86400"
/* The request header that makes an OPTIONS request a preflight (lws custom-header
 * form: lower case, with the colon). */
#define CORS_PREFLIGHT_HEADER "access-control-request-method:"
/* Longest origin accepted in the list (longer entries are refused at start). */
#define CORS_ORIGIN_MAX 255

typedef struct cors cors_t;

/*  Parses a comma-separated list of origins ("https://app.example.com,
 *  http://localhost:3000"). Entries are trimmed; an entry that is not
 *  scheme://host[:port] is refused. Returns NULL (logged) on a bad entry or when out
 *  of memory. An empty or NULL list allows nothing. */
cors_t *cors_new(const char *list);
/* Frees the list; sets *self_p to NULL; safe on NULL. */
void cors_destroy(cors_t **self_p);
/* True when at least one origin is allowed (responses then vary on Origin). */
bool cors_enabled(const cors_t *self);
/* The allowed origin equal to `origin` (the scheme compared without case), as stored
 * in the list, or NULL when it is not allowed. */
const char *cors_allowed(const cors_t *self, const char *origin, size_t len);

#endif
