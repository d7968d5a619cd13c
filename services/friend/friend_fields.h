/*  friend_fields.h: the fields of the friend routes, read as DRF's serializers and
 *  filters read them, with DRF's messages.
 *
 *  - The request data must be a dictionary ("Invalid data. Expected a dictionary, but
 *    got list."); JSON null is "No data provided" (both under non_field_errors):
 *    handlers.c checks it with serializer_data.h before reading these fields.
 *  - receiver (PrimaryKeyRelatedField): missing "This field is required.", null or ""
 *    "This field may not be null.", a bool/list/dict or a string that is not an
 *    integer "Incorrect type. Expected pk value, received str.". Numbers and integer
 *    strings are looked up as Django would (int() of them).
 *  - status (ChoiceField of accepted/rejected): anything else is
 *    "\"maybe\" is not a valid choice." (Python's str() of the value).
 *  - ?direction= (incoming by default, or outgoing): anything else is
 *    {"direction": ["\"x\" is not a valid choice."]}.
 */
#ifndef FRIEND_FIELDS_H_INCLUDED
#define FRIEND_FIELDS_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>

#include "field_errors.h"

/* Longest rendering of a value kept in a message (cut at a character boundary). */
#define FRIEND_FIELDS_SHOWN_MAX 160

typedef struct {
    int64_t id;                              /* the id to look up; 0 when none can exist */
    char shown[FRIEND_FIELDS_SHOWN_MAX + 1]; /* the value as Python prints it, for
                                              * 'Invalid pk "N" - object does not exist.' */
} friend_receiver_t;

typedef enum {
    FRIEND_DIRECTION_INCOMING,   /* requests the caller received */
    FRIEND_DIRECTION_OUTGOING,   /* requests the caller sent */
} friend_direction_t;

/*  Reads data["receiver"]. Returns 0 with *receiver filled, or -1 with the error
 *  reported under "receiver". */
int friend_fields_receiver(const msgpack_object *data, friend_receiver_t *receiver,
                           field_errors_t *errors);

/*  Reads data["status"] into *status ("accepted" or "rejected", static strings).
 *  Returns 0, or -1 with the error reported under "status". */
int friend_fields_status(const msgpack_object *data, const char **status,
                         field_errors_t *errors);

/*  Reads ?direction= from the request's "query" map. Returns 0, or -1 with the error
 *  reported under "direction". */
int friend_fields_direction(const msgpack_object *query, friend_direction_t *direction,
                            field_errors_t *errors);

#endif
