/*  presence.c: presence.open and presence.close. See presence.h. */
#include "presence.h"

#include <string.h>

#include "log.h"
#include "proto.h"

/* Starts a presence call for uid with body {"gateway": gateway_id}. */
static msgpack_packer *begin(calls_t *calls, const char *method, const char *gateway_id,
                             int64_t uid, uint64_t *id, long lease_ms)
{
    msgpack_packer *pk = calls_begin(calls, WS_PRESENCE_SERVICE, method, (uint64_t) uid, id);
    size_t len = strlen(gateway_id);
    msgpack_pack_map(pk, lease_ms > 0 ? 2 : 1);
    msgpack_pack_str_with_body(pk, "gateway", 7);
    msgpack_pack_str_with_body(pk, gateway_id, len);
    if (lease_ms > 0)
        proto_pack_kv_int(pk, "ttl_ms", lease_ms);
    return pk;
}

int ws_presence_open(calls_t *calls, const char *gateway_id, long lease_ms, int64_t uid,
                     long timeout_ms, calls_done_fn *done, void *arg, uint64_t *id)
{
    if (!calls)
        return -1;
    begin(calls, "presence.open", gateway_id, uid, id, lease_ms);
    return calls_send(calls, timeout_ms, done, arg);
}

/* Completion of presence.close: only a failure is worth a line. */
static void on_closed(void *arg, uint64_t id, const proto_msg_t *reply)
{
    (void) arg;
    (void) id;
    if (!reply)
        log_warn("notification.presence.close timed out");
    else if (reply->status != PROTO_OK)
        log_warn("notification.presence.close answered status %d", reply->status);
}

int ws_presence_close(calls_t *calls, const char *gateway_id, int64_t uid, long timeout_ms,
                      calls_done_fn *done, void *arg)
{
    uint64_t id;
    if (!calls)
        return -1;
    begin(calls, "presence.close", gateway_id, uid, &id, 0);
    return calls_send(calls, timeout_ms, done ? done : on_closed, arg);
}
