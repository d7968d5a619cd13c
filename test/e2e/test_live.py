"""Live events over real WebSockets: notifications as they are created, presence, resume
after a disconnect (nothing missing, nothing twice), a long backlog, a deleted user's
sockets, the notification service killed with SIGKILL, a gateway killed with SIGKILL, and
two gateways at once.

Uses Debian's python3-websockets (asyncio client). Environment from scripts/test:
GATEWAY_URL, BUILD_DIR, LOG_DIR, DATABASE_URL; the two-gateway and dead-gateway tests
start private gateways on the same bus (as scripts/test exports it)."""
import asyncio
import json
import os
import signal
import subprocess
import time
import unittest

import websockets

from util import (BUILD_DIR, GATEWAY_URL, free_port, register_and_login, request, spawn,
                  stop, wait_http)
from test_supervision import pids_of

LOG_DIR = os.environ.get("LOG_DIR")
DATABASE_URL = os.environ.get("DATABASE_URL")


def ws_url(base=None):
    return (base or GATEWAY_URL).replace("http://", "ws://", 1) + "/ws/main/"


async def connect(user, base=None):
    return await websockets.connect(f"{ws_url(base)}?token={user['access']}", max_size=2 ** 22)


async def next_frame(ws, types=("notification", "presence", "chat.message"), timeout=10):
    """The next frame whose type is in `types` (others, e.g. pong, are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {types} frame within {timeout} s")
        frame = json.loads(await asyncio.wait_for(ws.recv(), left))
        if frame["type"] in types:
            return frame


async def no_frame(ws, types=("notification", "presence"), seconds=1.0):
    """Asserts that no frame of `types` arrives for `seconds`."""
    try:
        frame = await next_frame(ws, types, seconds)
    except (AssertionError, asyncio.TimeoutError):
        return
    raise AssertionError(f"unexpected frame {frame}")


async def settle(ws):
    """Waits until the gateway has handled everything sent so far on ws (a ping's pong
    comes after it)."""
    await ws.send(json.dumps({"type": "ping"}))
    await next_frame(ws, ("pong",))


def befriend(a, b):
    status, _, req = request("POST", "/api/friends/request/", {"receiver": b["id"]}, token=a["access"])
    assert status == 201, (status, req)
    status, _, body = request("PUT", f"/api/friends/request/{req['id']}/", {"status": "accepted"},
                              token=b["access"])
    assert status == 200, (status, body)


def notify(sender, receiver):
    """Creates one friend_request notification for receiver (a request, then its
    cancellation, so it can be repeated). Returns the friend request id."""
    status, _, req = request("POST", "/api/friends/request/", {"receiver": receiver["id"]},
                             token=sender["access"])
    assert status == 201, (status, req)
    status, _, _ = request("DELETE", f"/api/friends/request/{req['id']}/", token=sender["access"])
    assert status == 204
    return req["id"]


def run(coro):
    return asyncio.run(coro)


class LiveNotifications(unittest.TestCase):
    def test_friend_request_and_accept_arrive_live(self):
        async def scenario():
            a, b = register_and_login("live_a_"), register_and_login("live_b_")
            wa, wb = await connect(a), await connect(b)
            await settle(wa)
            await settle(wb)
            status, _, req = request("POST", "/api/friends/request/", {"receiver": b["id"]},
                                     token=a["access"])
            self.assertEqual(status, 201)
            frame = await next_frame(wb, ("notification",))
            note = frame["notification"]
            self.assertEqual(note["type"], "friend_request")
            self.assertEqual(note["sender"]["id"], a["id"])
            self.assertEqual(note["data"], {"friend_request_id": req["id"]})
            self.assertFalse(note["is_read"])
            self.assertNotIn("email", note["sender"])
            status, _, _ = request("PUT", f"/api/friends/request/{req['id']}/",
                                   {"status": "accepted"}, token=b["access"])
            self.assertEqual(status, 200)
            frame = await next_frame(wa, ("notification",))
            self.assertEqual(frame["notification"]["type"], "friend_accept")
            self.assertEqual(frame["notification"]["sender"]["id"], b["id"])
            # The live object is the REST object.
            status, _, page = request("GET", "/api/notifications/", token=a["access"])
            self.assertEqual(page["results"][0], frame["notification"])
            await wa.close()
            await wb.close()
        run(scenario())

    def test_every_socket_of_the_recipient_gets_it_once(self):
        async def scenario():
            a, b = register_and_login("live_a_"), register_and_login("live_b_")
            tabs = [await connect(b) for _ in range(3)]
            for t in tabs:
                await settle(t)
            notify(a, b)
            ids = [(await next_frame(t, ("notification",)))["notification"]["id"] for t in tabs]
            self.assertEqual(len(set(ids)), 1)
            for t in tabs:
                await no_frame(t, ("notification",), 0.5)
                await t.close()
        run(scenario())


class Resume(unittest.TestCase):
    def test_resume_after_a_disconnect_replays_what_was_missed_then_goes_live(self):
        async def scenario():
            a, b = register_and_login("res_a_"), register_and_login("res_b_")
            wb = await connect(b)
            await settle(wb)
            notify(a, b)
            seen = (await next_frame(wb, ("notification",)))["notification"]["id"]
            await wb.close()
            for _ in range(3):
                notify(a, b)                    # created while b is away
            wb = await connect(b)
            await wb.send(json.dumps({"type": "notifications.resume", "after": seen}))
            replayed = [(await next_frame(wb, ("notification",)))["notification"]["id"]
                        for _ in range(3)]
            self.assertEqual(replayed, sorted(replayed))
            self.assertTrue(all(i > seen for i in replayed))
            notify(a, b)
            live = (await next_frame(wb, ("notification",)))["notification"]["id"]
            self.assertGreater(live, replayed[-1])
            await no_frame(wb, ("notification",), 1.0)   # nothing twice
            await wb.close()
        run(scenario())

    def test_a_long_backlog_comes_whole_and_in_order(self):
        async def scenario():
            a, b = register_and_login("back_a_"), register_and_login("back_b_")
            count = 250
            for _ in range(count):
                notify(a, b)
            wb = await connect(b)
            await wb.send(json.dumps({"type": "notifications.resume", "after": 0}))
            ids = [(await next_frame(wb, ("notification",)))["notification"]["id"]
                   for _ in range(count)]
            self.assertEqual(ids, sorted(ids))
            self.assertEqual(len(set(ids)), count)
            await no_frame(wb, ("notification",), 1.0)
            await wb.close()
        run(scenario())

    def test_resume_while_notifications_keep_coming_has_no_seam(self):
        async def scenario():
            a, b = register_and_login("seam_a_"), register_and_login("seam_b_")
            for _ in range(120):
                notify(a, b)
            wb = await connect(b)
            await wb.send(json.dumps({"type": "notifications.resume", "after": 0}))
            loop = asyncio.get_running_loop()
            more = loop.run_in_executor(None, lambda: [notify(a, b) for _ in range(40)])
            ids = [(await next_frame(wb, ("notification",)))["notification"]["id"]
                   for _ in range(160)]
            await more
            self.assertEqual(ids, sorted(ids))
            self.assertEqual(len(set(ids)), 160)
            await no_frame(wb, ("notification",), 1.0)
            await wb.close()
        run(scenario())

    def test_an_event_published_before_the_first_resume_comes_once_and_in_order(self):
        async def scenario():
            a, b = register_and_login("early_a_"), register_and_login("early_b_")
            for _ in range(5):
                notify(a, b)
            wb = await connect(b)
            notify(a, b)                        # its event may beat the resume below
            await asyncio.sleep(0.02)
            await wb.send(json.dumps({"type": "notifications.resume", "after": 0}))
            ids = [(await next_frame(wb, ("notification",)))["notification"]["id"]
                   for _ in range(6)]
            self.assertEqual(ids, sorted(ids))
            self.assertEqual(len(set(ids)), 6)
            await no_frame(wb, ("notification",), 1.0)
            await wb.close()
        run(scenario())

    def test_a_bad_resume_gets_an_error_and_the_socket_stays(self):
        async def scenario():
            b = register_and_login("resbad_")
            wb = await connect(b)
            for bad in ({"type": "notifications.resume"}, {"type": "notifications.resume", "after": -1},
                        {"type": "notifications.resume", "after": "x"}):
                await wb.send(json.dumps(bad))
                frame = await next_frame(wb, ("error",))
                self.assertIn("after", frame["detail"])
            await settle(wb)
            await wb.close()
        run(scenario())


class Presence(unittest.TestCase):
    def test_online_on_the_first_socket_offline_after_the_last(self):
        async def scenario():
            a, b, c = (register_and_login(p) for p in ("pres_a_", "pres_b_", "pres_c_"))
            befriend(a, b)
            wb, wc = await connect(b), await connect(c)
            await settle(wb)
            await settle(wc)
            first = await connect(a)
            frame = await next_frame(wb, ("presence",))
            self.assertEqual(frame, {"type": "presence", "user_id": a["id"], "status": "online"})
            status, _, user = request("GET", f"/api/users/{a['id']}/", token=b["access"])
            self.assertTrue(user["is_online"])
            second = await connect(a)
            await settle(second)
            await first.close()
            await no_frame(wb, ("presence",), 1.0)      # a second tab: no extra events
            status, _, user = request("GET", f"/api/users/{a['id']}/", token=b["access"])
            self.assertTrue(user["is_online"])
            await second.close()
            frame = await next_frame(wb, ("presence",))
            self.assertEqual(frame, {"type": "presence", "user_id": a["id"], "status": "offline"})
            status, _, user = request("GET", f"/api/users/{a['id']}/", token=b["access"])
            self.assertFalse(user["is_online"])
            await no_frame(wc, ("presence",), 0.5)      # not a friend: nothing
            await wb.close()
            await wc.close()
        run(scenario())


def private_gateway(name, extra=None):
    """Starts another gateway on the stack's bus; returns (process, base url)."""
    port = free_port()
    env = {"GATEWAY_PORT": str(port), "GATEWAY_ID": name}
    env.update(extra or {})
    log = os.path.join(LOG_DIR, f"{name}.log") if LOG_DIR else None
    proc = spawn([os.path.join(BUILD_DIR, "gateway")], env=env, log_path=log)
    base = f"http://127.0.0.1:{port}"
    if not wait_http(base + "/healthz", 20):
        stop(proc)
        raise AssertionError(f"the gateway {name} did not start")
    return proc, base


