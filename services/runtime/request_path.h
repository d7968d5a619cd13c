/*  request_path.h: the path parameters of a route, as the gateway sends them.
 *
 *  For a route such as /api/users/{id}/ the gateway puts {"path": {"id": N}} in the
 *  request body; the service reads it here.
 */
#ifndef REQUEST_PATH_H_INCLUDED
#define REQUEST_PATH_H_INCLUDED

#include <stdint.h>

#include "proto.h"

/*  The {id} of the route, or 0 when it is absent or not a positive integer (so no
 *  row can have it). */
int64_t request_path_id(const proto_msg_t *request);

#endif
