/*  Fuzz harness: bus envelopes from a hostile peer. proto_validate must refuse
 *  anything msgpack-c could choke on (counts beyond the bytes left, deep nesting,
 *  trailing bytes); what it accepts must decode as a request or a reply or be
 *  refused cleanly, without a leak or an out-of-bounds read. */
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (proto_validate(data, size) != 0)
        return 0;
    proto_msg_t msg;
    proto_request_decode(data, size, &msg);
    proto_msg_release(&msg);
    proto_reply_decode(data, size, &msg);
    proto_msg_release(&msg);
    return 0;
}
