"""The WebSocket endpoint /ws/main/?token=<access token> (docs/api.md, WebSocket).

Refused handshakes need nothing but the gateway: the token, the RFC 6455 fields and
Origin are checked before any bus call. An accepted handshake needs the
notification service to answer presence.open (the user must still exist), which
scripts/test starts with the rest of the stack.

Some tests start a private gateway (as test_throttle.py does) on the shared broker,
with their own settings: a CORS list, small limits, a drain on SIGTERM.

Client: Debian's python3-websockets (asyncio); raw sockets where a client must
misbehave (never reading)."""
import asyncio
import json
import os
import socket
import struct
import tempfile
import time
import unittest

import websockets

from util import (BUILD_DIR, GATEWAY_URL, free_port, make_jwt, register_and_login,
                  request, spawn, stop, wait_http)

SECRET = os.environ.get("JWT_SECRET", "")
KEY = "dGhlIHNhbXBsZSBub25jZQ=="
HANDSHAKE = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": KEY,
             "Sec-WebSocket-Version": "13"}
NOT_PROVIDED = {"detail": "Authentication credentials were not provided."}
NOT_VALID = {"detail": "Given token not valid for any token type", "code": "token_not_valid"}


def token(uid, kind="access", lifetime=300):
    now = int(time.time())
    return make_jwt({"token_type": kind, "exp": now + lifetime, "iat": now,
                     "jti": os.urandom(16).hex(), "user_id": uid}, SECRET)


def ws_url(base, tok):
    return base.replace("http://", "ws://") + "/ws/main/" + (f"?token={tok}" if tok else "")


def run(coro, timeout=60):
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def roundtrip(ws, message):
    await ws.send(message)
    return json.loads(await asyncio.wait_for(ws.recv(), 10))


def binary(name):
    path = os.path.join(BUILD_DIR, name)
    return path if os.access(path, os.X_OK) else None


class PrivateGateway:
    """A gateway of our own on the shared broker, with extra settings."""

    def __init__(self, **env):
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.log = tempfile.NamedTemporaryFile(prefix="e2e-ws-gateway-", suffix=".log",
                                               delete=False).name
        env = {k: str(v) for k, v in env.items()}
        env["GATEWAY_PORT"] = str(port)
        self.proc = spawn([binary("gateway")], env, self.log)
        if not wait_http(self.base + "/healthz", 30):
            self.stop()
            raise AssertionError(f"the private gateway did not start (log {self.log})")

    def stop(self):
        return stop(self.proc)

    def log_text(self):
        with open(self.log, errors="replace") as f:
            return f.read()




class RefusedHandshakeTest(unittest.TestCase):
    """Handshakes the gateway refuses itself, with DRF's answers."""

    def upgrade(self, path="/ws/main/", headers=None, base=None):
        sent = dict(HANDSHAKE)
        sent.update(headers or {})
        return request("GET", path, headers=sent, base=base)

    def test_missing_token(self):
        for path in ("/ws/main/", "/ws/main", "/ws/main/?token="):
            status, headers, data = self.upgrade(path)
            self.assertEqual(status, 401, path)
            self.assertEqual(data, NOT_PROVIDED)
            self.assertEqual(headers.get("connection"), "close")

    def test_garbage_expired_refresh_and_forged_tokens(self):
        for tok in ("garbage", "a.b.c", token(1, lifetime=-10), token(1, kind="refresh"),
                    make_jwt({"token_type": "access", "exp": int(time.time()) + 300,
                              "iat": 0, "jti": "0" * 32, "user_id": 1},
                             "another-secret-0123456789abcdef0123456789")):
            status, _, data = self.upgrade(f"/ws/main/?token={tok}")
            self.assertEqual(status, 401, tok)
            self.assertEqual(data, NOT_VALID)

    def test_bad_handshakes(self):
        tok = token(1)
        status, headers, _ = self.upgrade(f"/ws/main/?token={tok}",
                                          {"Sec-WebSocket-Version": "8"})
        self.assertEqual(status, 426)
        self.assertEqual(headers.get("sec-websocket-version"), "13")
        for bad in ({"Sec-WebSocket-Key": "short"}, {"Connection": "close"}):
            status, _, _ = self.upgrade(f"/ws/main/?token={tok}", bad)
            self.assertEqual(status, 400, bad)

    def test_other_upgrades_stay_refused(self):
        status, _, _ = self.upgrade("/api/users/")
        self.assertEqual(status, 403)
        status, _, _ = self.upgrade(f"/ws/main/?token={token(1)}", {"Upgrade": "foo"})
        self.assertEqual(status, 403)

    def test_a_refused_client_library_handshake(self):
        async def attempt(tok):
            try:
                async with websockets.connect(ws_url(GATEWAY_URL, tok)):
                    return 101
            except websockets.exceptions.InvalidStatusCode as e:
                return e.status_code
        for tok in (None, "garbage", token(1, lifetime=-1), token(1, kind="refresh")):
            self.assertEqual(run(attempt(tok)), 401, tok)

    def test_the_token_is_never_logged(self):
        tok = token(424242, lifetime=-1)
        self.upgrade(f"/ws/main/?token={tok}")
        log_dir = os.environ.get("LOG_DIR")
        if not log_dir:
            self.skipTest("LOG_DIR is not set")
        with open(os.path.join(log_dir, "gateway.log"), errors="replace") as f:
            self.assertNotIn(tok.split(".")[2], f.read())


