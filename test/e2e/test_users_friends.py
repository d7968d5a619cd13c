"""End-to-end tests of the Users and Friends routes of docs/api.md through the gateway over
real HTTP: every route, every error case with its exact body, pagination (count, next
and previous links, page_size cap, "Invalid page."), ?search= (case-insensitive and
Unicode-aware), and concurrent friend requests."""
import concurrent.futures
import re
import threading
import unittest
import urllib.parse

from util import GATEWAY_URL, register, register_and_login, request, unique, login

NOT_PROVIDED = {"detail": "Authentication credentials were not provided."}
NOT_FOUND = {"detail": "Not found."}
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
INVALID_PAGE = {"detail": "Invalid page."}
REQUIRED = ["This field is required."]
USER_FIELDS = {"id", "username", "first_name", "last_name", "bio", "date_joined", "is_online"}
REQUEST_FIELDS = {"id", "sender", "receiver", "status", "created_at", "updated_at"}
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
MISSING_ID = 8999999999999999


def new_user(**names):
    """A fresh account with the given first_name / last_name, logged in."""
    if not names:
        return register_and_login("uf_")
    username = unique("uf_")
    status, data = register(username, **names)
    assert status == 201, (status, data)
    status, tokens = login(username)
    assert status == 200, (status, tokens)
    return {"id": data["id"], "username": username, "access": tokens["access"]}


def api(method, path, user=None, body=None, raw=None):
    """One call as `user` (a dict with "access", or None): (status, json)."""
    status, _, data = request(method, path, body=body, raw=raw,
                              token=user["access"] if user else None)
    return status, data


