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

/* Appends the LIKE pattern of term to out at *o ("%", escaped term, "%"), escaped
 * again for a quoted element of an array literal. */
static void append_pattern(char *out, size_t *o, const term_t *term)
{
    out[(*o)++] = '%';
    for (size_t i = 0; i < term->len; i++) {
        char c = term->start[i];
        if (c == '%' || c == '_' || c == '\\') {
            /* In an array literal the LIKE escape needs escaping itself. */
            out[(*o)++] = '\\';
            out[(*o)++] = '\\';
        }
        if (c == '"' || c == '\\')
            out[(*o)++] = '\\';
        out[(*o)++] = c;
    }
    out[(*o)++] = '%';
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

/* Sorts terms longest first (insertion sort: there are few): a longer term is
 * usually the rarer, and where users are walked in id order with the LIKEs as a
 * filter, PostgreSQL tests them in this order and stops at the first that fails. */
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
    /* Worst case: every byte escaped twice, plus quotes, percents and commas. */
    terms->patterns = malloc(4 * len + 6 * (size_t) count + 3);
    if (!terms->patterns)
        goto cleanup;
    size_t o = 0;
    terms->patterns[o++] = '{';
    for (int t = 0; t < count; t++) {
        if (o > 1)
            terms->patterns[o++] = ',';
        terms->patterns[o++] = '"';
        append_pattern(terms->patterns, &o, &list[t]);
        terms->patterns[o++] = '"';
    }
    terms->patterns[o++] = '}';
    terms->patterns[o] = 0;
    rc = 0;
cleanup:
    free(list);
    return rc;
}

void search_terms_release(search_terms_t *terms)
{
    free(terms->patterns);
    terms->patterns = NULL;
    terms->count = 0;
}
