"""The running broker admits only peers with a known CURVE key.

A ZeroMQ DEALER without a key (ZMTP 3.0, NULL mechanism, spoken here byte by byte:
the standard library has no ZeroMQ) connects to BUS_ENDPOINT and sends a well-formed
request "as" user 1: the broker refuses the handshake (its greeting, when it gets
that far, names CURVE) and closes the connection; no reply ever comes. Environment: BUS_ENDPOINT.
"""
import os
import socket
import struct
import time
import unittest

BUS_ENDPOINT = os.environ.get("BUS_ENDPOINT", "tcp://127.0.0.1:5555")


def bus_address():
    host, port = BUS_ENDPOINT.split("://", 1)[1].rsplit(":", 1)
    return host, int(port)


def greeting(mechanism):
    """A ZMTP 3.0 greeting (64 bytes) offering `mechanism`, as a client."""
    return (b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x03\x00"
            + mechanism.ljust(20, b"\x00") + b"\x00" + b"\x00" * 31)


def frame(body, more=False, command=False):
    """One short ZMTP frame."""
    flags = (0x01 if more else 0) | (0x04 if command else 0)
    return bytes([flags, len(body)]) + body


def null_ready():
    """The NULL mechanism's READY command of a DEALER."""
    name, value = b"Socket-Type", b"DEALER"
    body = b"\x05READY" + bytes([len(name)]) + name + struct.pack(">I", len(value)) + value
    return frame(body, command=True)


def ping_request():
    """[BC1, user, {v: 1, id: 7, svc: user, method: ping, uid: 1, body: nil}]."""
    envelope = (b"\x86" + b"\xa1v\x01" + b"\xa2id\x07" + b"\xa3svc\xa4user"
                + b"\xa6method\xa4ping" + b"\xa3uid\x01" + b"\xa4body\xc0")
    return frame(b"BC1", more=True) + frame(b"user", more=True) + frame(envelope)


class KeylessPeer(unittest.TestCase):
    def test_a_keyless_dealer_gets_nothing(self):
        received = b""
        closed = False
        with socket.create_connection(bus_address(), timeout=5) as s:
            s.sendall(greeting(b"NULL") + null_ready() + ping_request())
            s.settimeout(0.5)
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                try:
                    chunk = s.recv(4096)
                except socket.timeout:
                    continue
                except ConnectionResetError:
                    closed = True
                    break
                if not chunk:
                    closed = True
                    break
                received += chunk
        # libzmq may close before it has sent all of its greeting (64 bytes), and a
        # reset can discard even what it had sent: what arrives is at most a prefix
        # of that greeting, and never a handshake or a reply.
        if received:
            self.assertTrue(received.startswith(b"\xff"), "a ZMTP peer answered")
        if len(received) >= 17:
            self.assertEqual(received[12:17], b"CURVE", "the broker demands CURVE")
        self.assertLessEqual(len(received), 64, "nothing after the greeting")
        self.assertNotIn(b"BC1", received, "no reply to the request")
        self.assertTrue(closed, "the broker closes the connection")


if __name__ == "__main__":
    unittest.main()
