/*  proto_json.h: the mapping between JSON (jansson) and msgpack.
 *
 *  JSON objects become msgpack maps with string keys, arrays become arrays, strings
 *  stay UTF-8 strings, integers become msgpack integers, reals become float64, and
 *  true/false/null map to their msgpack twins. The reverse mapping accepts only what
 *  the forward one produces (plus unsigned integers); bin and ext objects are refused.
 */
#ifndef PROTO_JSON_H_INCLUDED
#define PROTO_JSON_H_INCLUDED

#include <jansson.h>
#include <msgpack.h>

/* Packs `value` as msgpack. Returns 0, or -1 when it holds more than PROTO_MAX_DEPTH
 * nested containers (what proto_validate accepts); the packer's output is then junk. */
int proto_json_pack(msgpack_packer *pk, const json_t *value);
/* The same for a value that will sit inside `enclosing` containers of the message
 * (e.g. 2 for a request's body data: the envelope map and the body map), so that the
 * whole message stays within PROTO_MAX_DEPTH. */
int proto_json_pack_nested(msgpack_packer *pk, const json_t *value, int enclosing);
/* A new jansson value for `obj` (caller decrefs), or NULL when it holds a type JSON
 * cannot represent (bin, ext, non-string map keys, non-finite floats). */
json_t *proto_json_from_msgpack(const msgpack_object *obj);

#endif
