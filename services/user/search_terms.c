/*  search_terms.c: ?search= split into LIKE patterns. See search_terms.h. */
#include "search_terms.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drf_messages.h"
#include "text.h"

/* A term: a byte range of the search text. */
typedef struct {
    const char *start;  /* first byte */
    size_t len;         /* length in bytes */
} term_t;

/* Appends the LIKE pattern of term to out at *o ("%", escaped term, "%"); inside an
 * array literal, also escapes what the literal's quoting needs. */
static void append_pattern(char *out, size_t *o, const term_t *term, int for_array)
{
    out[(*o)++] = '%';
    for (size_t i = 0; i < term->len; i++) {
        char c = term->start[i];
        if (c == '%' || c == '_' || c == '\\') {
            /* In an array literal the LIKE escape needs escaping itself. */
            if (for_array)
                out[(*o)++] = '\\';
            out[(*o)++] = '\\';
        }
        if (for_array && (c == '"' || c == '\\'))
            out[(*o)++] = '\\';
        out[(*o)++] = c;
    }
    out[(*o)++] = '%';
}

/* A malloc'ed pattern for term, or NULL. */
static char *pattern_of(const term_t *term)
{
    char *out = malloc(2 * term->len + 3);
    if (out) {
        size_t o = 0;
        append_pattern(out, &o, term, 0);
        out[o] = 0;
    }
    return out;
}

/*  True when the code point at text + i (valid UTF-8) separates terms; sets *n to its
 *  length in bytes. */
static bool separator_at(const char *text, size_t len, size_t i, size_t *n)
{
    uint32_t cp;
    *n = utf8_next(text + i, len - i, &cp);
    if (*n == 0) {
        /* Not reached for valid text; a stray byte belongs to a term. */
        *n = 1;
        return false;
    }
    return cp == ',' || text_is_space(cp);
}

/* Splits text (valid UTF-8) into terms (commas and whitespace separate them); returns
 * how many. */
static int split(const char *text, size_t len, term_t *list)
{
    int count = 0;
    size_t i = 0;
    while (i < len) {
        size_t n;
        if (separator_at(text, len, i, &n)) {
            i += n;
            continue;
        }
        term_t term = { text + i, 0 };
        while (i < len) {
            if (separator_at(text, len, i, &n))
                break;
            i += n;
            term.len += n;
        }
        list[count++] = term;
    }
    return count;
}

/* Sorts terms longest first (insertion sort: there are few). */
static void sort_longest_first(term_t *list, int count)
{
    for (int i = 1; i < count; i++) {
        term_t term = list[i];
        int j = i;
        for (; j > 0 && list[j - 1].len < term.len; j--)
            list[j] = list[j - 1];
        list[j] = term;
    }
}

int search_terms_parse(const char *text, size_t len, search_terms_t *terms,
                       field_errors_t *errors)
{
    memset(terms, 0, sizeof *terms);
    if (!utf8_valid(text, len)) {
        field_errors_add(errors, "search", SEARCH_TERMS_INVALID);
        return 0;
    }
    if (memchr(text, 0, len)) {
        field_errors_add(errors, "search", DRF_NULL_CHARACTERS);
        return 0;
    }
    /* At most one term per two bytes of input. */
    term_t *list = calloc(len / 2 + 1, sizeof *list);
    if (!list)
        return -1;
    int rc = -1;
    int count = split(text, len, list);
    terms->count = count;
    if (count == 0) {
        rc = 0;
        goto cleanup;
    }
    sort_longest_first(list, count);
    for (int k = 0; k < SEARCH_TERMS_INDEXED && k < count; k++) {
        terms->indexed[k] = pattern_of(&list[k]);
        if (!terms->indexed[k])
            goto cleanup;
    }
    /* Worst case: every byte escaped twice, plus quotes, percents and commas. */
    terms->rest = malloc(4 * len + 6 * (size_t) count + 3);
    if (!terms->rest)
        goto cleanup;
    size_t o = 0;
    terms->rest[o++] = '{';
    for (int t = SEARCH_TERMS_INDEXED; t < count; t++) {
        if (o > 1)
            terms->rest[o++] = ',';
        terms->rest[o++] = '"';
        append_pattern(terms->rest, &o, &list[t], 1);
        terms->rest[o++] = '"';
    }
    terms->rest[o++] = '}';
    terms->rest[o] = 0;
    rc = 0;
cleanup:
    free(list);
    return rc;
}

void search_terms_release(search_terms_t *terms)
{
    for (int k = 0; k < SEARCH_TERMS_INDEXED; k++) {
        free(terms->indexed[k]);
        terms->indexed[k] = NULL;
    }
    free(terms->rest);
    terms->rest = NULL;
    terms->count = 0;
}
