"""In development the gateway listens on loopback only (GATEWAY_BIND unset): nothing
outside the machine can reach a development stack by accident.

Reads the kernel's table of listening TCP sockets for the gateway's port."""
import os
import unittest
import urllib.parse

from util import GATEWAY_URL

LISTEN = "0A"


def listeners(port):
    """(family, local address hex) of every listening socket on port."""
    found = []
    for family in ("tcp", "tcp6"):
        try:
            with open(f"/proc/net/{family}") as table:
                next(table)
                for line in table:
                    fields = line.split()
                    address, port_hex = fields[1].rsplit(":", 1)
                    if int(port_hex, 16) == port and fields[3] == LISTEN:
                        found.append((family, address))
        except FileNotFoundError:
            continue
    return found


@unittest.skipUnless(os.environ.get("APP_ENV", "development") == "development"
                     and not os.environ.get("GATEWAY_BIND"),
                     "a development stack with the default GATEWAY_BIND")
class ListenAddressTest(unittest.TestCase):
    def test_loopback_only_by_default(self):
        port = urllib.parse.urlsplit(GATEWAY_URL).port
        found = listeners(port)
        self.assertEqual(found, [("tcp", "0100007F")], found)
