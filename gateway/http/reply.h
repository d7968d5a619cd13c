/*  reply.h: turning a service's reply into the HTTP response.
 *
 *  Success bodies become JSON; paginated replies ({"count", "results"}) get DRF's
 *  "next" and "previous" links. Error replies with a map body pass through as JSON;
 *  with no body the gateway uses DRF's default detail for the status. PROTO_INTERNAL
 *  (and anything malformed) never shows more than {"detail": "A server error
 *  occurred."}.
 */
#ifndef REPLY_H_INCLUDED
#define REPLY_H_INCLUDED

#include "pagination.h"
#include "proto.h"
#include "query.h"
#include "response.h"

/* What a paginated reply needs to build its links. */
typedef struct {
    const char *host;             /* Host header (validated) */
    const char *path;             /* request path */
    const query_t *query;         /* request query */
    page_request_t page;          /* page and page size that were asked for */
} reply_links_t;

/* Fills resp (status and body; other fields untouched) from a decoded reply. links
 * is NULL for routes that are not paginated. */
void reply_to_response(const proto_msg_t *reply, const reply_links_t *links,
                       response_t *resp);

#endif
