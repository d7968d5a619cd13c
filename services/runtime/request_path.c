/*  request_path.c: a route's path parameters. See request_path.h. */
#include "request_path.h"

int64_t request_path_id(const proto_msg_t *request)
{
    int64_t id = 0;
    if (proto_get_int(proto_map_get(&request->body, "path"), "id", &id) != PROTO_FIELD_OK
        || id < 1)
        return 0;
    return id;
}
