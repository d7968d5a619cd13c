/*  pagination.h: DRF PageNumberPagination at the edge.
 *
 *  The gateway reads ?page= and ?page_size= exactly as DRF does (Python int() rules,
 *  last value wins), sends "page" and "page_size" to the service, and turns the
 *  service's {"count", "results"} into {"count", "next", "previous", "results"} with
 *  DRF's absolute links.
 */
#ifndef PAGINATION_H_INCLUDED
#define PAGINATION_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

#include "query.h"

#define PAGINATION_DEFAULT_SIZE 20
#define PAGINATION_MAX_SIZE 100

typedef struct {
    int64_t page;        /* 1-based page number */
    int64_t size;        /* rows per page, 1..PAGINATION_MAX_SIZE */
} page_request_t;

/* Reads page and page_size from the query, each as Python's int() reads text
 * (pyint.h). Returns 0, or -1 when the page is not a
 * positive integer (DRF answers 404 {"detail": "Invalid page."}). */
int pagination_parse(const query_t *query, page_request_t *request);
/* True when a page after request->page exists for `count` rows. */
bool pagination_has_next(const page_request_t *request, int64_t count);
/*  The absolute link to page `number` as DRF builds it: http://host + path + the query
 *  with page replaced (or removed for page 1). Returns a malloc'ed string or NULL
 *  when out of memory. */
char *pagination_link(const char *host, const char *path, const query_t *query,
                      int64_t number);

#endif
