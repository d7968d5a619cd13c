"""Notifications through the gateway (docs/api.md, "Notifications"): the caller's own,
newest first with DRF pages and ?unread=true, the unread count, mark read (idempotent),
read-all, delete, and 404 (never 403) for another user's notification on every route.
Notifications are made the way clients make them: by friend requests and accepts."""
import re
import unittest
import urllib.parse

from util import register_and_login, request

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
USER_KEYS = {"id", "username", "first_name", "last_name", "bio", "date_joined", "is_online"}


def api(method, path, user=None, body=None):
    status, _, data = request(method, path, body=body, token=user["access"] if user else None)
    return status, data


def befriend(a, b):
    """a asks b, b accepts: b gets friend_request, a gets friend_accept."""
    status, data = api("POST", "/api/friends/request/", a, {"receiver": b["id"]})
    assert status == 201, (status, data)
    status, data = api("PUT", f"/api/friends/request/{data['id']}/", b, {"status": "accepted"})
    assert status == 200, (status, data)
    return data["id"]


def notified(count):
    """A fresh user who has received `count` friend_request notifications."""
    me = register_and_login("nt_")
    for _ in range(count):
        other = register_and_login("nt_")
        status, data = api("POST", "/api/friends/request/", other, {"receiver": me["id"]})
        assert status == 201, (status, data)
    return me


class NotificationRoutes(unittest.TestCase):
    def test_every_route_needs_a_token(self):
        for method, path in [("GET", "/api/notifications/"), ("GET", "/api/notifications/unread-count/"),
                             ("PUT", "/api/notifications/read-all/"), ("PUT", "/api/notifications/1/read/"),
                             ("DELETE", "/api/notifications/1/")]:
            status, _, data = request(method, path)
            self.assertEqual(status, 401, (method, path))
            self.assertEqual(data, {"detail": "Authentication credentials were not provided."})

    def test_the_objects_and_their_order(self):
        a, b = register_and_login("nt_"), register_and_login("nt_")
        request_id = befriend(a, b)
        status, page = api("GET", "/api/notifications/", b)
        self.assertEqual(status, 200, page)
        self.assertEqual(page["count"], 1)
        self.assertIsNone(page["next"])
        self.assertIsNone(page["previous"])
        n = page["results"][0]
        self.assertEqual(set(n), {"id", "sender", "type", "text", "is_read", "created_at", "data"})
        self.assertEqual(n["type"], "friend_request")
        self.assertEqual(n["data"], {"friend_request_id": request_id})
        self.assertEqual(set(n["sender"]), USER_KEYS, "a User without email")
        self.assertEqual(n["sender"]["id"], a["id"])
        self.assertFalse(n["is_read"])
        self.assertRegex(n["created_at"], TIMESTAMP)
        status, page = api("GET", "/api/notifications/", a)
        self.assertEqual([x["type"] for x in page["results"]], ["friend_accept"])
        self.assertEqual(page["results"][0]["sender"]["id"], b["id"])

    def test_pages_are_newest_first(self):
        me = notified(3)
        status, page = api("GET", "/api/notifications/?page_size=2", me)
        self.assertEqual(status, 200, page)
        self.assertEqual(page["count"], 3)
        first = [x["id"] for x in page["results"]]
        self.assertEqual(first, sorted(first, reverse=True))
        self.assertIsNotNone(page["next"])
        parts = urllib.parse.urlsplit(page["next"])
        status, second = api("GET", parts.path + "?" + parts.query, me)
        self.assertEqual(status, 200)
        self.assertEqual(len(second["results"]), 1)
        self.assertLess(second["results"][0]["id"], first[-1])
        status, data = api("GET", "/api/notifications/?page=3&page_size=2", me)
        self.assertEqual((status, data), (404, {"detail": "Invalid page."}))

    def test_unread_filter_count_read_and_read_all(self):
        me = notified(3)
        status, page = api("GET", "/api/notifications/", me)
        ids = [x["id"] for x in page["results"]]
        self.assertEqual(api("GET", "/api/notifications/unread-count/", me), (200, {"count": 3}))
        for _ in range(2):
            status, n = api("PUT", f"/api/notifications/{ids[1]}/read/", me)
            self.assertEqual(status, 200, n)
            self.assertTrue(n["is_read"])
            self.assertEqual(n["id"], ids[1])
        self.assertEqual(api("GET", "/api/notifications/unread-count/", me), (200, {"count": 2}))
        status, page = api("GET", "/api/notifications/?unread=true", me)
        self.assertEqual([x["id"] for x in page["results"]], [ids[0], ids[2]])
        self.assertEqual(page["count"], 2)
        self.assertEqual(api("PUT", "/api/notifications/read-all/", me), (200, {"updated": 2}))
        self.assertEqual(api("PUT", "/api/notifications/read-all/", me), (200, {"updated": 0}))
        status, page = api("GET", "/api/notifications/?unread=true", me)
        self.assertEqual(page["count"], 0)

    def test_delete(self):
        me = notified(1)
        status, page = api("GET", "/api/notifications/", me)
        nid = page["results"][0]["id"]
        status, _, body = request("DELETE", f"/api/notifications/{nid}/", token=me["access"])
        self.assertEqual(status, 204)
        self.assertIsNone(body)
        self.assertEqual(api("DELETE", f"/api/notifications/{nid}/", me), (404, {"detail": "Not found."}))
        self.assertEqual(api("GET", "/api/notifications/", me)[1]["count"], 0)

    def test_another_users_notification_is_404_on_every_route(self):
        owner, other = notified(1), register_and_login("nt_")
        nid = api("GET", "/api/notifications/", owner)[1]["results"][0]["id"]
        self.assertEqual(api("PUT", f"/api/notifications/{nid}/read/", other), (404, {"detail": "Not found."}))
        self.assertEqual(api("DELETE", f"/api/notifications/{nid}/", other), (404, {"detail": "Not found."}))
        self.assertEqual(api("PUT", "/api/notifications/read-all/", other), (200, {"updated": 0}))
        self.assertEqual(api("GET", "/api/notifications/", other)[1]["count"], 0)
        status, page = api("GET", "/api/notifications/", owner)
        self.assertEqual(page["count"], 1)
        self.assertFalse(page["results"][0]["is_read"])

    def test_wrong_methods_and_ids(self):
        me = register_and_login("nt_")
        status, _, data = request("POST", "/api/notifications/", token=me["access"])
        self.assertEqual((status, data), (405, {"detail": 'Method "POST" not allowed.'}))
        status, _, data = request("GET", "/api/notifications/read-all/", token=me["access"])
        self.assertEqual(status, 405)
        for path in ["/api/notifications/0/read/", "/api/notifications/abc/", "/api/notifications/-1/"]:
            status, _, _ = request("PUT" if path.endswith("read/") else "DELETE", path, token=me["access"])
            self.assertEqual(status, 404, path)

    def test_the_schema_lists_the_routes(self):
        status, _, schema = request("GET", "/api/schema/")
        self.assertEqual(status, 200)
        for path in ["/api/notifications/", "/api/notifications/unread-count/",
                     "/api/notifications/read-all/", "/api/notifications/{id}/read/",
                     "/api/notifications/{id}/"]:
            self.assertIn(path, schema["paths"])


if __name__ == "__main__":
    unittest.main()
