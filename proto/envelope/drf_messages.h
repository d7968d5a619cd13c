/*  drf_messages.h: the words of Django REST Framework's (and simplejwt's) stock
 *  answers, in one table. The API promises these exact strings; the gateway, the
 *  broker's envelope defaults and every service use them from here.
 */
#ifndef DRF_MESSAGES_H_INCLUDED
#define DRF_MESSAGES_H_INCLUDED

/* Default details of the error statuses (rest_framework.exceptions). */
#define DRF_NOT_AUTHENTICATED "Authentication credentials were not provided."
#define DRF_PERMISSION_DENIED "You do not have permission to perform this action."
#define DRF_NOT_FOUND "Not found."
#define DRF_SERVER_ERROR "A server error occurred."
/* MethodNotAllowed, with the method's name in place of %s. */
#define DRF_METHOD_NOT_ALLOWED "Method \"%s\" not allowed."
/* A body nested deeper than the bus carries: JSONParser's ParseError shape, with the
 * gateway's own reason. */
#define DRF_JSON_TOO_DEEP "JSON parse error - Maximum nesting depth exceeded."
/* PageNumberPagination: a page that does not exist. */
#define DRF_INVALID_PAGE "Invalid page."

/* Field errors (rest_framework.fields.Field and CharField). */
#define DRF_FIELD_REQUIRED "This field is required."
#define DRF_FIELD_NULL "This field may not be null."
#define DRF_FIELD_BLANK "This field may not be blank."
/* ProhibitNullCharactersValidator: in a field, a path or a query. */
#define DRF_NULL_CHARACTERS "Null characters are not allowed."

/* simplejwt: a token that fails verification. */
#define DRF_TOKEN_INVALID "Given token not valid for any token type"
#define DRF_TOKEN_INVALID_CODE "token_not_valid"

/* The envelope of a bus request did not decode (not DRF's; ours, for the bus). */
#define DRF_MALFORMED_REQUEST "Malformed request."

#endif
