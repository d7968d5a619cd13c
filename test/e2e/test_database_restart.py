"""The services survive a PostgreSQL restart: requests in flight at the restart get 503
(never 500, never a hang), and every worker reconnects by itself on its next request.

Needs PG_DIR (the test cluster's data folder) and PG_BIN from scripts/test; skipped
otherwise. It restarts the shared test cluster, so it runs last (module name)."""
import os
import subprocess
import time
import unittest

from util import register_and_login, request


def pg_ctl(*args):
    """Runs pg_ctl on the test cluster as its owner (postgres when we are root)."""
    argv = [os.path.join(os.environ["PG_BIN"], "pg_ctl"), "-D", os.environ["PG_DIR"], *args]
    if os.geteuid() == 0:
        argv = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(argv)]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=60)


@unittest.skipUnless(os.environ.get("PG_DIR") and os.environ.get("PG_BIN"),
                     "PG_DIR and PG_BIN are set by scripts/test")
class DatabaseRestartTest(unittest.TestCase):
    def test_services_reconnect_after_a_restart(self):
        user = register_and_login("restart_")
        status, _, _ = request("GET", "/api/users/me/", token=user["access"])
        self.assertEqual(status, 200)

        pg_ctl("restart", "-m", "fast", "-w", "-t", "60")

        # Every worker finds its old connection broken once: those answers are 503.
        # Within a bounded time, every request succeeds again.
        statuses = []
        deadline = time.monotonic() + 20
        streak = 0
        while time.monotonic() < deadline and streak < 40:
            status, _, _ = request("GET", "/api/users/me/", token=user["access"])
            statuses.append(status)
            streak = streak + 1 if status == 200 else 0
        self.assertEqual(streak, 40, f"statuses after the restart: {statuses}")
        self.assertTrue(set(statuses) <= {200, 503}, f"statuses: {statuses}")

        # Writes work again too, through another service.
        status, _, _ = request("PATCH", f"/api/users/{user['id']}/", {"bio": "after restart"},
                            token=user["access"])
        self.assertIn(status, (200, 503))
        status, _, data = request("PATCH", f"/api/users/{user['id']}/", {"bio": "after restart"},
                               token=user["access"])
        self.assertEqual(status, 200, data)
        status, _, _ = request("POST", "/api/auth/login/",
                            {"username": user["username"], "password": user["password"]})
        self.assertIn(status, (200, 503))


if __name__ == "__main__":
    unittest.main()
