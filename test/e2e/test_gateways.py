"""Several gateways on one port (scripts/run's GATEWAYS=N): listen_socket opens one
listening socket, scripts/gateways runs gw1 and gw2 under their own supervisors,
both inheriting it. Both serve requests, a connection waiting in the accept queue
outlives a gateway killed with SIGKILL (the other one answers it), the port stays
served, and the dead gateway is restarted alone.

A private pair of gateways on a free port, on the shared stack's broker and
services (the shared gateway is untouched)."""
import os
import signal
import socket
import tempfile
import time
import unittest

from util import BUILD_DIR, free_port, register_and_login, request, spawn, stop, wait_http

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def gateways_below(root_pid):
    """{GATEWAY_ID: pid} of the gateway processes descending from root_pid."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found = {}
    target = os.path.realpath(os.path.join(BUILD_DIR, "gateway"))
    for pid in parents:
        ancestor = parents.get(pid)
        while ancestor and ancestor != root_pid:
            ancestor = parents.get(ancestor)
        if ancestor != root_pid:
            continue
        try:
            if os.readlink(f"/proc/{pid}/exe") != target:
                continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = dict(v.split(b"=", 1) for v in f.read().split(b"\0") if b"=" in v)
        except OSError:
            continue
        found[env.get(b"GATEWAY_ID", b"").decode()] = pid
    return found


class GatewaysTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        tool = os.path.join(BUILD_DIR, "listen_socket")
        if not os.access(tool, os.X_OK) or not os.access(os.path.join(BUILD_DIR, "gateway"), os.X_OK):
            raise unittest.SkipTest(f"listen_socket or gateway missing in {BUILD_DIR}")
        cls.port = free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        cls.logs = tempfile.mkdtemp(prefix="e2e-gateways-")
        cls.group = spawn([tool, "3", os.path.join(ROOT, "scripts", "gateways"), "2",
                           os.path.join(BUILD_DIR, "gateway"), cls.logs],
                          {"GATEWAY_PORT": str(cls.port)}, os.path.join(cls.logs, "group.log"))
        deadline = time.monotonic() + 30
        cls.pids = {}
        while time.monotonic() < deadline and len(cls.pids) < 2:
            cls.pids = gateways_below(cls.group.pid)
            time.sleep(0.1)
        if set(cls.pids) != {"gw1", "gw2"} or not wait_http(cls.base + "/readyz", 30):
            stop(cls.group)
            raise AssertionError(f"two gateways did not start: {cls.pids} (logs in {cls.logs})")
        cls.user = register_and_login("gws_")

    @classmethod
    def tearDownClass(cls):
        for pid in gateways_below(cls.group.pid).values():
            try:
                os.kill(pid, signal.SIGCONT)
            except OSError:
                pass
        status = stop(cls.group)
        if status != 0:
            raise AssertionError(f"the gateways' group exited with {status} (logs in {cls.logs})")

    def me(self):
        status, _, body = request("GET", "/api/users/me/", token=self.user["access"],
                                  base=self.base, timeout=10)
        return status, body

    def test_1_one_socket_and_both_gateways_serve(self):
        # One listening socket on the port, held by both gateways.
        for gid, pid in self.pids.items():
            with open(f"/proc/{pid}/environ", "rb") as f:
                self.assertIn(b"GATEWAY_LISTEN_FD=3", f.read().split(b"\0"), gid)
        # With the other one stopped, only this one can accept: its answer is its own.
        for serving, other in (("gw1", "gw2"), ("gw2", "gw1")):
            os.kill(self.pids[other], signal.SIGSTOP)
            try:
                status, body = self.me()
                self.assertEqual(status, 200, f"{serving} alone: {body}")
                self.assertEqual(body["username"], self.user["username"])
            finally:
                os.kill(self.pids[other], signal.SIGCONT)

    def test_2_a_queued_connection_outlives_a_killed_gateway(self):
        for pid in self.pids.values():
            os.kill(pid, signal.SIGSTOP)
        victim, survivor = self.pids["gw1"], self.pids["gw2"]
        try:
            # Neither gateway runs: the kernel completes the connection into the queue.
            with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                os.kill(victim, signal.SIGKILL)
                os.kill(survivor, signal.SIGCONT)
                answer = s.recv(4096)
            self.assertTrue(answer.startswith(b"HTTP/1.1 200"), answer)
        finally:
            os.kill(survivor, signal.SIGCONT)
        # The port stays served meanwhile, and gw1 alone is restarted by its supervisor.
        for _ in range(5):
            self.assertEqual(self.me()[0], 200)
        deadline = time.monotonic() + 20
        now = {}
        while time.monotonic() < deadline:
            now = gateways_below(self.group.pid)
            if now.get("gw1") not in (None, victim):
                break
            time.sleep(0.2)
        self.assertNotIn(now.get("gw1"), (None, victim), f"gw1 was not restarted: {now}")
        self.assertEqual(now.get("gw2"), survivor, "gw2 must not be restarted")
        with open(os.path.join(self.logs, "gw1.log"), errors="replace") as f:
            self.assertIn("gw1 exited with status 137: restarting", f.read())
        self.assertTrue(wait_http(self.base + "/readyz", 20))
        self.__class__.pids = now
