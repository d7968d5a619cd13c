"""Regression test for the libwebsockets 4.1.6 use-after-free on unknown upgrades.

lws 4.1.6 answers a request whose Upgrade header is neither "websocket" nor "h2c"
with 403, frees (or resets) the header table on a keep-alive connection, and then
still calls LWS_CALLBACK_HTTP_CONFIRM_UPGRADE with a pointer into that table. The
gateway now parses HTTP itself and answers every upgrade 403 before lws could see
it (gateway/http/http.c, http_on_head), and keeps this test. It starts the plain (non-sanitized)
gateway binary under valgrind, sends such requests in every shape that reaches that
path (fresh connection, after a keep-alive request, pipelined), plus h2c and
WebSocket upgrades on ordinary paths, checks each gets a sane answer or a close,
that pipelined requests with bodies (another lws 4.1.6 trap, which made lws spin)
do not stall the loop, that the gateway still serves /healthz, and
that valgrind saw no invalid access.

Environment: VALGRIND_GATEWAY (path of the gateway binary; the test is skipped when
unset), JWT_SECRET, BUS_ENDPOINT (optional: the gateway needs no broker for this).
"""
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from util import free_port

VALGRIND = "/usr/bin/valgrind"


def exchange(port, payloads, timeout=5.0):
    """Sends each payload (bytes) on one connection, pausing between them, and
    returns everything received until the peer closes or goes quiet."""
    data = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        for i, payload in enumerate(payloads):
            s.sendall(payload)
            if i + 1 < len(payloads):
                # Read the answer to this request before sending the next one, so
                # the next request arrives on an idle keep-alive connection.
                data += read_response(s)
        s.settimeout(1.5)
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (socket.timeout, ConnectionResetError):
            pass
    return data