@unittest.skipUnless(binary("gateway"), "no gateway binary")
class OriginTest(unittest.TestCase):
    """With CORS_ALLOWED_ORIGINS set, a listed Origin passes, another is a 403."""

    @classmethod
    def setUpClass(cls):
        cls.gw = PrivateGateway(CORS_ALLOWED_ORIGINS="https://app.example.com")

    @classmethod
    def tearDownClass(cls):
        cls.gw.stop()

    def test_unlisted_origin_is_forbidden(self):
        headers = dict(HANDSHAKE, Origin="https://evil.example.com")
        status, _, data = request("GET", f"/ws/main/?token={token(1)}", headers=headers,
                                  base=self.gw.base)
        self.assertEqual(status, 403)
        self.assertEqual(data, {"detail": "You do not have permission to perform this action."})

    def test_every_answer_varies_with_origin_even_a_refused_head(self):
        status, headers, _ = request("GET", "/healthz", headers={"Origin": "https://app.example.com"},
                                     base=self.gw.base)
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("access-control-allow-origin"), "https://app.example.com")
        self.assertEqual(headers.get("vary"), "Origin")
        # A head the server cannot read (a NUL in it): 400, no CORS headers, still Vary.
        port = int(self.gw.base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example.com\r\n"
                         b"X-Bad: a\x00b\r\n\r\n")
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        self.assertTrue(head[0].startswith("HTTP/1.1 400"), head[0])
        fields = {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip() for line in head[1:]}
        self.assertEqual(fields.get("vary"), "Origin")
        self.assertNotIn("access-control-allow-origin", fields)

    def test_listed_origin_passes_the_check(self):
        # Past the Origin check comes presence.open: 101, or 503 without a
        # notification service, or 401 for this user who does not exist; never 403.
        headers = dict(HANDSHAKE, Origin="https://app.example.com")
        status, _, _ = request("GET", f"/ws/main/?token={token(1)}", headers=headers,
                               base=self.gw.base)
        self.assertNotEqual(status, 403)


class OpenSocketTest(unittest.TestCase):
    """Sockets that open (the notification service answers presence.open)."""

    @classmethod
    def setUpClass(cls):
        cls.user = register_and_login("ws_")

    def test_ping_pong(self):
        async def go():
            async with websockets.connect(ws_url(GATEWAY_URL, self.user["access"])) as ws:
                self.assertEqual(await roundtrip(ws, '{"type": "ping"}'), {"type": "pong"})
        run(go())

    def test_unusable_frames_get_an_error_and_the_socket_stays_open(self):
        async def go():
            async with websockets.connect(ws_url(GATEWAY_URL, self.user["access"]),
                                          max_size=None) as ws:
                for frame in ("not json", "[1, 2]", "42", "{}", '{"type": 1}',
                              '{"type": "dance"}', b"\x00\x01binary",
                              '{"type": "ping", "pad": "' + "x" * 70000 + '"}',
                              '{"type": "notifications.resume", "after": -1}'):
                    reply = await roundtrip(ws, frame)
                    self.assertEqual(reply["type"], "error", frame[:40])
                    self.assertIsInstance(reply["detail"], str)
                    self.assertEqual(await roundtrip(ws, '{"type": "ping"}'),
                                     {"type": "pong"}, "still open after " + repr(frame[:40]))
                # A fragmented message is reassembled.

                async def pieces():
                    yield '{"type":'
                    yield ' "ping"}'
                await ws.send(pieces())
                self.assertEqual(json.loads(await ws.recv()), {"type": "pong"})
        run(go())

    def test_garbage_in_a_row_is_closed_1008(self):
        async def go():
            async with websockets.connect(ws_url(GATEWAY_URL, self.user["access"])) as ws:
                for _ in range(20):
                    await ws.send("garbage")
                with self.assertRaises(websockets.exceptions.ConnectionClosed) as caught:
                    while True:
                        await asyncio.wait_for(ws.recv(), 10)
                self.assertEqual(caught.exception.code, 1008)
        run(go())

    def test_open_after_the_token_expires(self):
        tok = token(self.user["id"], lifetime=2)

        async def go():
            async with websockets.connect(ws_url(GATEWAY_URL, tok)) as ws:
                await asyncio.sleep(3.5)
                self.assertEqual(await roundtrip(ws, '{"type": "ping"}'), {"type": "pong"})
        run(go())

    def test_many_sockets_of_one_user(self):
        async def go():
            sockets = [await websockets.connect(ws_url(GATEWAY_URL, self.user["access"]))
                       for _ in range(10)]
            try:
                for ws in sockets:
                    self.assertEqual(await roundtrip(ws, '{"type": "ping"}'),
                                     {"type": "pong"})
            finally:
                for ws in sockets:
                    await ws.close()
        run(go())


