/*  page.h: DRF PageNumberPagination on the service side.
 *
 *  For paginated routes the gateway parses ?page= and ?page_size= (DRF's rules: a page
 *  that is not a positive integer is "Invalid page."; a bad page_size falls back to the
 *  default, a large one is capped at 100) and sends the request body fields
 *  "page" (>= 1) and "page_size" (1..100). The service counts the rows, checks the page
 *  exists, fetches LIMIT/OFFSET and replies {"count": N, "results": [...]}; the gateway
 *  adds the absolute "next" and "previous" links.
 */
#ifndef PAGE_H_INCLUDED
#define PAGE_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>

#define PAGE_SIZE_DEFAULT 20
#define PAGE_SIZE_MAX 100

typedef struct {
    int64_t page;        /* 1-based page number */
    int64_t size;        /* rows per page */
    char limit[24];      /* size as text, for a LIMIT $n parameter */
    char offset[24];     /* (page - 1) * size as text, for an OFFSET $n parameter */
} page_t;

/* Reads "page" and "page_size" from a request body (defaults 1 and 20). Returns 0, or
 * -1 when they are out of range (the caller answers 404 "Invalid page."). */
int page_from_body(const msgpack_object *body, page_t *page);
/* True when the page exists for `count` rows (page 1 always exists, even empty). */
bool page_exists(const page_t *page, int64_t count);
/* Packs 404 {"detail": "Invalid page."} and returns PROTO_NOT_FOUND. */
int page_invalid(msgpack_packer *out);

#endif