class ManyGateways(unittest.TestCase):
    def test_two_gateways_both_deliver_and_presence_counts_across_them(self):
        proc, other = private_gateway("e2e-second")
        try:
            async def scenario():
                a, b, c = (register_and_login(p) for p in ("two_a_", "two_b_", "two_c_"))
                befriend(a, b)
                wb1, wb2 = await connect(b), await connect(b, other)
                await settle(wb1)
                await settle(wb2)
                notify(c, b)
                n1 = await next_frame(wb1, ("notification",))
                n2 = await next_frame(wb2, ("notification",))
                self.assertEqual(n1, n2)
                wa1 = await connect(a)
                self.assertEqual((await next_frame(wb1, ("presence",)))["status"], "online")
                self.assertEqual((await next_frame(wb2, ("presence",)))["status"], "online")
                wa2 = await connect(a, other)
                await settle(wa2)
                await wa1.close()                       # still online on the other gateway
                await no_frame(wb1, ("presence",), 1.5)
                await wa2.close()
                self.assertEqual((await next_frame(wb2, ("presence",)))["status"], "offline")
                await wb1.close()
                await wb2.close()
            run(scenario())
        finally:
            stop(proc)

    def test_a_killed_gateways_users_go_offline(self):
        proc, other = private_gateway("e2e-doomed", {"GATEWAY_LEASE_MS": "3000"})
        try:
            async def scenario():
                a, b = register_and_login("dead_a_"), register_and_login("dead_b_")
                befriend(a, b)
                wb = await connect(b)
                await settle(wb)
                wa = await connect(a, other)
                self.assertEqual((await next_frame(wb, ("presence",)))["status"], "online")
                started = time.monotonic()
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                frame = await next_frame(wb, ("presence",), timeout=15)
                self.assertEqual(frame, {"type": "presence", "user_id": a["id"], "status": "offline"})
                self.assertLess(time.monotonic() - started, 10)
                status, _, user = request("GET", f"/api/users/{a['id']}/", token=b["access"])
                self.assertFalse(user["is_online"])
                await wb.close()
                try:
                    await wa.close()
                except Exception:
                    pass
            run(scenario())
        finally:
            stop(proc)


