/*  bus_body.h: the body of a bus request made for an HTTP request.
 *
 *  A msgpack map:
 *      "path":      {"<param>": <int>, ...}   only when the route has parameters
 *      "query":     {"<name>": "<value>", ...} every query parameter, last value wins
 *      "data":      <the JSON request body>    only when the request had a body
 *      "page":      <int >= 1>                 paginated routes only
 *      "page_size": <int 1..100>               paginated routes only
 */
#ifndef BUS_BODY_H_INCLUDED
#define BUS_BODY_H_INCLUDED

#include <jansson.h>
#include <msgpack.h>

#include "pagination.h"
#include "query.h"
#include "routes.h"

/* Packs the body map. page is NULL for routes that are not paginated, data NULL
 * when there was no body. Returns 0, or -1 when data nests deeper than the bus
 * accepts (what was packed must then be discarded). */
int bus_body_pack(msgpack_packer *pk, const route_match_t *match, const query_t *query,
                  const json_t *data, const page_request_t *page);

#endif
