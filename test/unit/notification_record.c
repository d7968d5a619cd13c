/*  Unit tests for notification_record.c (the Notification object packed from a row of
 *  NOTIFICATION_COLUMNS: id, type, text, is_read, created_at, data, then the sender's
 *  User columns) and for the event proxy's publishing roles (bus_events.h). */
#include <criterion/criterion.h>

#include "bus_events.h"
#include "notification_record.h"
#include "testdata.h"
#include "testresult.h"

#define NCOLS NOTIFICATION_NCOLS

/* Packs row 0 of res from column 0; expects rc and (rc 0) the body. */
static void expect_pack(const PGresult *res, int rc, const char *body_json)
{
    msgpack_sbuffer buf;
    msgpack_packer pk;
    msgpack_sbuffer_init(&buf);
    msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
    cr_expect_eq(notification_record_pack(&pk, res, 0, 0), rc);
    if (rc == 0)
        testdata_expect_packed(&buf, body_json, "notification_record_pack");
    else
        cr_expect_eq(buf.size, 0, "nothing packed on failure");
    msgpack_sbuffer_destroy(&buf);
}

Test(notification_record, with_a_sender)
{
    const char *row[] = { "12", "friend_request", "ada sent you a friend request.", "f",
                          "2026-01-02T03:04:05.678Z", "{\"friend_request_id\": 3}",
                          "7", "ada", "Ada", "Lovelace", "", "2026-01-01T00:00:00.000Z", "t" };
    PGresult *res = testresult_new(NCOLS, 1, row);
    expect_pack(res, 0,
                "{\"created_at\": \"2026-01-02T03:04:05.678Z\", \"data\": {\"friend_request_id\": 3}, "
                "\"id\": 12, \"is_read\": false, \"sender\": {\"bio\": \"\", \"date_joined\": "
                "\"2026-01-01T00:00:00.000Z\", \"first_name\": \"Ada\", \"id\": 7, \"is_online\": true, "
                "\"last_name\": \"Lovelace\", \"username\": \"ada\"}, \"text\": \"ada sent you a friend "
                "request.\", \"type\": \"friend_request\"}");
    PQclear(res);
}

Test(notification_record, without_a_sender_is_null)
{
    const char *row[] = { "13", "system", "", "t", "2026-01-02T03:04:05.678Z", "{}",
                          NULL, NULL, NULL, NULL, NULL, NULL, "f" };
    PGresult *res = testresult_new(NCOLS, 1, row);
    expect_pack(res, 0,
                "{\"created_at\": \"2026-01-02T03:04:05.678Z\", \"data\": {}, \"id\": 13, "
                "\"is_read\": true, \"sender\": null, \"text\": \"\", \"type\": \"system\"}");
    PQclear(res);
}

Test(notification_record, no_row_or_bad_data_packs_nothing)
{
    const char *empty[] = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
    PGresult *res = testresult_new(NCOLS, 1, empty);
    expect_pack(res, -1, NULL);
    PQclear(res);
    const char *array[] = { "1", "system", "", "f", "x", "[1]", NULL, NULL, NULL, NULL, NULL, NULL, "f" };
    res = testresult_new(NCOLS, 1, array);
    expect_pack(res, -1, NULL);
    PQclear(res);
    res = testresult_new(NCOLS - 1, 1, array);
    expect_pack(res, -1, NULL);
    PQclear(res);
}

Test(bus_events, only_publishing_roles_publish)
{
    cr_expect(bus_events_role_publishes("notification"));
    cr_expect(!bus_events_role_publishes("gateway"));
    cr_expect(!bus_events_role_publishes("client"));
    cr_expect(!bus_events_role_publishes("notif"));
    cr_expect(!bus_events_role_publishes("notificationx"));
    cr_expect(!bus_events_role_publishes(""));
    cr_expect(bus_events_role_publishes(NULL), "without CURVE there are no roles");
}
