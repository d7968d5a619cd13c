"""The private PostgreSQL cluster admits no one without its password: no Unix socket,
TCP on loopback only, SCRAM for every connection, and the credentials the scripts
created readable by their owner alone.

Needs DATABASE_URL and PGPASSFILE from scripts/test; skipped otherwise."""
import os
import stat
import subprocess
import unittest

DATABASE_URL = os.environ.get("DATABASE_URL", "")
PGPASSFILE = os.environ.get("PGPASSFILE", "")


def psql(env):
    """Runs one query on the test database with env; returns (exit status, output)."""
    done = subprocess.run(["psql", "-w", "-At", DATABASE_URL, "-c", "SELECT 1"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    return done.returncode, done.stdout.decode(errors="replace")


@unittest.skipUnless(DATABASE_URL and PGPASSFILE, "DATABASE_URL and PGPASSFILE are set by scripts/test")
class DatabaseAccessTest(unittest.TestCase):
    def test_no_password_no_connection(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["HOME"] = "/nonexistent"            # no ~/.pgpass to fall back on
        status, output = psql(env)
        self.assertNotEqual(status, 0, output)
        self.assertIn("password", output)

    def test_a_wrong_password_is_refused(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["HOME"] = "/nonexistent"
        env["PGPASSWORD"] = "not-the-password"
        status, output = psql(env)
        self.assertNotEqual(status, 0, output)
        self.assertIn("password authentication failed", output)

    def test_the_scripts_credentials_connect(self):
        status, output = psql(dict(os.environ))
        self.assertEqual((status, output.strip()), (0, "1"))

    def test_credentials_are_private_to_their_owner(self):
        secrets = os.path.dirname(PGPASSFILE)
        self.assertEqual(stat.S_IMODE(os.stat(secrets).st_mode), 0o700)
        for name in ("pgpass", "pg_password"):
            mode = stat.S_IMODE(os.stat(os.path.join(secrets, name)).st_mode)
            self.assertEqual(mode, 0o600, name)
