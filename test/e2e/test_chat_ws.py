"""WebSocket chat.send (API.md, "WebSocket"): the REST rules over a socket. A message
reaches every socket of both participants (the sender's other tabs, another gateway) as
chat.message carrying its client_id, the receiver gets one `message` notification, a
resend of a client_id (one after the other, or from two tabs at once) stores one message
and echoes the stored one, a refused send gets an error frame with its client_id, text
round-trips byte for byte, and one conversation's messages arrive on every socket in the
order they were stored, under concurrent senders on two gateways."""
import asyncio
import json
import os
import signal
import unittest

from test_chat import api, befriend, friends
from test_live import connect, next_frame, no_frame, private_gateway, run, settle
from test_supervision import pids_of
from util import BUILD_DIR, register_and_login, stop

CHAT = ("chat.message", "error")


def chat_send(ws, to, text=None, client_id=None, **extra):
    frame = {"type": "chat.send", "to": to["id"] if isinstance(to, dict) else to}
    if text is not None:
        frame["text"] = text
    if client_id is not None:
        frame["client_id"] = client_id
    frame.update(extra)
    return ws.send(json.dumps(frame, ensure_ascii=False))


def history(user, other, limit=200):
    status, page = api("GET", f"/api/chat/{other['id']}/messages/?limit={limit}", user)
    assert status == 200, (status, page)
    return page["results"]


async def message_notes(ws, count, timeout=10):
    """The next `count` notifications of type message on ws."""
    notes = []
    while len(notes) < count:
        frame = await next_frame(ws, ("notification",), timeout)
        if frame["notification"]["type"] == "message":
            notes.append(frame["notification"])
    return notes


