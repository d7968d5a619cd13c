"""Chat through the gateway (API.md, "Chat"): sending between friends only (403 otherwise,
400 to oneself), text rules, the idempotent client_id (a resend answers 200 with the
stored message), history newest first with before/limit, read marks, conversations most
recent first with unread counts, 404 for an unknown user on every route, the receiver's
`message` notification, and the chat.message frame on both participants' sockets."""
import asyncio
import json
import re
import unittest

import websockets

from util import GATEWAY_URL, register_and_login, request

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
MESSAGE_KEYS = {"id", "sender", "receiver", "text", "created_at", "read_at"}
USER_KEYS = {"id", "username", "first_name", "last_name", "bio", "date_joined", "is_online"}
UNKNOWN = 9000000000000000


def api(method, path, user=None, body=None):
    status, _, data = request(method, path, body=body, token=user["access"] if user else None)
    return status, data


def befriend(a, b):
    status, data = api("POST", "/api/friends/request/", a, {"receiver": b["id"]})
    assert status == 201, (status, data)
    status, data = api("PUT", f"/api/friends/request/{data['id']}/", b, {"status": "accepted"})
    assert status == 200, (status, data)


def send(a, b, text, **extra):
    return api("POST", f"/api/chat/{b['id']}/messages/", a, dict(text=text, **extra))


def friends():
    a, b = register_and_login("ch_"), register_and_login("ch_")
    befriend(a, b)
    return a, b


