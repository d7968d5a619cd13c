/*  query.c: query-string parameters. See query.h. */
#include "query.h"

#include <stdlib.h>
#include <string.h>

#include "textbuf.h"
#include "url.h"

query_t *query_new(void)
{
    return calloc(1, sizeof(query_t));
}

void query_destroy(query_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    query_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++) {
        free(self->pairs[i].name);
        free(self->pairs[i].value);
    }
    free(self->pairs);
    free(self);
    *self_p = NULL;
}

/* A malloc'ed, UTF-8-repaired copy of text, or NULL when out of memory. */
static char *sanitized_copy(const char *text, size_t len)
{
    textbuf_t buf;
    textbuf_init(&buf);
    url_utf8_sanitize(&buf, text, len);
    return textbuf_take(&buf, NULL);
}

/* Appends one pair (copies both parts). */
static query_status_t add_pair(query_t *self, const char *name, size_t name_len,
                               const char *value, size_t value_len)
{
    if (self->count == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 4;
        query_pair_t *pairs = realloc(self->pairs, cap * sizeof *pairs);
        if (!pairs)
            return QUERY_NOMEM;
        self->pairs = pairs;
        self->cap = cap;
    }
    char *n = sanitized_copy(name, name_len);
    char *v = sanitized_copy(value, value_len);
    if (!n || !v) {
        free(n);
        free(v);
        return QUERY_NOMEM;
    }
    self->pairs[self->count].name = n;
    self->pairs[self->count].value = v;
    self->count++;
    return QUERY_OK;
}

query_status_t query_add_fragment(query_t *self, const char *fragment, size_t len)
{
    if (memchr(fragment, '\0', len))
        return QUERY_NUL;
    if (len == 0)
        return QUERY_OK;
    const char *eq = memchr(fragment, '=', len);
    if (!eq)
        return add_pair(self, fragment, len, "", 0);
    size_t name_len = (size_t) (eq - fragment);
    return add_pair(self, fragment, name_len, eq + 1, len - name_len - 1);
}

query_status_t query_parse(query_t *self, const char *raw, size_t len)
{
    size_t start = 0;
    while (start <= len) {
        const char *amp = memchr(raw + start, '&', len - start);
        size_t end = amp ? (size_t) (amp - raw) : len;
        textbuf_t part;
        textbuf_init(&part);
        /* Decode name and value separately so an encoded '=' stays in its part. */
        const char *eq = memchr(raw + start, '=', end - start);
        size_t name_end = eq ? (size_t) (eq - raw) : end;
        url_unquote_plus(&part, raw + start, name_end - start);
        size_t decoded_name_len = part.len;
        if (eq) {
            textbuf_putc(&part, '=');
            url_unquote_plus(&part, eq + 1, end - name_end - 1);
        }
        size_t part_len = 0;
        char *text = textbuf_take(&part, &part_len);
        if (!text)
            return QUERY_NOMEM;
        query_status_t rc;
        if (memchr(text, '\0', part_len))
            rc = QUERY_NUL;
        else if (part_len == 0)
            rc = QUERY_OK;
        else if (eq)
            rc = add_pair(self, text, decoded_name_len, text + decoded_name_len + 1,
                          part_len - decoded_name_len - 1);
        else
            rc = add_pair(self, text, part_len, "", 0);
        free(text);
        if (rc != QUERY_OK)
            return rc;
        if (!amp)
            break;
        start = end + 1;
    }
    return QUERY_OK;
}

const char *query_get(const query_t *self, const char *name)
{
    for (size_t i = self->count; i > 0; i--)
        if (strcmp(self->pairs[i - 1].name, name) == 0)
            return self->pairs[i - 1].value;
    return NULL;
}

int query_is_last(const query_t *self, size_t index)
{
    for (size_t i = index + 1; i < self->count; i++)
        if (strcmp(self->pairs[i].name, self->pairs[index].name) == 0)
            return 0;
    return 1;
}

size_t query_distinct(const query_t *self)
{
    size_t n = 0;
    for (size_t i = 0; i < self->count; i++)
        n += (size_t) query_is_last(self, i);
    return n;
}

/* One parameter of a link being encoded: name, value and arrival order. */
typedef struct {
    const char *name;    /* parameter name */
    const char *value;   /* parameter value */
    size_t order;        /* arrival index, keeps values of one name in order */
} link_param_t;

/* qsort order: by name (byte order = code point order for UTF-8), then arrival. */
static int compare_params(const void *a, const void *b)
{
    const link_param_t *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

char *query_encode(const query_t *self, const char *key, const char *value)
{
    link_param_t *params = malloc((self->count + 1) * sizeof *params);
    if (!params)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < self->count; i++)
        if (strcmp(self->pairs[i].name, key) != 0)
            params[n++] = (link_param_t) { self->pairs[i].name, self->pairs[i].value, i };
    if (value)
        params[n++] = (link_param_t) { key, value, self->count };
    qsort(params, n, sizeof *params, compare_params);
    textbuf_t out;
    textbuf_init(&out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            textbuf_putc(&out, '&');
        url_quote_plus(&out, params[i].name, strlen(params[i].name));
        textbuf_putc(&out, '=');
        url_quote_plus(&out, params[i].value, strlen(params[i].value));
    }
    free(params);
    return textbuf_take(&out, NULL);
}