def get_url(url, user):
    """GET of an absolute URL from a next/previous link, through the gateway under test."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    return api("GET", path, user)


def query_of(url):
    """The query parameters of a link, as a dict."""
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query, keep_blank_values=True))


def ids(page):
    return [item["id"] for item in page["results"]]


def send(sender, receiver_id):
    return api("POST", "/api/friends/request/", sender, {"receiver": receiver_id})


def befriend(a, b):
    status, data = send(a, b["id"])
    assert status == 201, (status, data)
    status, data = api("PUT", f"/api/friends/request/{data['id']}/", b, {"status": "accepted"})
    assert status == 200, (status, data)


class AuthenticationRequired(unittest.TestCase):
    def test_every_route_needs_a_token(self):
        routes = [("GET", "/api/users/"), ("GET", "/api/users/me/"), ("GET", "/api/users/1/"),
                  ("PUT", "/api/users/1/"), ("PATCH", "/api/users/1/"),
                  ("POST", "/api/friends/request/"), ("PUT", "/api/friends/request/1/"),
                  ("DELETE", "/api/friends/request/1/"), ("GET", "/api/friends/requests/"),
                  ("GET", "/api/friends/"), ("DELETE", "/api/friends/1/")]
        for method, path in routes:
            with self.subTest(route=f"{method} {path}"):
                status, headers, data = request(method, path, body={} if method in ("PUT", "PATCH", "POST") else None)
                self.assertEqual(status, 401)
                self.assertEqual(data, NOT_PROVIDED)
                self.assertEqual(headers.get("www-authenticate"), 'Bearer realm="api"')


class UserDetail(unittest.TestCase):
    def test_me_is_the_own_record_with_email(self):
        me = new_user(first_name="Ada", last_name="Lovelace")
        for path in ("/api/users/me/", "/api/users/me"):
            status, data = api("GET", path, me)
            self.assertEqual(status, 200, data)
            self.assertEqual(set(data), USER_FIELDS | {"email"})
            self.assertEqual(data["id"], me["id"])
            self.assertEqual(data["username"], me["username"])
            self.assertEqual(data["email"], f"{me['username']}@example.com")
            self.assertEqual((data["first_name"], data["last_name"], data["bio"]), ("Ada", "Lovelace", ""))
            self.assertIs(data["is_online"], False)
            self.assertRegex(data["date_joined"], TIMESTAMP)

    def test_detail_shows_email_only_in_own_record(self):
        me, other = new_user(), new_user()
        status, data = api("GET", f"/api/users/{me['id']}/", me)
        self.assertEqual(status, 200)
        self.assertIn("email", data)
        status, data = api("GET", f"/api/users/{other['id']}/", me)
        self.assertEqual(status, 200)
        self.assertEqual(set(data), USER_FIELDS)
        self.assertEqual(data["id"], other["id"])

    def test_unknown_user_is_404(self):
        me = new_user()
        for path in (f"/api/users/{MISSING_ID}/", "/api/users/0/", "/api/users/abc/"):
            with self.subTest(path=path):
                status, data = api("GET", path, me)
                self.assertEqual(status, 404)
                self.assertEqual(data, NOT_FOUND)

    def test_wrong_method(self):
        me = new_user()
        for method, path in (("DELETE", f"/api/users/{me['id']}/"), ("POST", "/api/users/"),
                             ("POST", "/api/users/me/"), ("GET", "/api/friends/request/"),
                             ("PATCH", "/api/friends/")):
            with self.subTest(route=f"{method} {path}"):
                status, data = api(method, path, me, body={} if method != "GET" else None)
                self.assertEqual(status, 405)
                self.assertEqual(data, {"detail": f'Method "{method}" not allowed.'})


class UserList(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.token = unique("pg")
        cls.users = [new_user(first_name=f"Pag{cls.token}") for _ in range(5)]
        cls.me = cls.users[0]

    def search(self, text, **params):
        params = {"search": text, **params}
        return api("GET", "/api/users/?" + urllib.parse.urlencode(params), self.me)

    def test_list_is_ordered_by_id_and_never_shows_email(self):
        status, data = api("GET", "/api/users/?page_size=100", self.me)
        self.assertEqual(status, 200)
        self.assertEqual(set(data), {"count", "next", "previous", "results"})
        self.assertIsNone(data["previous"])
        self.assertEqual(ids(data), sorted(ids(data)))
        for user in data["results"]:
            self.assertEqual(set(user), USER_FIELDS)

    def test_default_page_size_is_20(self):
        status, data = api("GET", "/api/users/", self.me)
        self.assertEqual(status, 200)
        self.assertEqual(len(data["results"]), min(20, data["count"]))

    def test_next_and_previous_links(self):
        status, first = self.search(self.token, page_size=2)
        self.assertEqual(status, 200)
        self.assertEqual(first["count"], 5)
        self.assertEqual(ids(first), [u["id"] for u in self.users[:2]])
        self.assertIsNone(first["previous"])
        self.assertTrue(first["next"].startswith("http://"), first["next"])
        self.assertEqual(urllib.parse.urlsplit(first["next"]).path, "/api/users/")
        self.assertEqual(query_of(first["next"]), {"page": "2", "page_size": "2", "search": self.token})

        status, second = get_url(first["next"], self.me)
        self.assertEqual(status, 200)
        self.assertEqual(ids(second), [u["id"] for u in self.users[2:4]])
        # DRF's link to page 1 carries no page parameter.
        self.assertEqual(query_of(second["previous"]), {"page_size": "2", "search": self.token})
        status, back = get_url(second["previous"], self.me)
        self.assertEqual(ids(back), ids(first))

        status, third = get_url(second["next"], self.me)
        self.assertEqual(status, 200)
        self.assertEqual(ids(third), [self.users[4]["id"]])
        self.assertIsNone(third["next"])
        self.assertEqual(query_of(third["previous"])["page"], "2")

    def test_page_size_is_capped_at_100(self):
        status, data = api("GET", "/api/users/?page_size=1000", self.me)
        self.assertEqual(status, 200)
        self.assertEqual(len(data["results"]), min(100, data["count"]))

    def test_invalid_pages(self):
        for page in ("0", "-1", "abc", "999999", "1.5"):
            with self.subTest(page=page):
                status, data = self.search(self.token, page=page)
                self.assertEqual(status, 404)
                self.assertEqual(data, INVALID_PAGE)
        status, data = self.search(self.token, page=2, page_size=5)
        self.assertEqual((status, data), (404, INVALID_PAGE))
        # Page 1 exists even when nothing matches.
        status, data = self.search(self.token + "nothing")
        self.assertEqual(status, 200)
        self.assertEqual((data["count"], data["results"], data["next"]), (0, [], None))

    def test_search_is_case_insensitive_and_unicode_aware(self):
        token = unique("sr")
        user = new_user(first_name=f"Élodie{token}", last_name="Ñandú")
        for text in (f"élodie{token}", f"ÉLODIE{token.upper()}", f"{token} ñANDÚ", f"  {token},ñandú "):
            with self.subTest(search=text):
                status, data = self.search(text)
                self.assertEqual(status, 200)
                self.assertEqual(ids(data), [user["id"]])
        status, data = self.search(user["username"].upper())
        self.assertEqual(ids(data), [user["id"]])

    def test_search_ignores_bio_and_email(self):
        token = unique("hid")
        user = new_user()
        status, _ = api("PATCH", f"/api/users/{user['id']}/", user,
                        {"bio": f"about {token}", "email": f"{token}@example.org"})
        self.assertEqual(status, 200)
        status, data = self.search(token)
        self.assertEqual((status, data["count"]), (200, 0))

    def test_search_with_nul_is_400(self):
        status, _ = api("GET", "/api/users/?search=a%00b", self.me)
        self.assertEqual(status, 400)


class UserUpdate(unittest.TestCase):
    def test_put_requires_email(self):
        me = new_user()
        status, data = api("PUT", f"/api/users/{me['id']}/", me, {"first_name": "X"})
        self.assertEqual((status, data), (400, {"email": REQUIRED}))

    def test_put_updates_and_ignores_read_only_fields(self):
        me = new_user()
        email = f"New.{me['username']}@Example.com"
        status, data = api("PUT", f"/api/users/{me['id']}/", me, {
            "email": email, "first_name": " Grace ", "last_name": "Hopper", "bio": "Navy",
            "username": "hijack", "id": 1, "date_joined": "2000-01-01T00:00:00.000Z",
            "is_online": True})
        self.assertEqual(status, 200, data)
        self.assertEqual(set(data), USER_FIELDS | {"email"})
        self.assertEqual((data["id"], data["username"], data["email"]), (me["id"], me["username"], email))
        self.assertEqual((data["first_name"], data["last_name"], data["bio"]), ("Grace", "Hopper", "Navy"))
        self.assertNotEqual(data["date_joined"], "2000-01-01T00:00:00.000Z")
        self.assertIs(data["is_online"], False)

    def test_patch_updates_only_what_is_sent(self):
        me = new_user(first_name="Keep", last_name="This")
        status, data = api("PATCH", f"/api/users/{me['id']}/", me, {"bio": "Hello"})
        self.assertEqual(status, 200)
        self.assertEqual((data["first_name"], data["last_name"], data["bio"]), ("Keep", "This", "Hello"))
        status, data = api("PATCH", f"/api/users/{me['id']}/", me, {})
        self.assertEqual((status, data["bio"]), (200, "Hello"))

    def test_validation_messages(self):
        me = new_user()
        path = f"/api/users/{me['id']}/"
        cases = [
            ({"first_name": "é" * 151, "last_name": "x" * 151, "bio": "y" * 501},
             {"first_name": ["Ensure this field has no more than 150 characters."],
              "last_name": ["Ensure this field has no more than 150 characters."],
              "bio": ["Ensure this field has no more than 500 characters."]}),
            ({"email": "not-an-email"}, {"email": ["Enter a valid email address."]}),
            ({"email": ""}, {"email": ["This field may not be blank."]}),
            ({"email": None}, {"email": ["This field may not be null."]}),
            ({"first_name": True, "bio": ["x"]}, {"first_name": ["Not a valid string."], "bio": ["Not a valid string."]}),
            ({"bio": None}, {"bio": ["This field may not be null."]}),
        ]
        for body, expected in cases:
            with self.subTest(body=str(body)[:60]):
                status, data = api("PATCH", path, me, body)
                self.assertEqual((status, data), (400, expected))
        status, data = api("PATCH", path, me, {"first_name": "é" * 150, "bio": "ж" * 500})
        self.assertEqual(status, 200, data)

    def test_email_is_unique_case_insensitively(self):
        a, b = new_user(), new_user()
        taken = f"{a['username'].upper()}@EXAMPLE.COM"
        status, data = api("PATCH", f"/api/users/{b['id']}/", b, {"email": taken})
        self.assertEqual((status, data), (400, {"email": ["user with this email address already exists."]}))
        status, data = api("PATCH", f"/api/users/{a['id']}/", a, {"email": taken})
        self.assertEqual((status, data["email"]), (200, taken))

    def test_only_the_user_themself(self):
        me, other = new_user(), new_user()
        for method in ("PUT", "PATCH"):
            with self.subTest(method=method):
                status, data = api(method, f"/api/users/{other['id']}/", me, {"bio": "x", "email": "x@example.com"})
                self.assertEqual((status, data), (403, FORBIDDEN))
                status, data = api(method, f"/api/users/{MISSING_ID}/", me, {"bio": "x", "email": "x@example.com"})
                self.assertEqual((status, data), (404, NOT_FOUND))

    def test_nul_and_bad_json_are_400(self):
        me = new_user()
        status, _ = api("PATCH", f"/api/users/{me['id']}/", me, {"bio": "a\u0000b"})
        self.assertEqual(status, 400)
        status, data = api("PATCH", f"/api/users/{me['id']}/", me, raw=b'{"bio": ')
        self.assertEqual(status, 400)
        self.assertTrue(data["detail"].startswith("JSON parse error - "), data)


class FriendRequests(unittest.TestCase):
    def test_send_creates_a_pending_request(self):
        a, b = new_user(), new_user()
        status, data = send(a, b["id"])
        self.assertEqual(status, 201, data)
        self.assertEqual(set(data), REQUEST_FIELDS)
        self.assertEqual(data["status"], "pending")
        self.assertEqual(set(data["sender"]), USER_FIELDS)
        self.assertEqual(set(data["receiver"]), USER_FIELDS)
        self.assertEqual((data["sender"]["id"], data["receiver"]["id"]), (a["id"], b["id"]))
        self.assertRegex(data["created_at"], TIMESTAMP)
        self.assertRegex(data["updated_at"], TIMESTAMP)

    def test_send_errors(self):
        a, b, c = new_user(), new_user(), new_user()
        cases = [
            ({}, {"receiver": REQUIRED}),
            ({"receiver": None}, {"receiver": ["This field may not be null."]}),
            ({"receiver": "abc"}, {"receiver": ["Incorrect type. Expected pk value, received str."]}),
            ({"receiver": [1]}, {"receiver": ["Incorrect type. Expected pk value, received list."]}),
            ({"receiver": MISSING_ID}, {"receiver": [f'Invalid pk "{MISSING_ID}" - object does not exist.']}),
            ({"receiver": a["id"]}, {"non_field_errors": ["You cannot send a friend request to yourself."]}),
        ]
        for body, expected in cases:
            with self.subTest(body=body):
                status, data = api("POST", "/api/friends/request/", a, body)
                self.assertEqual((status, data), (400, expected))
        self.assertEqual(send(a, b["id"])[0], 201)
        self.assertEqual(send(a, b["id"]), (400, {"non_field_errors": ["A pending friend request to this user already exists."]}))
        befriend(a, c)
        self.assertEqual(send(a, c["id"]), (400, {"non_field_errors": ["You are already friends with this user."]}))
        self.assertEqual(send(c, a["id"]), (400, {"non_field_errors": ["You are already friends with this user."]}))

    def test_request_to_someone_who_asked_first_accepts_theirs(self):
        a, b = new_user(), new_user()
        status, created = send(a, b["id"])
        self.assertEqual(status, 201)
        status, data = send(b, a["id"])
        self.assertEqual(status, 200, data)
        self.assertEqual((data["id"], data["status"]), (created["id"], "accepted"))
        status, friends = api("GET", "/api/friends/", a)
        self.assertEqual(ids(friends), [b["id"]])

    def test_answer(self):
        a, b, c = new_user(), new_user(), new_user()
        status, created = send(a, b["id"])
        path = f"/api/friends/request/{created['id']}/"
        self.assertEqual(api("PUT", path, a, {"status": "accepted"}), (403, FORBIDDEN))
        self.assertEqual(api("PUT", path, c, {"status": "accepted"}), (404, NOT_FOUND))
        self.assertEqual(api("PUT", f"/api/friends/request/{MISSING_ID}/", b, {"status": "accepted"}), (404, NOT_FOUND))
        self.assertEqual(api("PUT", path, b, {"status": "maybe"}), (400, {"status": ['"maybe" is not a valid choice.']}))
        self.assertEqual(api("PUT", path, b, {}), (400, {"status": REQUIRED}))
        status, data = api("PUT", path, b, {"status": "accepted"})
        self.assertEqual(status, 200, data)
        self.assertEqual((data["id"], data["status"]), (created["id"], "accepted"))
        self.assertEqual(set(data), REQUEST_FIELDS)
        status, data = api("PUT", path, b, {"status": "rejected"})
        self.assertEqual(status, 400)
        self.assertEqual(list(data), ["non_field_errors"])

    def test_reject(self):
        a, b = new_user(), new_user()
        status, created = send(a, b["id"])
        status, data = api("PUT", f"/api/friends/request/{created['id']}/", b, {"status": "rejected"})
        self.assertEqual((status, data["status"]), (200, "rejected"))
        self.assertEqual(api("GET", "/api/friends/", a)[1]["count"], 0)

    def test_cancel(self):
        a, b, c = new_user(), new_user(), new_user()
        status, created = send(a, b["id"])
        path = f"/api/friends/request/{created['id']}/"
        self.assertEqual(api("DELETE", path, b), (403, FORBIDDEN))
        self.assertEqual(api("DELETE", path, c), (404, NOT_FOUND))
        status, headers, body = request("DELETE", path, token=a["access"])
        self.assertEqual((status, body), (204, None))
        self.assertEqual(api("DELETE", path, a), (404, NOT_FOUND))
        # An answered request can no longer be cancelled.
        status, created = send(a, b["id"])
        api("PUT", f"/api/friends/request/{created['id']}/", b, {"status": "accepted"})
        status, data = api("DELETE", f"/api/friends/request/{created['id']}/", a)
        self.assertEqual(status, 400)
        self.assertEqual(list(data), ["non_field_errors"])

    def test_pending_lists(self):
        me, x, y, z = new_user(), new_user(), new_user(), new_user()
        first = send(x, me["id"])[1]["id"]
        second = send(y, me["id"])[1]["id"]
        outgoing = send(me, z["id"])[1]["id"]
        for path in ("/api/friends/requests/", "/api/friends/requests/?direction=incoming"):
            status, data = api("GET", path, me)
            self.assertEqual(status, 200)
            self.assertEqual(data["count"], 2)
            self.assertEqual(ids(data), [second, first])
            self.assertEqual(set(data["results"][0]), REQUEST_FIELDS)
        status, data = api("GET", "/api/friends/requests/?direction=outgoing", me)
        self.assertEqual((status, ids(data)), (200, [outgoing]))
        status, data = api("GET", "/api/friends/requests/?direction=sideways", me)
        self.assertEqual((status, data), (400, {"direction": ['"sideways" is not a valid choice.']}))
        status, page = api("GET", "/api/friends/requests/?page_size=1", me)
        self.assertEqual(ids(page), [second])
        self.assertEqual(query_of(page["next"]), {"page": "2", "page_size": "1"})
        status, page = get_url(page["next"], me)
        self.assertEqual((ids(page), page["next"]), ([first], None))
        self.assertEqual(api("GET", "/api/friends/requests/?page=3&page_size=1", me), (404, INVALID_PAGE))


class Friends(unittest.TestCase):
    def test_friends_are_listed_by_username(self):
        token = unique("")
        me = new_user()
        friends = {}
        for letter in "cadb":
            username = f"{letter}{token}"
            status, data = register(username)
            self.assertEqual(status, 201)
            friends[letter] = {"id": data["id"], "access": login(username)[1]["access"]}
            befriend(friends[letter], me)
        status, data = api("GET", "/api/friends/", me)
        self.assertEqual(status, 200)
        self.assertEqual(data["count"], 4)
        self.assertEqual(ids(data), [friends[k]["id"] for k in "abcd"])
        for user in data["results"]:
            self.assertEqual(set(user), USER_FIELDS)
        status, page = api("GET", "/api/friends/?page=2&page_size=3", me)
        self.assertEqual((status, ids(page), page["next"]), (200, [friends["d"]["id"]], None))
        self.assertEqual(query_of(page["previous"]), {"page_size": "3"})
        self.assertEqual(api("GET", "/api/friends/?page=3&page_size=3", me), (404, INVALID_PAGE))

    def test_unfriend(self):
        a, b, c = new_user(), new_user(), new_user()
        befriend(a, b)
        status, _, body = request("DELETE", f"/api/friends/{a['id']}/", token=b["access"])
        self.assertEqual((status, body), (204, None))
        self.assertEqual(api("GET", "/api/friends/", a)[1]["count"], 0)
        self.assertEqual(api("GET", "/api/friends/", b)[1]["count"], 0)
        for other in (b["id"], c["id"], a["id"], MISSING_ID):
            with self.subTest(other=other):
                self.assertEqual(api("DELETE", f"/api/friends/{other}/", a), (404, NOT_FOUND))

    def test_simultaneous_requests_in_both_directions(self):
        a, b = new_user(), new_user()
        barrier = threading.Barrier(20)

        def fire(i):
            sender, receiver = (a, b) if i % 2 else (b, a)
            barrier.wait()
            return send(sender, receiver["id"])[0]

        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            statuses = list(pool.map(fire, range(20)))
        self.assertEqual(statuses.count(201), 1, statuses)
        self.assertLessEqual(statuses.count(200), 1, statuses)
        self.assertEqual(statuses.count(201) + statuses.count(200) + statuses.count(400), 20, statuses)
        friends = api("GET", "/api/friends/", a)[1]["count"]
        pending = (api("GET", "/api/friends/requests/?direction=incoming", a)[1]["count"]
                   + api("GET", "/api/friends/requests/?direction=outgoing", a)[1]["count"])
        if statuses.count(200):
            self.assertEqual((friends, pending), (1, 0))
        else:
            self.assertEqual((friends, pending), (0, 1))


if __name__ == "__main__":
    unittest.main()
