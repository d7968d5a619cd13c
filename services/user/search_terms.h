/*  search_terms.h: DRF SearchFilter's ?search= as SQL LIKE patterns.
 *
 *  As DRF's SearchFilter: commas count as spaces, the text is split on whitespace, and
 *  a row matches when every term is a case-insensitive substring of one of the
 *  searched columns. Each term becomes a LIKE pattern "%term%" with the LIKE
 *  metacharacters (% _ \) escaped; the database lowercases patterns and columns with
 *  the same lower(), so "é" finds "É".
 *
 *  The longest terms (up to SEARCH_TERMS_INDEXED) go to separate parameters, so that
 *  one trigram index scan intersects them all; any further terms are checked on the
 *  rows that scan finds.
 */
#ifndef SEARCH_TERMS_H_INCLUDED
#define SEARCH_TERMS_H_INCLUDED

#include <stddef.h>

#include "field_errors.h"

#define SEARCH_TERMS_INDEXED 4
/* DRF's CharField word for a ?search= that is not valid text. */
#define SEARCH_TERMS_INVALID "Not a valid string."

typedef struct {
    int count;                              /* number of terms (0: no filter) */
    char *indexed[SEARCH_TERMS_INDEXED];    /* patterns of the longest terms, longest
                                             * first (NULL past count) */
    char *rest;                             /* the other terms' patterns, as a
                                             * PostgreSQL text[] literal ("{}" if none) */
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
