/*  page.h: DRF PageNumberPagination on the service side.
 *
 *  For paginated routes the gateway parses ?page= and ?page_size= (DRF's rules: a page
 *  that is not a positive integer is "Invalid page."; a bad page_size falls back to the
 *  default, a large one is capped at 100) and sends the request body fields
 *  "page" (>= 1) and "page_size" (1..100). The service counts the rows, checks the page
 *  exists, fetches LIMIT/OFFSET and replies {"count": N, "results": [...]}; the gateway
 *  adds the absolute "next" and "previous" links.
 *
 *  A paginated statement ($1 caller, $2 limit, $3 offset) returns the total, whether
 *  the caller still exists and the page in one round trip: always at least one row,
 *  with the total in column 0, the caller's existence in column 1 and the page's
 *  objects from column 2 on (NULL there when the page is empty). page_pack turns
 *  those rows into the reply.
 */
#ifndef PAGE_H_INCLUDED
#define PAGE_H_INCLUDED

#include <libpq-fe.h>
#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

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
proto_status_t page_invalid(msgpack_packer *out);

/* Packs one row's object whose columns start at `col`. Returns 0, or -1 when the row
 * holds none there. */
typedef int (*page_row_fn)(msgpack_packer *pk, const PGresult *res, int row, int col);

/*  Packs the reply of a paginated statement's rows (see the top of this file):
 *  {"count", "results": [pack_row of each row]}. Returns PROTO_OK; PROTO_UNAUTHORIZED
 *  (packed) when the caller is gone; PROTO_NOT_FOUND (packed) when the page does not
 *  exist; PROTO_INTERNAL when the rows are not a page or a row does not pack. */
proto_status_t page_pack(const PGresult *res, const page_t *page, page_row_fn pack_row,
                         msgpack_packer *out);

struct db;
/*  A list method whole: reads the page from the request body, runs the paginated
 *  statement `statement` ($1 the caller, $2 limit, $3 offset) on db and packs its page
 *  with pack_row. Returns page_pack's status, 404 "Invalid page." (packed) for a page
 *  out of range, or the database failure's status. */
proto_status_t page_of_caller(struct db *db, const proto_msg_t *req, const char *statement,
                              page_row_fn pack_row, msgpack_packer *out);

#endif
