"""The gateway's HTTP server against an attacker who owns whole connections.

Each test reproduces an attack that once worked against the gateway (when
libwebsockets parsed HTTP and a front door only peeked at the first request line),
against the running gateway, on 127.0.0.1 only and bounded in time and count:
every check holds for every request of a keep-alive connection, connections
stuck in their headers cannot starve others, incomplete requests cost no CPU, a
connection costs one descriptor, header smuggling and obs-fold are 400s, a
half-closed request is answered, ';' is an ordinary path character, a NUL in a
header value is a 400, and oversized heads get a 431. Environment: GATEWAY_URL.
"""
import json
import os
import resource
import socket
import time
import unittest
import urllib.parse

GATEWAY_URL = os.environ.get("GATEWAY_URL", "http://127.0.0.1:18000")
NUL_DETAIL = {"detail": "Null characters are not allowed."}


def address():
    url = urllib.parse.urlsplit(GATEWAY_URL)
    return url.hostname, url.port or 80


def get(target, *headers):
    host, port = address()
    lines = [f"GET {target} HTTP/1.1", f"Host: {host}:{port}"] + list(headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_responses(s, count=None, timeout=5.0):
    """Reads responses (status, headers, body) from s until count are in, the peer
    closes, or nothing comes for `timeout` seconds."""
    s.settimeout(timeout)
    data, found = b"", []
    while count is None or len(found) < count:
        while b"\r\n\r\n" in data:
            head, _, rest = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if len(rest) < length:
                break
            found.append((int(lines[0].split(" ")[1]), headers, rest[:length]))
            data = rest[length:]
            if count is not None and len(found) >= count:
                return found
        try:
            chunk = s.recv(65536)
        except (socket.timeout, ConnectionResetError):
            break
        if not chunk:
            break
        data += chunk
    return found


def exchange(payload, count=None, timeout=5.0, half_close=False):
    with socket.create_connection(address(), timeout=timeout) as s:
        s.sendall(payload)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        return read_responses(s, count, timeout)


def gateway_pid():
    """The pid of the process listening on the gateway's port (from /proc)."""
    _, port = address()
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                for line in f.readlines()[1:]:
                    parts = line.split()
                    if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(parts[9])
        except OSError:
            pass
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(pid)
        except OSError:
            continue
    return None


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def open_many(count, payload):
    """count connections that each send payload, then stay silent."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 200), hard))
    socks = []
    try:
        for _ in range(count):
            s = socket.create_connection(address(), timeout=5)
            if payload:
                s.sendall(payload)
            socks.append(s)
    except BaseException:
        close_all(socks)
        raise
    return socks


def close_all(socks):
    for s in socks:
        s.close()


def timed_healthz():
    """Seconds one fresh client takes to get /healthz answered (200)."""
    started = time.monotonic()
    answers = exchange(get("/healthz"), count=1, timeout=5)
    elapsed = time.monotonic() - started
    assert answers and answers[0][0] == 200, answers
    return elapsed


class EveryRequestChecked(unittest.TestCase):
    def test_nul_in_a_later_request_is_a_400(self):
        answers = exchange(get("/healthz") + get("/api/users/?search=a%00b"))
        self.assertEqual([a[0] for a in answers], [200, 400])
        self.assertEqual(json.loads(answers[1][2]), NUL_DETAIL)

    def test_nul_in_a_request_after_a_pause(self):
        with socket.create_connection(address(), timeout=5) as s:
            s.sendall(get("/healthz"))
            self.assertEqual(read_responses(s, 1)[0][0], 200)
            s.sendall(get("/api/users/%00/"))
            answers = read_responses(s, 1)
        self.assertEqual(answers[0][0], 400)
        self.assertEqual(json.loads(answers[0][2]), NUL_DETAIL)

    def test_pipelined_requests_answered_in_order(self):
        body = b'{"username":"nobody","password":"wrong-password"}'
        post = (b"POST /api/auth/refresh/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body)) + body
        answers = exchange(get("/healthz") + post + get("/api/nowhere/") + post
                           + get("/healthz"), count=5, timeout=10)
        self.assertEqual([a[0] for a in answers], [200, 400, 404, 400, 200])

    def test_unknown_method_on_a_known_route_is_405(self):
        host, port = address()
        answers = exchange(f"TRACE /healthz HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        self.assertEqual(answers[0][0], 405)
        self.assertEqual(json.loads(answers[0][2]), {"detail": 'Method "TRACE" not allowed.'})
        self.assertIn("GET", answers[0][1].get("allow", ""))


class Smuggling(unittest.TestCase):
    def test_space_before_colon_is_a_400_and_the_hidden_request_never_runs(self):
        hidden = get("/healthz")
        payload = (b"POST /api/auth/login/ HTTP/1.1\r\nHost: x\r\n"
                   b"Transfer-Encoding : chunked\r\nContent-Length: %d\r\n\r\n" % (len(hidden) + 5)
                   + b"0\r\n\r\n" + hidden)
        answers = exchange(payload)
        self.assertEqual([a[0] for a in answers], [400])
        self.assertEqual(answers[0][1].get("connection"), "close")

    def test_tab_before_colon_is_a_400(self):
        self.assertEqual([a[0] for a in exchange(get("/healthz", "Host\t: x"))], [400])

    def test_obs_fold_is_a_400_not_a_hang(self):
        started = time.monotonic()
        answers = exchange(get("/healthz", "X-Folded: a", " b"))
        self.assertEqual([a[0] for a in answers], [400])
        self.assertLess(time.monotonic() - started, 3)

    def test_nul_in_a_header_value_is_a_400(self):
        answers = exchange(get("/healthz", "X-Thing: a\x00b"))
        self.assertEqual([a[0] for a in answers], [400])
        self.assertEqual(json.loads(answers[0][2]), NUL_DETAIL)

    def test_semicolon_in_a_path_is_an_unknown_path(self):
        answers = exchange(get("/api/users/1;x/"), count=1)
        self.assertEqual(answers[0][0], 404)
        self.assertEqual(json.loads(answers[0][2]), {"detail": "Not found."})

    def test_oversized_head_is_a_431(self):
        answers = exchange(get("/healthz", "X-Big: " + "a" * 9000))
        self.assertEqual([a[0] for a in answers], [431])
        answers = exchange(get("/healthz", *[f"X-{i}: v" for i in range(100)]))
        self.assertEqual([a[0] for a in answers], [431])


class HalfClose(unittest.TestCase):
    def test_half_closed_request_is_answered(self):
        answers = exchange(get("/healthz"), count=1, half_close=True)
        self.assertEqual([a[0] for a in answers], [200])

    def test_half_closed_bus_request_is_answered(self):
        answers = exchange(get("/readyz"), count=1, timeout=10, half_close=True)
        self.assertEqual(len(answers), 1)
        self.assertIn(answers[0][0], (200, 503))

    def test_half_closed_pipeline_is_answered_in_order(self):
        answers = exchange(get("/healthz") + get("/readyz") + get("/healthz"), count=3,
                           timeout=10, half_close=True)
        self.assertEqual([a[0] for a in answers][::2], [200, 200])
        self.assertEqual(len(answers), 3)


class Floods(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pid = gateway_pid()

    def test_slow_headers_cannot_starve_others(self):
        # More connections than libwebsockets' whole header pool (1,024), each
        # holding an unfinished head.
        socks = open_many(1100, b"GET /healthz HTTP/1.1\r\nX-Slow: 1\r\n")
        try:
            times = [timed_healthz() for _ in range(20)]
        finally:
            close_all(socks)
        self.assertLess(max(times), 2.0, times)

    def test_incomplete_request_lines_cost_no_cpu(self):
        if not self.pid:
            self.skipTest("gateway process not found")
        socks = open_many(1000, b"GET /heal")
        try:
            time.sleep(0.5)
            before = cpu_seconds(self.pid)
            time.sleep(2.0)
            used = cpu_seconds(self.pid) - before
            self.assertLess(timed_healthz(), 2.0)
        finally:
            close_all(socks)
        self.assertLess(used, 0.4, f"{used:.2f} s of CPU in 2 s while idle")

    def test_a_silent_connection_costs_one_descriptor(self):
        if not self.pid:
            self.skipTest("gateway process not found")
        time.sleep(0.5)
        before = fd_count(self.pid)
        socks = open_many(1000, b"")
        try:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and fd_count(self.pid) < before + 1000:
                time.sleep(0.1)
            during = fd_count(self.pid)
            self.assertLess(timed_healthz(), 2.0)
        finally:
            close_all(socks)
        self.assertLessEqual(during - before, 1000 + 20, (before, during))
        self.assertGreaterEqual(during - before, 900, (before, during))


if __name__ == "__main__":
    unittest.main()
