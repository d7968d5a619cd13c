/*  Unit tests of the event codec: round trips and hostile events refused. */
#include <criterion/criterion.h>
#include <string.h>

#include "event.h"
#include "proto.h"

static void pack_event(msgpack_sbuffer *buf, event_kind_t kind, const uint64_t *to,
                       size_t n, uint64_t id)
{
    msgpack_packer pk;
    msgpack_sbuffer_init(buf);
    msgpack_packer_init(&pk, buf, msgpack_sbuffer_write);
    event_pack_begin(&pk, kind, to, n, id);
    msgpack_pack_map(&pk, 1);
    proto_pack_kv_int(&pk, "user_id", 9);
}

Test(event, round_trip)
{
    uint64_t to[] = { 3, 4, 5 };
    msgpack_sbuffer buf;
    pack_event(&buf, EVENT_PRESENCE, to, 3, 0);
    event_t ev;
    cr_assert_eq(event_decode(buf.data, buf.size, &ev), 0);
    cr_assert_eq(ev.kind, EVENT_PRESENCE);
    cr_assert_eq(ev.recipients, 3);
    cr_assert_eq(event_recipient(&ev, 0), 3);
    cr_assert_eq(event_recipient(&ev, 2), 5);
    cr_assert_eq(event_recipient(&ev, 3), 0, "out of range is 0");
    int64_t uid;
    cr_assert_eq(proto_get_int(&ev.body, "user_id", &uid), PROTO_FIELD_OK);
    cr_assert_eq(uid, 9);
    event_release(&ev);
    event_release(&ev);
    msgpack_sbuffer_destroy(&buf);
}

Test(event, notification_needs_an_id)
{
    uint64_t to[] = { 3 };
    msgpack_sbuffer buf;
    pack_event(&buf, EVENT_NOTIFICATION, to, 1, 0);
    event_t ev;
    cr_assert_eq(event_decode(buf.data, buf.size, &ev), -1);
    event_release(&ev);
    msgpack_sbuffer_destroy(&buf);
    pack_event(&buf, EVENT_NOTIFICATION, to, 1, 77);
    cr_assert_eq(event_decode(buf.data, buf.size, &ev), 0);
    cr_assert_eq(ev.id, 77);
    event_release(&ev);
    msgpack_sbuffer_destroy(&buf);
}

Test(event, no_recipient_or_id_zero_is_refused)
{
    uint64_t zero[] = { 0 };
    msgpack_sbuffer buf;
    event_t ev;
    pack_event(&buf, EVENT_PRESENCE, zero, 0, 0);
    cr_assert_eq(event_decode(buf.data, buf.size, &ev), -1, "no recipient");
    event_release(&ev);
    msgpack_sbuffer_destroy(&buf);
    pack_event(&buf, EVENT_PRESENCE, zero, 1, 0);
    cr_assert_eq(event_decode(buf.data, buf.size, &ev), -1, "recipient 0");
    event_release(&ev);
    msgpack_sbuffer_destroy(&buf);
}

/* Raw msgpack bytes (from a hex-free literal) decode to -1 without allocating. */
static int decode_bytes(const char *bytes, size_t len)
{
    event_t ev;
    int rc = event_decode(bytes, len, &ev);
    event_release(&ev);
    return rc;
}

Test(event, hostile_bytes_are_refused)
{
    cr_assert_eq(decode_bytes("", 0), -1);
    cr_assert_eq(decode_bytes("\xdd\xff\xff\xff\xff", 5), -1, "array claiming 4G elements");
    cr_assert_eq(decode_bytes("\x90", 1), -1, "not a map");
    /* {"kind": "bogus", "to": [1]} */
    cr_assert_eq(decode_bytes("\x82\xa4kind\xa5" "bogus\xa2to\x91\x01", 17), -1, "unknown kind");
    /* {"kind": "presence", "to": [-1]} */
    cr_assert_eq(decode_bytes("\x82\xa4kind\xa8presence\xa2to\x91\xff", 20), -1, "negative id");
    /* {"kind": "presence", "to": ["a"]} */
    cr_assert_eq(decode_bytes("\x82\xa4kind\xa8presence\xa2to\x91\xa1" "a", 21), -1, "string id");
    /* {"kind": "presence", "to": [1]} is fine, with a nil body */
    cr_assert_eq(decode_bytes("\x82\xa4kind\xa8presence\xa2to\x91\x01", 20), 0);
}

Test(event, kind_names)
{
    cr_assert_str_eq(event_kind_name(EVENT_NOTIFICATION), "notification");
    cr_assert_str_eq(event_kind_name(EVENT_CHAT_MESSAGE), "chat.message");
    cr_assert_str_eq(event_kind_name((event_kind_t) 99), "");
}
