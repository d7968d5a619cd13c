/*  reply.c: from bus reply to HTTP response. See reply.h. */
#include "reply.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "proto_json.h"

/* A link to page `number`, as a JSON string (or null on failure). */
static json_t *link_value(const reply_links_t *links, int64_t number)
{
    char *url = pagination_link(links->host, links->path, links->query, number);
    json_t *value = url ? json_string(url) : NULL;
    free(url);
    return value;
}

/* Builds {"count", "next", "previous", "results"} from {"count", "results"}.
 * Returns 0, or -1 when the reply is not of that shape. */
static int paginated_response(const msgpack_object *body, const reply_links_t *links,
                              response_t *resp)
{
    int64_t count;
    const msgpack_object *results = proto_map_get(body, "results");
    if (proto_get_int(body, "count", &count) != PROTO_FIELD_OK || count < 0 || !results
        || results->type != MSGPACK_OBJECT_ARRAY)
        return -1;
    json_t *list = proto_json_from_msgpack(results);
    json_t *next = pagination_has_next(&links->page, count)
                       ? link_value(links, links->page.page + 1) : json_null();
    json_t *previous = links->page.page > 1 ? link_value(links, links->page.page - 1)
                                            : json_null();
    json_t *page = NULL;
    if (list && next && previous)
        page = json_pack("{s:I, s:O, s:O, s:O}", "count", (json_int_t) count, "next", next,
                         "previous", previous, "results", list);
    json_decref(list);
    json_decref(next);
    json_decref(previous);
    if (!page)
        return -1;
    response_set_json(resp, 200, page);
    json_decref(page);
    return 0;
}

/* Seconds in a DRF throttle detail ("... Expected available in N seconds."), or 1. */
static int throttle_wait(const msgpack_object *body)
{
    const char *detail;
    size_t len;
    static const char marker[] = "available in ";
    if (proto_get_str(body, "detail", &detail, &len) != PROTO_FIELD_OK)
        return 1;
    const char *at = memmem(detail, len, marker, sizeof marker - 1);
    if (!at)
        return 1;
    size_t i = (size_t) (at - detail) + sizeof marker - 1;
    long seconds = 0;
    while (i < len && isdigit((unsigned char) detail[i]) && seconds < 86400)
        seconds = seconds * 10 + (detail[i++] - '0');
    return seconds > 0 ? (int) seconds : 1;
}

void reply_to_response(const proto_msg_t *reply, const reply_links_t *links,
                       response_t *resp)
{
    int status = reply->status;
    const msgpack_object *body = &reply->body;
    if (!proto_status_valid(status) || status == PROTO_INTERNAL) {
        response_set_internal(resp);
        return;
    }
    int http = proto_status_http(status);
    const char *detail = proto_status_detail(status);
    if (!detail) {
        /* success */
        if (status == PROTO_NO_CONTENT || status == PROTO_RESET_CONTENT
            || body->type == MSGPACK_OBJECT_NIL) {
            response_set_empty(resp, http);
        } else if (links && status == PROTO_OK) {
            if (paginated_response(body, links, resp) != 0) {
                log_error("a paginated reply is not {\"count\", \"results\"}");
                response_set_internal(resp);
            }
        } else {
            json_t *value = proto_json_from_msgpack(body);
            if (value)
                response_set_json(resp, http, value);
            else
                response_set_internal(resp);
            json_decref(value);
        }
        return;
    }
    json_t *value = body->type == MSGPACK_OBJECT_MAP ? proto_json_from_msgpack(body) : NULL;
    if (value)
        response_set_json(resp, http, value);
    else
        response_set_detail(resp, http, detail);
    json_decref(value);
    if (status == PROTO_UNAUTHORIZED)
        resp->www_authenticate = true;
    else if (status == PROTO_UNAVAILABLE)
        resp->retry_after = 1;
    else if (status == PROTO_THROTTLED)
        resp->retry_after = throttle_wait(body);
}