class ChatSend(unittest.TestCase):
    def test_every_socket_of_both_gets_the_message_and_the_receiver_one_notification(self):
        proc, other = private_gateway("e2e-chat-second")
        try:
            async def scenario():
                a, b = friends()
                wa, wa2, wa3 = await connect(a), await connect(a), await connect(a, other)
                wb, wb2 = await connect(b), await connect(b, other)
                for ws in (wa, wa2, wa3, wb, wb2):
                    await settle(ws)
                await chat_send(wa, b, "  hello over a socket  ", "tab-1")
                frames = [await next_frame(ws, CHAT) for ws in (wa, wa2, wa3, wb, wb2)]
                for frame in frames:
                    self.assertEqual(frame["type"], "chat.message", frame)
                    self.assertEqual(frame, frames[0])
                m = frames[0]["message"]
                self.assertEqual((m["sender"], m["receiver"]), (a["id"], b["id"]))
                self.assertEqual((m["text"], m["client_id"], m["read_at"]),
                                 ("hello over a socket", "tab-1", None))
                # Stored before it was echoed: the REST history has it.
                stored = history(b, a)
                self.assertEqual(len(stored), 1)
                self.assertEqual(stored[0], {k: v for k, v in m.items() if k != "client_id"})
                # One notification per message, on each of the receiver's sockets.
                for ws in (wb, wb2):
                    note, = await message_notes(ws, 1)
                    self.assertEqual(note["sender"]["id"], a["id"])
                    self.assertEqual(note["data"], {"message_id": m["id"],
                                                    "conversation_user_id": a["id"]})
                    await no_frame(ws, ("notification", "chat.message"), 0.5)
                status, page = api("GET", "/api/notifications/?type=message", b)
                self.assertEqual([n["data"]["message_id"] for n in page["results"]
                                  if n["type"] == "message"], [m["id"]])
                await no_frame(wa, ("notification",), 0.3)     # the sender gets none
                for ws in (wa, wa2, wa3, wb, wb2):
                    await ws.close()
            run(scenario())
        finally:
            stop(proc)

    def test_a_resend_stores_nothing_and_echoes_the_stored_message(self):
        async def scenario():
            a, b = friends()
            wa, wb = await connect(a), await connect(b)
            await settle(wa)
            await settle(wb)
            await chat_send(wa, b, "once", " key-1 ")
            first = (await next_frame(wa, CHAT))["message"]
            self.assertEqual(first["client_id"], "key-1")        # trimmed, as REST does
            self.assertEqual((await next_frame(wb, CHAT))["message"], first)
            await message_notes(wb, 1)
            # The retry of a client that missed the echo: the stored message, to it only.
            await chat_send(wa, b, "once", "key-1")
            again = await next_frame(wa, CHAT)
            self.assertEqual(again, {"type": "chat.message", "message": first})
            await no_frame(wb, ("chat.message", "notification"), 0.7)
            await no_frame(wa, ("chat.message",), 0.3)
            # The same key with another text or receiver: refused, nothing stored.
            await chat_send(wa, b, "twice", "key-1")
            error = await next_frame(wa, CHAT)
            self.assertEqual(error, {
                "type": "error", "status": 400, "client_id": "key-1",
                "detail": "client_id: This client_id was already used for a different message.",
                "errors": {"client_id": ["This client_id was already used for a different message."]}})
            c = register_and_login("chws_")
            befriend(a, c)
            await chat_send(wa, c, "once", "key-1")
            self.assertEqual((await next_frame(wa, CHAT))["type"], "error")
            self.assertEqual([m["id"] for m in history(a, b)], [first["id"]])
            self.assertEqual(history(a, c), [])
            # The REST route shares the key: a POST with it is the same resend.
            status, m = api("POST", f"/api/chat/{b['id']}/messages/", a,
                            {"text": "once", "client_id": "key-1"})
            self.assertEqual((status, m["id"]), (200, first["id"]))
            # An empty key is no key: two sends, two messages.
            for _ in range(2):
                await chat_send(wa, b, "no key", "")
                self.assertIsNone((await next_frame(wa, CHAT))["message"]["client_id"])
            self.assertEqual(len(history(a, b)), 3)
            await wa.close()
            await wb.close()
        run(scenario())

    def test_one_key_from_two_tabs_at_once_stores_one_message(self):
        async def scenario():
            a, b = friends()
            tabs = [await connect(a) for _ in range(3)]
            wb = await connect(b)
            for ws in tabs + [wb]:
                await settle(ws)
            for round_ in range(5):
                key = f"race-{round_}"
                await asyncio.gather(*(chat_send(ws, b, f"race {round_}", key) for ws in tabs))
                # Each tab: the event once, and the stored message again for each tab
                # whose send found it stored (all but one): all of them one message.
                seen = [(await next_frame(ws, CHAT))["message"] for ws in tabs]
                pending = {asyncio.ensure_future(next_frame(ws, CHAT)) for ws in tabs}
                while len(seen) < 2 * len(tabs) - 1:
                    done, pending = await asyncio.wait(pending, timeout=10,
                                                       return_when=asyncio.FIRST_COMPLETED)
                    self.assertTrue(done, seen)
                    seen += [task.result()["message"] for task in done]
                for task in pending:
                    task.cancel()
                self.assertEqual(len({m["id"] for m in seen}), 1, seen)
                self.assertEqual(seen[0]["client_id"], key)
                got = (await next_frame(wb, CHAT))["message"]
                self.assertEqual(got["id"], seen[0]["id"])
                await message_notes(wb, 1)
            await no_frame(wb, ("chat.message", "notification"), 0.5)
            texts = [m["text"] for m in reversed(history(a, b))]
            self.assertEqual(texts, [f"race {n}" for n in range(5)])
            for ws in tabs + [wb]:
                await ws.close()
        run(scenario())

    def test_refusals_get_an_error_frame_with_the_client_id(self):
        async def scenario():
            a, b = friends()
            stranger = register_and_login("chws_")
            wa = await connect(a)
            await settle(wa)
            forbidden = "You do not have permission to perform this action."
            cases = [
                (dict(to=stranger, text="hi", client_id="k-403"),
                 {"status": 403, "detail": forbidden, "client_id": "k-403"}),
                (dict(to=9000000000000000, text="hi", client_id="k-404"),
                 {"status": 404, "detail": "Not found.", "client_id": "k-404"}),
                (dict(to=0, text="hi", client_id=7),
                 {"status": 404, "detail": "Not found.", "client_id": 7}),
                (dict(to=a, text="hi", client_id="k-self"),
                 {"status": 400, "detail": "You cannot send a message to yourself.",
                  "client_id": "k-self",
                  "errors": {"non_field_errors": ["You cannot send a message to yourself."]}}),
                (dict(to=b, text="   ", client_id="k-blank"),
                 {"status": 400, "detail": "text: This field may not be blank.",
                  "client_id": "k-blank", "errors": {"text": ["This field may not be blank."]}}),
                (dict(to=b),
                 {"status": 400, "detail": "text: This field is required.", "client_id": None,
                  "errors": {"text": ["This field is required."]}}),
                (dict(to=b, text="x" * 4001, client_id="k-long"),
                 {"status": 400, "detail": "text: Ensure this field has no more than 4000 characters.",
                  "client_id": "k-long",
                  "errors": {"text": ["Ensure this field has no more than 4000 characters."]}}),
                (dict(to=b, text=["not", "text"], client_id="k-list"),
                 {"status": 400, "detail": "text: Not a valid string.", "client_id": "k-list",
                  "errors": {"text": ["Not a valid string."]}}),
                (dict(to=b, text="hi", client_id="k" * 65),
                 {"status": 400, "detail": "client_id: Ensure this field has no more than 64 characters.",
                  "client_id": "k" * 65,
                  "errors": {"client_id": ["Ensure this field has no more than 64 characters."]}}),
                (dict(to="someone", text="hi", client_id="k-to"),
                 {"status": 400, "detail": "\"to\" must be a user id (a positive integer).",
                  "client_id": "k-to"}),
                (dict(text="hi", client_id={"nested": True}),
                 {"status": 400, "detail": "\"to\" must be a user id (a positive integer).",
                  "client_id": {"nested": True}}),
            ]
            for fields, expected in cases:
                to = fields.pop("to", None)
                if to is None:
                    await wa.send(json.dumps(dict(type="chat.send", **fields)))
                else:
                    await chat_send(wa, to, **fields)
                frame = await next_frame(wa, CHAT)
                self.assertEqual(frame, dict(type="error", **expected), fields)
            # "to" given as a string of digits is the route's {id}, as int() reads it.
            await chat_send(wa, f" {b['id']} ", "by a string id", "k-str")
            frame = await next_frame(wa, CHAT)
            self.assertEqual(frame["type"], "chat.message", frame)
            self.assertEqual(frame["message"]["receiver"], b["id"])
            # Nothing refused was stored, and the socket is still usable.
            self.assertEqual([m["text"] for m in history(a, b)], ["by a string id"])
            self.assertEqual(history(a, stranger), [])
            await wa.close()
        run(scenario())

    def test_text_round_trips_byte_for_byte(self):
        texts = [
            "emoji 👩‍👩‍👧‍👦 🇫🇷 ✌🏽",
            "combining e\u0301 a\u0308 \u1100\u1161\u11a8 Z\u0351\u0359\u0315",
            "right to left: \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u200f!\u200e",
            "quotes \" ' ` and backslashes \\ \\\\ \\n \\u0041 </script> {\"json\": 1}",
            "\u00a0 spaces\u3000inside\t tabs \u2028 separators",
        ]

        async def scenario():
            a, b = friends()
            wa, wb = await connect(a), await connect(b)
            await settle(wa)
            await settle(wb)
            for n, text in enumerate(texts):
                await chat_send(wa, b, text, f"t{n}")
                raw = None
                while raw is None:
                    frame = json.loads(await asyncio.wait_for(wb.recv(), 10))
                    if frame["type"] == "chat.message":
                        raw = frame["message"]["text"]
                # The REST POST trims as DRF does (str.strip()): the socket the same.
                self.assertEqual(raw.encode(), text.strip().encode(), n)
            stored = [m["text"] for m in reversed(history(a, b))]
            self.assertEqual([t.encode() for t in stored], [t.strip().encode() for t in texts])
            await wa.close()
            await wb.close()
        run(scenario())

    def test_concurrent_senders_on_two_gateways_are_delivered_in_stored_order(self):
        proc, other = private_gateway("e2e-chat-order")
        try:
            async def scenario():
                a, b = friends()
                per_sender, window = 60, 8
                wa, wb = await connect(a), await connect(b, other)
                sockets = [wa, wb, await connect(a, other), await connect(b)]
                for ws in sockets:
                    await settle(ws)
                total = 2 * per_sender
                got = {ws: [] for ws in sockets}

                async def collect(ws):
                    while len(got[ws]) < total:
                        frame = await next_frame(ws, CHAT, 20)
                        self.assertEqual(frame["type"], "chat.message", frame)
                        got[ws].append(frame["message"])

                async def burst(ws, me, to, name):
                    # As a client would: at most `window` sends awaiting their echo.
                    for n in range(per_sender):
                        while n - sum(m["sender"] == me["id"] for m in got[ws]) >= window:
                            await asyncio.sleep(0.002)
                        await chat_send(ws, to, f"{name} {n}", f"{name}-{n}")
                await asyncio.gather(burst(wa, a, b, "a"), burst(wb, b, a, "b"),
                                     *(collect(ws) for ws in sockets))
                stored = [m["id"] for m in reversed(history(a, b))]
                self.assertEqual(len(stored), total)
                for ws in sockets:
                    self.assertEqual([m["id"] for m in got[ws]], stored)
                # Each socket's messages stored in the order it sent them.
                for name, user in (("a", a), ("b", b)):
                    mine = [m["text"] for m in got[wa] if m["sender"] == user["id"]]
                    self.assertEqual(mine, [f"{name} {n}" for n in range(per_sender)])
                for ws in sockets:
                    await ws.close()
            run(scenario())
        finally:
            stop(proc)

    def test_sends_waiting_on_one_socket_are_bounded(self):
        async def scenario():
            a, b = friends()
            wa = await connect(a)
            await settle(wa)
            count, bound = 40, 16
            chat = pids_of(os.path.join(BUILD_DIR, "chat_service"))
            self.assertTrue(chat)
            # With the chat service frozen, nothing is answered: the first send is in
            # flight, 15 more wait, the others are refused at once.
            for pid in chat:
                os.kill(pid, signal.SIGSTOP)
            try:
                for n in range(count):
                    await chat_send(wa, b, f"flood {n}", f"f-{n}")
                refused = [(await next_frame(wa, CHAT)) for _ in range(count - bound)]
            finally:
                for pid in chat:
                    os.kill(pid, signal.SIGCONT)
            for frame in refused:
                self.assertEqual((frame["type"], frame["status"]), ("error", 429), frame)
            self.assertEqual([f["client_id"] for f in refused],
                             [f"f-{n}" for n in range(bound, count)])
            stored = [(await next_frame(wa, CHAT, 20))["message"]["client_id"]
                      for _ in range(bound)]
            self.assertEqual(stored, [f"f-{n}" for n in range(bound)])
            self.assertEqual([m["text"] for m in reversed(history(a, b))],
                             [f"flood {n}" for n in range(bound)])
            await wa.close()
        run(scenario())

if __name__ == "__main__":
    unittest.main()