@unittest.skipUnless(LOG_DIR, "LOG_DIR is set by scripts/test")
class NotificationServiceKilled(unittest.TestCase):
    def test_notifications_made_while_it_is_down_are_delivered_when_it_is_back(self):
        async def scenario():
            a, b = register_and_login("kill_a_"), register_and_login("kill_b_")
            wb = await connect(b)
            await settle(wb)
            binary = os.path.join(BUILD_DIR, "notification_service")
            before = pids_of(binary)
            self.assertTrue(before)
            for pid in before:
                os.kill(pid, signal.SIGKILL)
            made = [notify(a, b) for _ in range(3)]    # the friend service writes them
            got = []
            while len(got) < 3:
                frame = await next_frame(wb, ("notification",), timeout=40)
                got.append(frame["notification"]["data"]["friend_request_id"])
            self.assertEqual(got, made)
            await no_frame(wb, ("notification",), 1.0)
            await wb.close()
        run(scenario())


@unittest.skipUnless(DATABASE_URL, "DATABASE_URL is set by scripts/test")
class DeletedUser(unittest.TestCase):
    def test_a_deleted_users_sockets_are_closed(self):
        async def scenario():
            a = register_and_login("gone_")
            wa = await connect(a)
            await settle(wa)
            subprocess.run(["psql", "-q", DATABASE_URL, "-c", f"DELETE FROM users WHERE id = {int(a['id'])}"],
                           check=True, stdout=subprocess.DEVNULL)
            try:
                while True:
                    await asyncio.wait_for(wa.recv(), 10)
            except websockets.ConnectionClosed as closed:
                self.assertEqual(closed.code, 4001)
        run(scenario())


if __name__ == "__main__":
    unittest.main()