def raw_socket(base, tok, rcvbuf=None):
    """A WebSocket opened by hand (so that it can misbehave); returns the socket."""
    port = int(base.rsplit(":", 1)[1])
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect(("127.0.0.1", port))
    s.sendall((f"GET /ws/main/?token={tok} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {KEY}\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1)
        if not chunk:
            raise AssertionError("closed during the handshake")
        head += chunk
    if not head.startswith(b"HTTP/1.1 101"):
        raise AssertionError(head.decode(errors="replace"))
    return s


def masked(payload, opcode=1):
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + body


def close_code(data):
    """The code of the close frame in a stream of server frames, or None."""
    i = 0
    while i + 2 <= len(data):
        opcode, n = data[i] & 0x0F, data[i + 1] & 0x7F
        i += 2
        if n == 126:
            n = struct.unpack(">H", data[i:i + 2])[0]
            i += 2
        elif n == 127:
            n = struct.unpack(">Q", data[i:i + 8])[0]
            i += 8
        if opcode == 8 and n >= 2 and i + 2 <= len(data):
            return struct.unpack(">H", data[i:i + 2])[0]
        i += n
    return None


@unittest.skipUnless(binary("gateway"), "no gateway binary")
class LimitsTest(unittest.TestCase):
    """A private gateway with small limits: a client that stops reading is closed
    (1008) while another keeps working; the sockets-per-user limit; the drain."""

    @classmethod
    def setUpClass(cls):
        cls.gw = PrivateGateway(WS_SEND_QUEUE_MAX=4096, WS_MAX_SOCKETS_PER_USER=3)
        cls.user = register_and_login("ws_lim_")

    @classmethod
    def tearDownClass(cls):
        if hasattr(cls, "gw"):
            cls.gw.stop()

    def test_a_client_that_stops_reading_is_closed_1008(self):
        slow = raw_socket(self.gw.base, self.user["access"], rcvbuf=4096)
        ping = masked(b'{"type":"ping"}') * 2000
        closed = False
        deadline = time.monotonic() + 30
        slow.settimeout(5)
        try:
            while time.monotonic() < deadline and "closed (1008)" not in self.gw.log_text():
                slow.sendall(ping)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            closed = True
        self.assertIn("closed (1008)", self.gw.log_text())

        async def other():
            async with websockets.connect(ws_url(self.gw.base, self.user["access"])) as ws:
                self.assertEqual(await roundtrip(ws, '{"type": "ping"}'), {"type": "pong"})
        run(other())
        data = b""
        slow.settimeout(10)
        try:
            while True:
                chunk = slow.recv(1 << 20)
                if not chunk:
                    break
                data += chunk
        except (ConnectionResetError, socket.timeout):
            pass
        slow.close()
        code = close_code(data)
        self.assertIn(code, (None, 1008), code)
        self.assertTrue(closed or code == 1008 or len(data) < 100 * 1024 * 1024)

    def test_sockets_per_user_limit(self):
        async def go():
            url = ws_url(self.gw.base, self.user["access"])
            sockets = [await websockets.connect(url) for _ in range(3)]
            try:
                with self.assertRaises(websockets.exceptions.InvalidStatusCode) as caught:
                    await websockets.connect(url)
                self.assertEqual(caught.exception.status_code, 429)
            finally:
                for ws in sockets:
                    await ws.close()
            await asyncio.sleep(0.3)
            async with websockets.connect(url) as ws:      # places are given back
                self.assertEqual(await roundtrip(ws, '{"type": "ping"}'), {"type": "pong"})
        run(go())

    def test_z_drain_on_sigterm_closes_1001(self):
        gw = PrivateGateway()

        async def go():
            async with websockets.connect(ws_url(gw.base, self.user["access"])) as ws:
                await roundtrip(ws, '{"type": "ping"}')
                gw.proc.send_signal(15)
                with self.assertRaises(websockets.exceptions.ConnectionClosed) as caught:
                    await asyncio.wait_for(ws.recv(), 15)
                self.assertEqual(caught.exception.code, 1001)
        try:
            run(go())
        finally:
            self.assertEqual(gw.stop(), 0)


if __name__ == "__main__":
    unittest.main()