class ChatRoutes(unittest.TestCase):
    def test_every_route_needs_a_token(self):
        for method, path in [("GET", "/api/chat/conversations/"), ("GET", "/api/chat/1/messages/"),
                             ("POST", "/api/chat/1/messages/"), ("PUT", "/api/chat/1/read/")]:
            status, _, data = request(method, path)
            self.assertEqual(status, 401, (method, path))
            self.assertEqual(data, {"detail": "Authentication credentials were not provided."})

    def test_send_and_read_the_history(self):
        a, b = friends()
        status, m = send(a, b, "  hello  ")
        self.assertEqual(status, 201, m)
        self.assertEqual(set(m), MESSAGE_KEYS)
        self.assertEqual((m["sender"], m["receiver"], m["text"]), (a["id"], b["id"], "hello"))
        self.assertRegex(m["created_at"], TIMESTAMP)
        self.assertIsNone(m["read_at"])
        status, page = api("GET", f"/api/chat/{a['id']}/messages/", b)
        self.assertEqual(status, 200, page)
        self.assertEqual(page, {"results": [m], "has_more": False})
        # Without the trailing slash too.
        status, page = api("GET", f"/api/chat/{b['id']}/messages", a)
        self.assertEqual((status, page["results"]), (200, [m]))

    def test_only_friends_and_never_oneself(self):
        a, c = register_and_login("ch_"), register_and_login("ch_")
        status, data = send(a, c, "hi")
        self.assertEqual((status, data), (403, {"detail": "You do not have permission to perform this action."}))
        status, data = send(a, a, "hi")
        self.assertEqual((status, data), (400, {"non_field_errors": ["You cannot send a message to yourself."]}))

    def test_text_rules(self):
        a, b = friends()
        self.assertEqual(api("POST", f"/api/chat/{b['id']}/messages/", a, {}),
                         (400, {"text": ["This field is required."]}))
        self.assertEqual(send(a, b, "   "), (400, {"text": ["This field may not be blank."]}))
        self.assertEqual(send(a, b, "x" * 4001),
                         (400, {"text": ["Ensure this field has no more than 4000 characters."]}))
        self.assertEqual(send(a, b, "é" * 4000)[0], 201)
        status, _, data = request("POST", f"/api/chat/{b['id']}/messages/", raw=b"[1]",
                                  token=a["access"], headers={"Content-Type": "application/json"})
        self.assertEqual(status, 400, data)

    def test_unknown_user_is_404_everywhere(self):
        a = register_and_login("ch_")
        for method, path, body in [("GET", f"/api/chat/{UNKNOWN}/messages/", None),
                                   ("POST", f"/api/chat/{UNKNOWN}/messages/", {"text": "hi"}),
                                   ("PUT", f"/api/chat/{UNKNOWN}/read/", None)]:
            self.assertEqual(api(method, path, a, body), (404, {"detail": "Not found."}), (method, path))

    def test_client_id_is_idempotent(self):
        a, b = friends()
        status, first = send(a, b, "once", client_id="tab-1:42")
        self.assertEqual(status, 201, first)
        status, again = send(a, b, "once", client_id="tab-1:42")
        self.assertEqual((status, again), (200, first))
        status, data = send(a, b, "changed", client_id="tab-1:42")
        self.assertEqual(status, 400, data)
        self.assertIn("client_id", data)
        status, page = api("GET", f"/api/chat/{b['id']}/messages/", a)
        self.assertEqual(len(page["results"]), 1)

    def test_history_pages_with_before_and_limit(self):
        a, b = friends()
        ids = [send(a if i % 2 else b, b if i % 2 else a, f"m{i}")[1]["id"] for i in range(5)]
        status, page = api("GET", f"/api/chat/{b['id']}/messages/?limit=2", a)
        self.assertEqual(status, 200, page)
        self.assertEqual([m["id"] for m in page["results"]], [ids[4], ids[3]])
        self.assertTrue(page["has_more"])
        status, page = api("GET", f"/api/chat/{b['id']}/messages/?limit=2&before={ids[3]}", a)
        self.assertEqual([m["id"] for m in page["results"]], [ids[2], ids[1]])
        self.assertTrue(page["has_more"])
        status, page = api("GET", f"/api/chat/{b['id']}/messages/?limit=2&before={ids[1]}", a)
        self.assertEqual(([m["id"] for m in page["results"]], page["has_more"]), ([ids[0]], False))
        for limit in ("0", "abc", "-1", "1000"):
            status, page = api("GET", f"/api/chat/{b['id']}/messages/?limit={limit}", a)
            self.assertEqual((status, len(page["results"])), (200, 5), limit)
        status, data = api("GET", f"/api/chat/{b['id']}/messages/?before=x", a)
        self.assertEqual((status, data), (400, {"before": ["A valid integer is required."]}))

    def test_read_and_conversations(self):
        me, b = friends()
        c = register_and_login("ch_")
        befriend(me, c)
        send(b, me, "one")
        send(b, me, "two")
        status, last = send(me, c, "to c")
        status, page = api("GET", "/api/chat/conversations/", me)
        self.assertEqual(status, 200, page)
        self.assertEqual((page["count"], page["next"], page["previous"]), (2, None, None))
        first, second = page["results"]
        self.assertEqual(set(first), {"user", "last_message", "unread"})
        self.assertEqual(set(first["user"]), USER_KEYS)
        self.assertEqual((first["user"]["id"], first["last_message"], first["unread"]), (c["id"], last, 0))
        self.assertEqual((second["user"]["id"], second["unread"]), (b["id"], 2))
        self.assertEqual(api("PUT", f"/api/chat/{b['id']}/read/", me), (200, {"updated": 2}))
        self.assertEqual(api("PUT", f"/api/chat/{b['id']}/read/", me), (200, {"updated": 0}))
        status, page = api("GET", "/api/chat/conversations/?page_size=1&page=2", me)
        self.assertEqual((status, page["results"][0]["unread"]), (200, 0))
        self.assertIsNotNone(page["results"][0]["last_message"]["read_at"])
        # The message notifications stay unread: read marks messages only.
        status, notes = api("GET", "/api/notifications/?unread=true", me)
        messages = [n for n in notes["results"] if n["type"] == "message"]
        self.assertEqual(len(messages), 2)
        self.assertEqual(messages[0]["data"]["conversation_user_id"], b["id"])
        self.assertEqual(api("GET", "/api/chat/conversations/?page=3", me)[0], 404)

    def test_both_sockets_get_the_message(self):
        a, b = friends()
        url = GATEWAY_URL.replace("http://", "ws://", 1) + "/ws/main/"

        async def scenario():
            async with websockets.connect(f"{url}?token={a['access']}") as wa, \
                    websockets.connect(f"{url}?token={b['access']}") as wb:
                for ws in (wa, wb):     # both sockets registered before the send
                    await ws.send(json.dumps({"type": "ping"}))
                    while json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] != "pong":
                        pass
                status, m = await asyncio.get_running_loop().run_in_executor(
                    None, lambda: send(a, b, "live", client_id="c-1"))
                self.assertEqual(status, 201, m)
                for ws in (wa, wb):
                    while True:
                        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                        if frame["type"] == "chat.message":
                            break
                    self.assertEqual(frame["message"]["id"], m["id"])
                    self.assertEqual(frame["message"]["text"], "live")
                    self.assertEqual(frame["message"]["client_id"], "c-1")

        asyncio.run(scenario())


if __name__ == "__main__":
    unittest.main()
