/*  Fuzz harness: request bodies (JSON) turned into msgpack for the bus. Whatever
 *  jansson accepts, proto_json_pack either refuses (too deep) or packs into bytes that
 *  proto_validate accepts and that map back to JSON equal to the input: a mismatch is
 *  a bug, reported by abort(). */
#include <jansson.h>
#include <msgpack.h>
#include <stdint.h>
#include <stdlib.h>

#include "proto.h"
#include "proto_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t error;
    json_t *value = json_loadb((const char *) data, size, JSON_DECODE_ANY, &error);
    if (!value)
        return 0;
    msgpack_sbuffer buf;
    msgpack_sbuffer_init(&buf);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    if (proto_json_pack(&pk, value) == 0) {
        if (proto_validate(buf.data, buf.size) != 0)
            abort();
        msgpack_unpacked unpacked;
        msgpack_unpacked_init(&unpacked);
        if (msgpack_unpack_next(&unpacked, buf.data, buf.size, NULL) != MSGPACK_UNPACK_SUCCESS)
            abort();
        json_t *back = proto_json_from_msgpack(&unpacked.data);
        if (!back || !json_equal(value, back))
            abort();
        json_decref(back);
        msgpack_unpacked_destroy(&unpacked);
    }
    msgpack_sbuffer_destroy(&buf);
    json_decref(value);
    return 0;
}
