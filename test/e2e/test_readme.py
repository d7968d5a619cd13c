"""The README's walk-through of the API, run as a newcomer would paste it: every ```sh
block that follows an HTML comment <!-- walkthrough --> in README.md, in order, as one
bash script under `set -euo pipefail`, with BASE set to the gateway under test
(GATEWAY_URL, exported by scripts/test) and a SUFFIX no earlier run has used. Checks that
it ends with status 0 and that the answers that matter are there: the rotated refresh
token refused, logout's 205, both chat sockets' chat.message with the sender's
client_id, the receiver's message notification, the idempotent resend, the refused send's
error, the live friend request and the notification replayed by notifications.resume."""
import json
import os
import re
import subprocess
import time
import unittest

from util import GATEWAY_URL

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")
MARK = "<!-- walkthrough -->"
BLOCK = re.compile(r"<!-- walkthrough -->\s*\n```sh\n(.*?)\n```", re.S)
FRAME = re.compile(r"^(alice|bob) <- (\{.*\})$")


def walkthrough_blocks(text):
    """The ```sh blocks marked for the walk-through, in order."""
    return BLOCK.findall(text)


def run_walkthrough():
    with open(README, encoding="utf-8") as f:
        text = f.read()
    blocks = walkthrough_blocks(text)
    assert len(blocks) == text.count(MARK), "every walkthrough mark must precede a ```sh block"
    script = "set -euo pipefail\n" + "\n".join(blocks) + "\n"
    env = dict(os.environ, BASE=GATEWAY_URL,
               SUFFIX=f"r{os.getpid()}_{int(time.time() * 1000) % 100000000}")
    proc = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True,
                          timeout=120)
    return blocks, proc


def frames(stdout, who):
    """The frames the walk-through printed as received by `who`, in order."""
    found = []
    for line in stdout.splitlines():
        match = FRAME.match(line)
        if match and match.group(1) == who:
            found.append(json.loads(match.group(2)))
    return found


def in_order(items, *tests):
    """True when items hold, in this order, one item passing each test."""
    it = iter(items)
    return all(any(test(item) for item in it) for test in tests)


class ReadmeWalkthrough(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.blocks, cls.proc = run_walkthrough()

    def detail(self):
        return f"\n--- stdout:\n{self.proc.stdout[-4000:]}\n--- stderr:\n{self.proc.stderr[-4000:]}"

    def test_the_blocks_are_found(self):
        self.assertGreaterEqual(len(self.blocks), 8)
        self.assertTrue(self.blocks[0].startswith("BASE=${BASE:-http://localhost:8000}"),
                        self.blocks[0])
        self.assertIn("SUFFIX=${SUFFIX:-", self.blocks[0])

    def test_it_runs_to_the_end(self):
        self.assertEqual(self.proc.returncode, 0, self.detail())

    def test_refresh_rotates_and_logout_answers_205(self):
        lines = self.proc.stdout.splitlines()
        self.assertIn("old refresh token: 401", lines, self.detail())
        self.assertIn("logout: 205", lines, self.detail())

    def test_rest_answers(self):
        out = self.proc.stdout
        self.assertIn('"status":"accepted"', out, self.detail())
        self.assertIn('"text":"Hello Bob"', out, self.detail())
        self.assertIn('{"updated":1}', out, self.detail())
        self.assertRegex(out, r'"unread":1\}', self.detail())

    def test_chat_send_over_the_socket(self):
        alice, bob = frames(self.proc.stdout, "alice"), frames(self.proc.stdout, "bob")

        def chat(frame):
            return (frame["type"] == "chat.message" and frame["message"]["client_id"] == "c1"
                    and frame["message"]["text"] == "hi")

        self.assertTrue(in_order(alice, chat, chat,
                                 lambda f: (f["type"] == "error" and f.get("client_id") == "c2"
                                            and f.get("status") == 400)),
                        self.detail())
        self.assertTrue(any(chat(f) for f in bob), self.detail())
        self.assertTrue(any(f["type"] == "notification" and f["notification"]["type"] == "message"
                            for f in bob), self.detail())
        ids = {f["message"]["id"] for f in alice + bob if f["type"] == "chat.message"}
        self.assertEqual(len(ids), 1, self.detail())
        self.assertIn("same message: True", self.proc.stdout.splitlines(), self.detail())

    def test_live_notification_then_resume(self):
        alice = frames(self.proc.stdout, "alice")

        def note(kind, sender):
            return lambda f: (f["type"] == "notification" and f["notification"]["type"] == kind
                              and f["notification"]["sender"]["username"].startswith(sender))

        self.assertTrue(in_order(alice, note("friend_request", "carol"), note("message", "bob")),
                        self.detail())


if __name__ == "__main__":
    unittest.main()
