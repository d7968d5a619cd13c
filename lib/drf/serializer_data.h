/*  serializer_data.h: DRF Serializer's first check on a request's data as a whole: it
 *  must be a dictionary.
 *
 *  Anything else is refused under "non_field_errors" before any field is read:
 *  "Invalid data. Expected a dictionary, but got list." (Python's type name), or, for
 *  JSON null, the serializer's own words, which differ between DRF's serializers
 *  (SERIALIZER_DATA_NONE for most, CharField's "This field may not be null." for
 *  auth's registration and token views).
 */
#ifndef SERIALIZER_DATA_H_INCLUDED
#define SERIALIZER_DATA_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>

#include "field_errors.h"

#define SERIALIZER_DATA_NONE "No data provided"
#define SERIALIZER_DATA_INVALID "Invalid data. Expected a dictionary, but got %s."

/*  Finds the request's data: the "data" entry of the body map the gateway sends, NULL
 *  when there is none. Returns false (with *data NULL) when the body itself is neither
 *  a map nor nil, which no gateway sends (the caller answers DRF_MALFORMED_REQUEST). */
bool serializer_data_of(const msgpack_object *body, const msgpack_object **data);

/*  Checks that data is a map; NULL (the request had no data) counts as an empty one.
 *  Otherwise adds null_message (data is nil) or SERIALIZER_DATA_INVALID under
 *  "non_field_errors" and returns false. */
bool serializer_data_check(const msgpack_object *data, const char *null_message,
                           field_errors_t *errors);

#endif
