"""An encoded NUL ("%00") in a request's target is a 400, never a dropped connection.

libwebsockets 4.1.6 refused such a request line before any gateway code ran; the
gateway now reads every request head itself (gateway/http/head.c, conn.c) and answers
these with a 400. Environment: GATEWAY_URL.
"""
import json
import os
import socket
import time
import unittest
import urllib.parse

GATEWAY_URL = os.environ.get("GATEWAY_URL", "http://127.0.0.1:18000")
NUL_DETAIL = {"detail": "Null characters are not allowed."}


def address():
    url = urllib.parse.urlsplit(GATEWAY_URL)
    return url.hostname, url.port or 80


def exchange(pieces, pause=0.0, timeout=10.0):
    """Sends the pieces (bytes) on a new connection, pausing between them, and
    returns (status, headers, body) of the answer, or None when the connection
    closed without one."""
    with socket.create_connection(address(), timeout=timeout) as s:
        for i, piece in enumerate(pieces):
            if i:
                time.sleep(pause)
            s.sendall(piece)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = s.recv(65536)
            if not chunk:
                break
            body += chunk
        return status, headers, body


def get(target):
    host, port = address()
    return f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()


class EncodedNul(unittest.TestCase):
    def assert_nul_refused(self, answer):
        self.assertIsNotNone(answer, "the connection closed without an answer")
        status, headers, body = answer
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body), NUL_DETAIL)
        self.assertEqual(headers.get("content-type"), "application/json; charset=utf-8")
        self.assertEqual(headers.get("connection", "").lower(), "close")
        self.assertEqual(headers.get("x-content-type-options"), "nosniff")
        self.assertEqual(headers.get("x-frame-options"), "DENY")

    def test_nul_in_query_value(self):
        self.assert_nul_refused(exchange([get("/api/users/?search=a%00b")]))

    def test_nul_in_query_name(self):
        self.assert_nul_refused(exchange([get("/api/users/?a%00b=c")]))

    def test_nul_in_path(self):
        self.assert_nul_refused(exchange([get("/api/users/%00/")]))

    def test_nul_after_lowercase_hex(self):
        self.assert_nul_refused(exchange([get("/api/users/?search=%c3%a9%00")]))

    def test_nul_after_uppercase_hex(self):
        self.assert_nul_refused(exchange([get("/api/users/?search=%C3%A9%00")]))

    def test_request_line_split_across_writes(self):
        request = get("/api/users/?search=a%00b")
        self.assert_nul_refused(exchange([request[:12], request[12:]], pause=0.2))

    def test_normal_request_split_across_writes(self):
        request = get("/healthz")
        answer = exchange([request[:7], request[7:]], pause=0.2)
        self.assertIsNotNone(answer)
        status, _, body = answer
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"status": "ok"})

    def test_plain_request_after_refusals(self):
        self.assert_nul_refused(exchange([get("/%00")]))
        answer = exchange([get("/healthz")])
        self.assertIsNotNone(answer)
        self.assertEqual(answer[0], 200)
        status, _, _ = exchange([get("/api/users/?search=ab")])
        self.assertEqual(status, 401)


if __name__ == "__main__":
    unittest.main()