def read_response(s):
    """Reads one response (headers plus Content-Length bytes of body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    return data


def request(path, *headers):
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"] + list(headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def statuses(data):
    """Status codes of every response in data, in order."""
    found = []
    for line in data.split(b"\r\n"):
        if line.startswith(b"HTTP/1."):
            parts = line.split(b" ")
            if len(parts) >= 2 and parts[1].isdigit():
                found.append(int(parts[1]))
    return found


HEALTHZ = request("/healthz")
UNKNOWN = ("Upgrade: foo", "Connection: Upgrade")
H2C = ("Upgrade: h2c", "Connection: Upgrade, HTTP2-Settings", "HTTP2-Settings: AAMAAABkAAQAAP__")
WEBSOCKET = ("Upgrade: websocket", "Connection: Upgrade",
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13")


@unittest.skipUnless(os.environ.get("VALGRIND_GATEWAY"), "VALGRIND_GATEWAY is not set")
@unittest.skipUnless(os.path.exists(VALGRIND), "valgrind is not installed")
class UpgradeHazardTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.log = tempfile.NamedTemporaryFile(prefix="gateway-valgrind-", suffix=".log",
                                              delete=False)
        env = dict(os.environ)
        env.update({
            "GATEWAY_PORT": str(cls.port),
            "GATEWAY_BIND": "127.0.0.1",
            "JWT_SECRET": os.environ.get("JWT_SECRET",
                                         "valgrind-test-secret-0123456789abcdef0123"),
            "BUS_ENDPOINT": os.environ.get("BUS_ENDPOINT", "tcp://127.0.0.1:9"),
            "LOG_LEVEL": "warn",
        })
        cls.proc = subprocess.Popen(
            [VALGRIND, "--error-exitcode=99", "--errors-for-leak-kinds=none",
             "--log-file=" + cls.log.name, os.environ["VALGRIND_GATEWAY"]],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if statuses(exchange(cls.port, [HEALTHZ], timeout=2)) == [200]:
                    return
            except OSError:
                pass
            if cls.proc.poll() is not None:
                break
            time.sleep(0.3)
        cls.proc.kill()
        raise RuntimeError("the gateway did not start under valgrind")

    @classmethod
    def tearDownClass(cls):
        if cls.proc.poll() is None:
            cls.proc.kill()
            cls.proc.wait()
        os.unlink(cls.log.name)

    def assert_sane(self, data, allowed=(403,)):
        """Every answer is one of `allowed` (a close with no answer is fine too)."""
        for status in statuses(data):
            self.assertIn(status, allowed, data[:400])

    def test_1_unknown_upgrade_on_fresh_connections(self):
        for path in ("/api/users/", "/healthz"):
            self.assert_sane(exchange(self.port, [request(path, *UNKNOWN)]))

    def test_2_unknown_upgrade_after_keepalive_request(self):
        for path in ("/api/users/", "/healthz"):
            data = exchange(self.port, [HEALTHZ, request(path, *UNKNOWN)])
            self.assertEqual(statuses(data)[:1], [200])
            self.assert_sane(data, allowed=(200, 403))

    def test_3_unknown_upgrade_pipelined(self):
        for path in ("/api/users/", "/healthz"):
            data = exchange(self.port, [HEALTHZ + request(path, *UNKNOWN) + HEALTHZ])
            self.assert_sane(data, allowed=(200, 403))

    def test_4_h2c_upgrade(self):
        for path in ("/api/users/", "/healthz"):
            self.assert_sane(exchange(self.port, [request(path, *H2C)]))
            self.assert_sane(exchange(self.port, [HEALTHZ, request(path, *H2C)]),
                             allowed=(200, 403))

    def test_5_websocket_upgrade_on_http_paths(self):
        for path in ("/api/users/", "/healthz"):
            data = exchange(self.port, [request(path, *WEBSOCKET)])
            self.assertNotIn(101, statuses(data))
            self.assert_sane(data)
            data = exchange(self.port, [HEALTHZ, request(path, *WEBSOCKET)])
            self.assertNotIn(101, statuses(data))
            self.assert_sane(data, allowed=(200, 403))

    def test_5b_the_websocket_endpoint(self):
        # /ws/main/ takes "Upgrade: websocket" only: unknown and h2c upgrades of it
        # stay 403, and a WebSocket handshake without a valid token is a 401 before
        # lws is involved.
        for path in ("/ws/main/", "/ws/main/?token=x"):
            self.assert_sane(exchange(self.port, [request(path, *UNKNOWN)]))
            self.assert_sane(exchange(self.port, [HEALTHZ, request(path, *H2C)]),
                             allowed=(200, 403))
            data = exchange(self.port, [request(path, *WEBSOCKET)])
            self.assertEqual(statuses(data), [401], data[:400])

    def test_6_pipelined_bodies_do_not_hang_the_loop(self):
        # lws 4.1.6 re-reads a pipelined request's buffered head as its body and then
        # spins in lws_http_action(); the gateway, which parses HTTP itself now,
        # answers each in order and keeps serving everyone else.
        body = b'{"username":"nobody","password":"wrong-password"}'
        post = (b"POST /api/auth/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body)) + body
        for payload in (HEALTHZ + post, post + post, HEALTHZ + post + HEALTHZ):
            data = exchange(self.port, [payload])
            self.assertTrue(statuses(data), data[:400])   # the first one is answered
            self.assert_sane(data, allowed=(200, 400, 401, 503))
            started = time.time()
            self.assertEqual(statuses(exchange(self.port, [HEALTHZ])), [200])
            self.assertLess(time.time() - started, 5)

    def test_7_still_serving_then_clean_exit(self):
        self.assertEqual(statuses(exchange(self.port, [HEALTHZ])), [200])
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.fail("the gateway did not stop on SIGTERM")
        with open(self.log.name, errors="replace") as f:
            report = f.read()
        self.assertNotEqual(code, 99, report[-3000:])
        self.assertEqual(code, 0, report[-3000:])
        self.assertNotIn("Invalid read", report)
        self.assertNotIn("Invalid write", report)
        self.assertIn("ERROR SUMMARY: 0 errors", report)


if __name__ == "__main__":
    unittest.main()
