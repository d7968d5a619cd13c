/*  proto.h: the msgpack envelope that every request, reply and event on the bus uses.
 *
 *  A request is a msgpack map:
 *      {"v": 1, "id": <u64 correlation id>, "svc": <service>, "method": <method>,
 *       "uid": <u64 caller's user id, 0 when anonymous>, "body": <any>}
 *  A reply is a msgpack map:
 *      {"v": 1, "id": <u64 correlation id of the request>, "status": <proto_status_t>,
 *       "body": <any>}
 *  Keys may come in any order; unknown keys are ignored. See proto/README.md.
 *
 *  Every decoder here validates the raw bytes first (proto_validate) so that
 *  hostile input can never make msgpack-c allocate more than the input justifies.
 */
#ifndef PROTO_H_INCLUDED
#define PROTO_H_INCLUDED

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_VERSION 1
/* Largest envelope accepted anywhere (also ZMQ_MAXMSGSIZE on bus sockets). */
#define PROTO_MAX_MESSAGE (4 * 1024 * 1024)
/* Deepest container nesting accepted in a body. */
#define PROTO_MAX_DEPTH 32
#define PROTO_NAME_MAX 32
/* Room for a client address in text (an IPv6 address with its NUL). */
#define PROTO_ADDRESS_MAX 46

/*  Outcome of a service call, independent of HTTP. The gateway maps it to an HTTP
 *  status with proto_status_http() and, when the body carries no detail, to DRF's
 *  default error body with proto_status_detail(). */
typedef enum {
    PROTO_OK = 0,              /* 200 */
    PROTO_CREATED = 1,         /* 201 */
    PROTO_NO_CONTENT = 2,      /* 204 */
    PROTO_RESET_CONTENT = 3,   /* 205 */
    PROTO_INVALID = 10,        /* 400: body is {"field": ["message", ...], ...} or {"detail"} */
    PROTO_UNAUTHORIZED = 11,   /* 401: body is {"detail", "code"?} */
    PROTO_FORBIDDEN = 12,      /* 403 */
    PROTO_NOT_FOUND = 13,      /* 404 */
    PROTO_CONFLICT = 14,       /* 409 */
    PROTO_TOO_LARGE = 15,      /* 413 */
    PROTO_THROTTLED = 16,      /* 429 */
    PROTO_INTERNAL = 20,       /* 500: the body is never shown to the client */
    PROTO_UNAVAILABLE = 21,    /* 503: no worker, deadline passed, database down */
} proto_status_t;

/* HTTP status for a service status; 500 for a value that is not a proto_status_t. */
int proto_status_http(int status);
/* DRF's default "detail" text for an error status, or NULL for a success status. */
const char *proto_status_detail(int status);
/* True when the value is one of proto_status_t. */
bool proto_status_valid(int64_t status);

/*  Checks that `data` holds exactly one well-formed msgpack object whose containers
 *  claim no more elements than there are bytes left and nest at most PROTO_MAX_DEPTH
 *  deep. Returns 0 when it is safe to unpack, -1 otherwise. */
int proto_validate(const void *data, size_t size);

/*  A decoded message: owns the unpacked msgpack tree that `body` points into. */
typedef struct {
    uint64_t id;                       /* correlation id */
    char service[PROTO_NAME_MAX];      /* requests: target service */
    char method[PROTO_NAME_MAX];       /* requests: method name */
    uint64_t user_id;                  /* requests: caller, 0 when anonymous */
    char client[PROTO_ADDRESS_MAX];    /* requests: client address, "" when none */
    int status;                        /* replies: proto_status_t */
    msgpack_object body;               /* nil when absent */
    msgpack_unpacked unpacked;         /* storage for the tree */
} proto_msg_t;

/*  Decodes a request envelope into `msg` (which must later be released with
 *  proto_msg_release, whatever the result). Returns 0, or -1 when the bytes are not a
 *  valid version-1 request (wrong types, missing keys, names too long). */
int proto_request_decode(const void *data, size_t size, proto_msg_t *msg);
/* Same for a reply envelope. */
int proto_reply_decode(const void *data, size_t size, proto_msg_t *msg);
/* Frees what a decode allocated; safe to call twice. */
void proto_msg_release(proto_msg_t *msg);

/*  Packs the head of a request envelope: a 6-entry map whose last key is "body".
 *  The caller must pack exactly one object (the body) right after. */
void proto_request_begin(msgpack_packer *pk, uint64_t id, const char *service,
                         const char *method, uint64_t user_id);
/*  The same for a request made on behalf of a client at `client` (its address as
 *  text, what throttles count; NULL or "" for none, as from internal tools, which are
 *  never throttled). */
void proto_request_begin_from(msgpack_packer *pk, uint64_t id, const char *service,
                              const char *method, uint64_t user_id, const char *client);
/*  Packs the head of a reply envelope; the caller packs exactly one body object next. */
void proto_reply_begin(msgpack_packer *pk, uint64_t id, int status);

/* ---- Typed access to map fields (bodies come from outside: nothing is assumed) ---- */

typedef enum {
    PROTO_FIELD_OK = 0,
    PROTO_FIELD_MISSING,     /* key absent */
    PROTO_FIELD_NULL,        /* key present with nil */
    PROTO_FIELD_WRONG_TYPE,  /* present with another type (or out of range) */
} proto_field_t;

/* The value under `key` in `map`, or NULL when `map` is not a map or has no such key. */
const msgpack_object *proto_map_get(const msgpack_object *map, const char *key);
/* A string field: *str points into the tree (not NUL-terminated), *len its length. */
proto_field_t proto_get_str(const msgpack_object *map, const char *key, const char **str,
                            size_t *len);
/* A signed integer field (positive and negative msgpack ints). */
proto_field_t proto_get_int(const msgpack_object *map, const char *key, int64_t *value);
/* A boolean field. */
proto_field_t proto_get_bool(const msgpack_object *map, const char *key, bool *value);
/* Copies a string field into buf (NUL-terminated); WRONG_TYPE if it does not fit
 * or contains a NUL byte. */
proto_field_t proto_copy_str(const msgpack_object *map, const char *key, char *buf,
                             size_t bufsize);

/* ---- Packing helpers (keys and values in one call keep handlers short) ---- */

void proto_pack_str(msgpack_packer *pk, const char *s);
void proto_pack_strn(msgpack_packer *pk, const char *s, size_t len);
void proto_pack_kv_str(msgpack_packer *pk, const char *key, const char *value);
void proto_pack_kv_strn(msgpack_packer *pk, const char *key, const char *value, size_t len);
/* A string value, or nil when value is NULL. */
void proto_pack_kv_str_or_nil(msgpack_packer *pk, const char *key, const char *value);
void proto_pack_kv_int(msgpack_packer *pk, const char *key, int64_t value);
void proto_pack_kv_bool(msgpack_packer *pk, const char *key, bool value);
void proto_pack_kv_nil(msgpack_packer *pk, const char *key);
/* {"detail": detail} */
void proto_pack_detail(msgpack_packer *pk, const char *detail);
/* {"detail": detail, "code": code} */
void proto_pack_detail_code(msgpack_packer *pk, const char *detail, const char *code);
/* {field: [message]}: the one-error shape of a DRF validation failure. */
void proto_pack_field_error(msgpack_packer *pk, const char *field, const char *message);

#endif
