/*  search_terms.h: DRF SearchFilter's ?search= as SQL LIKE patterns.
 *
 *  As DRF's SearchFilter: commas count as spaces, the text is split on whitespace, and
 *  a row matches when every term is a case-insensitive substring of one of the
 *  searched columns. Each term becomes a LIKE pattern "%term%" with the LIKE
 *  metacharacters (% _ \) escaped; the database lowercases patterns and columns with
 *  the same lower(), so "é" finds "É". The patterns go to the database as one text[]
 *  parameter (sql/008's user_search_page plans the match for them), longest first
 *  (the likeliest to fail is tested first).
 */
#ifndef SEARCH_TERMS_H_INCLUDED
#define SEARCH_TERMS_H_INCLUDED

#include <stddef.h>

#include "field_errors.h"

/* DRF's CharField word for a ?search= that is not valid text. */
#define SEARCH_TERMS_INVALID "Not a valid string."

typedef struct {
    int count;          /* number of terms (0: no filter) */
    char *patterns;     /* their patterns, longest first, as a PostgreSQL text[]
                         * literal (NULL when count is 0) */
} search_terms_t;

/*  Splits [text, text+len) into terms. Text that is not valid UTF-8
 *  (SEARCH_TERMS_INVALID) or holds a NUL (DRF_NULL_CHARACTERS) is refused with its
 *  error under "search" and no terms. Returns 0, or -1 when out of memory. The caller
 *  frees with search_terms_release, whatever the result. */
int search_terms_parse(const char *text, size_t len, search_terms_t *terms,
                       field_errors_t *errors);
/* Frees the patterns; the terms are empty again (safe to call twice). */
void search_terms_release(search_terms_t *terms);

#endif
