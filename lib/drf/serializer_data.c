/*  serializer_data.c: the request data must be a dictionary. See serializer_data.h. */
#include "serializer_data.h"

#include "proto.h"
#include "pyvalue.h"

bool serializer_data_of(const msgpack_object *body, const msgpack_object **data)
{
    *data = NULL;
    if (body->type == MSGPACK_OBJECT_NIL)
        return true;
    if (body->type != MSGPACK_OBJECT_MAP)
        return false;
    *data = proto_map_get(body, "data");
    return true;
}

bool serializer_data_check(const msgpack_object *data, const char *null_message,
                           field_errors_t *errors)
{
    if (!data || data->type == MSGPACK_OBJECT_MAP)
        return true;
    if (data->type == MSGPACK_OBJECT_NIL)
        field_errors_add(errors, "non_field_errors", "%s", null_message);
    else
        field_errors_add(errors, "non_field_errors", SERIALIZER_DATA_INVALID,
                         pyvalue_type_name(data));
    return false;
}
