"""Throttling through the gateway (docs/api.md's 429): failed logins per (client address,
username) and per address, registrations per address when configured, the client
address read from X-Forwarded-For behind a trusted proxy.

Runs a private broker, auth service and gateway with small rates (the shared stack
keeps the defaults), on the shared test database."""
import os
import re
import tempfile
import time
import unittest

from util import BUILD_DIR, PASSWORD, free_port, request, spawn, stop, unique, wait_http

THROTTLED = re.compile(r"^Request was throttled\. Expected available in (\d+) seconds?\.$")


def binary(name):
    path = os.path.join(BUILD_DIR, name)
    return path if os.access(path, os.X_OK) else None


class ThrottleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        names = ("broker", "auth_service", "gateway")
        if not all(binary(n) for n in names):
            raise unittest.SkipTest(f"binaries missing in {BUILD_DIR}")
        port = free_port()
        cls.base = f"http://127.0.0.1:{port}"
        # A broker of its own binds event endpoints of its own too (the stack's are taken).
        env = {"BUS_ENDPOINT": f"tcp://127.0.0.1:{free_port()}", "GATEWAY_PORT": str(port),
               "EVENTS_PUB_ENDPOINT": f"tcp://127.0.0.1:{free_port()}",
               "EVENTS_SUB_ENDPOINT": f"tcp://127.0.0.1:{free_port()}",
               "GATEWAY_SERVICES": "auth", "TRUSTED_PROXIES": "127.0.0.1",
               "THROTTLE_LOGIN": "3/1m", "THROTTLE_LOGIN_PER_ADDRESS": "6/1m",
               "THROTTLE_REGISTER": "3/1h"}
        log_dir = tempfile.mkdtemp(prefix="e2e-throttle-")
        cls.procs = [spawn([binary(n)], env, os.path.join(log_dir, f"{n}.log")) for n in names]
        if not wait_http(cls.base + "/readyz", 30):
            cls.tearDownClass()
            raise AssertionError(f"the private stack did not start (logs in {log_dir})")

    @classmethod
    def tearDownClass(cls):
        for proc in reversed(cls.procs):
            stop(proc)

    def post(self, path, body, client):
        return request("POST", path, body, base=self.base,
                       headers={"X-Forwarded-For": client})

    def login(self, username, password, client):
        return self.post("/api/auth/login/", {"username": username, "password": password},
                         client)

    def register(self, username, client):
        return self.post("/api/auth/register/",
                         {"username": username, "email": f"{username}@example.com",
                          "password": PASSWORD}, client)

    def assert_throttled(self, status, headers, data, longest):
        self.assertEqual(status, 429, data)
        match = THROTTLED.match(data.get("detail", ""))
        self.assertIsNotNone(match, data)
        wait = int(match.group(1))
        self.assertTrue(1 <= wait <= longest, wait)
        self.assertEqual(headers.get("retry-after"), str(wait))
        if wait == 1:
            self.assertTrue(data["detail"].endswith("1 second."), data)

    def test_failed_logins_lock_out_the_guesser_not_the_owner(self):
        name = unique("thr_")
        status, _, _ = self.register(name, "192.0.2.10")
        self.assertEqual(status, 201)
        for _ in range(3):
            status, _, _ = self.login(name, "wrong guess", "203.0.113.50")
            self.assertEqual(status, 401)
        status, headers, data = self.login(name, PASSWORD, "203.0.113.50")
        self.assert_throttled(status, headers, data, 60)
        status, _, data = self.login(name, PASSWORD, "203.0.113.51")
        self.assertEqual(status, 200, data)

    def test_failed_logins_per_address_whatever_the_username(self):
        for i in range(6):
            status, _, _ = self.login(unique(f"spray{i}_"), "guess", "203.0.113.60")
            self.assertEqual(status, 401)
        status, headers, data = self.login(unique("spray_"), "guess", "203.0.113.60")
        self.assert_throttled(status, headers, data, 60)
        status, _, _ = self.login(unique("spray_"), "guess", "203.0.113.61")
        self.assertEqual(status, 401)

    def test_registrations_per_address_when_configured(self):
        for _ in range(3):
            status, _, data = self.register(unique("reg_"), "203.0.113.70")
            self.assertEqual(status, 201, data)
        status, headers, data = self.register(unique("reg_"), "203.0.113.70")
        self.assert_throttled(status, headers, data, 3600)
        status, _, data = self.register(unique("reg_"), "203.0.113.71")
        self.assertEqual(status, 201, data)

    def test_the_last_untrusted_hop_is_the_client(self):
        # What a client writes in front of its own address is not believed: both
        # requests come from 203.0.113.80 as the trusted proxy saw it.
        name = unique("hop_")
        for forged in ("1.1.1.1, 203.0.113.80", "2.2.2.2, 203.0.113.80", "203.0.113.80"):
            status, _, _ = self.login(name, "wrong", forged)
            self.assertEqual(status, 401)
        status, headers, data = self.login(name, "wrong", "3.3.3.3, 203.0.113.80")
        self.assert_throttled(status, headers, data, 60)
