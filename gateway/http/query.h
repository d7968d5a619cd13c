/*  query.h: the query-string parameters of one request, in arrival order.
 *
 *  Names and values are stored decoded, NUL-free and valid UTF-8 (invalid sequences
 *  are replaced by U+FFFD, as Django's QueryDict does). Lookups follow Django: the
 *  last value of a repeated name wins. query_encode rebuilds a query string exactly
 *  as DRF's replace_query_param / remove_query_param do for pagination links.
 */
#ifndef QUERY_H_INCLUDED
#define QUERY_H_INCLUDED

#include <stddef.h>

typedef struct {
    char *name;          /* decoded name (malloc'ed, NUL-terminated) */
    char *value;         /* decoded value (malloc'ed, NUL-terminated) */
} query_pair_t;

typedef struct {
    query_pair_t *pairs; /* pairs in arrival order */
    size_t count;        /* pairs used */
    size_t cap;          /* pairs allocated */
} query_t;

/* Result of the adding functions. */
typedef enum {
    QUERY_OK = 0,
    QUERY_NUL = -1,      /* the text holds a NUL byte: the request is a 400 */
    QUERY_NOMEM = -2,    /* allocation failure */
} query_status_t;

/* A new empty parameter list, or NULL when out of memory. */
query_t *query_new(void);
/* Frees the list; sets *self_p to NULL; safe on NULL. */
void query_destroy(query_t **self_p);

/* Adds one already-decoded "name=value" fragment, as libwebsockets hands them over
 * (split at the first '='; no '=' means an empty value; an empty fragment is
 * skipped, as parse_qsl does). */
query_status_t query_add_fragment(query_t *self, const char *fragment, size_t len);
/* Parses a raw query string ("a=1&b=x+y%21"): split on '&', '+' as space, %XX
 * decoded, then added as fragments. */
query_status_t query_parse(query_t *self, const char *raw, size_t len);

/* The last value given for name, or NULL. */
const char *query_get(const query_t *self, const char *name);
/* Number of distinct names. */
size_t query_distinct(const query_t *self);
/* True when pair `index` is the last one carrying its name. */
int query_is_last(const query_t *self, size_t index);

/*  The query string DRF would put in a pagination link: parameters grouped by name,
 *  names sorted, every value quote_plus'ed, `key` replaced by the single `value` or
 *  removed when value is NULL. Returns a malloc'ed string ("" when nothing is left)
 *  or NULL when out of memory. */
char *query_encode(const query_t *self, const char *key, const char *value);

#endif
