"""The stack is supervised: a service process killed with SIGKILL is restarted by its
supervisor (scripts/lib.sh, supervise), the supervisor says so in the process's log,
and the other processes keep serving meanwhile.

Needs LOG_DIR and BUILD_DIR from scripts/test; skipped otherwise."""
import os
import signal
import time
import unittest

from util import BUILD_DIR, PASSWORD, register_and_login, request

LOG_DIR = os.environ.get("LOG_DIR")


def pids_of(binary):
    """Pids of the running processes whose executable is `binary`."""
    target = os.path.realpath(binary)
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.readlink(f"/proc/{entry}/exe") == target:
                found.append(int(entry))
        except OSError:
            continue
    return found


@unittest.skipUnless(LOG_DIR and os.path.isdir(LOG_DIR), "LOG_DIR is set by scripts/test")
class SupervisionTest(unittest.TestCase):
    def test_a_killed_service_is_restarted_and_the_rest_keeps_serving(self):
        user = register_and_login("super_")
        status, _, _ = request("GET", "/api/users/me/", token=user["access"])
        self.assertEqual(status, 200)
        binary = os.path.join(BUILD_DIR, "user_service")
        before = pids_of(binary)
        self.assertEqual(len(before), 1, f"one user service expected, found {before}")

        os.kill(before[0], signal.SIGKILL)

        # The auth service and the gateway are untouched: logins go on.
        status, _, body = request("POST", "/api/auth/login/",
                                  body={"username": user["username"], "password": PASSWORD})
        self.assertEqual(status, 200, body)

        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline:
            status, _, _ = request("GET", "/api/users/me/", token=user["access"])
            if status == 200 and pids_of(binary):
                break
            time.sleep(0.2)
        self.assertEqual(status, 200, "the user service did not come back within 30 s")
        after = pids_of(binary)
        self.assertEqual(len(after), 1)
        self.assertNotEqual(after[0], before[0])
        with open(os.path.join(LOG_DIR, "user.log"), errors="replace") as f:
            self.assertIn("user exited with status 137: restarting", f.read())
        status, _, _ = request("GET", "/readyz")
        self.assertEqual(status, 200)
