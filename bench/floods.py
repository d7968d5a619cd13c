"""bench/floods.py URL PID TOKEN: a normal client's latency while connections flood
the gateway: N slow-header connections (a request line and one header, then silence)
and M silent connections, with the gateway's descriptor count from /proc/PID/fd.
Usage: python3 bench/floods.py URL PID TOKEN [slow=1500] [idle=9000] [samples=200]
"""
import http.client
import resource
import socket
import sys
import time
import urllib.parse

url = urllib.parse.urlsplit(sys.argv[1])
pid, token = int(sys.argv[2]), sys.argv[3]
slow = int(sys.argv[4]) if len(sys.argv) > 4 else 1500
idle = int(sys.argv[5]) if len(sys.argv) > 5 else 9000
samples = int(sys.argv[6]) if len(sys.argv) > 6 else 200
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def fds():
    import os
    return len(os.listdir(f"/proc/{pid}/fd"))


def latencies():
    """Milliseconds of `samples` authenticated GET /api/users/me/, each on a fresh
    connection (timeouts count as 10 s)."""
    out = []
    for _ in range(samples):
        started = time.monotonic()
        try:
            c = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            c.request("GET", "/api/users/me/", headers={"Authorization": "Bearer " + token})
            r = c.getresponse()
            r.read()
            c.close()
            ok = r.status == 200
        except OSError:
            ok = False
        out.append((time.monotonic() - started) * 1000 if ok else 10000.0)
    out.sort()
    return out


def report(label, socks):
    lat = latencies()
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
    print(f"{label}: {len(socks)} connections held, gateway fds {fds()}, "
          f"p50 {p(0.5):.2f} ms, p99 {p(0.99):.2f} ms, max {lat[-1]:.2f} ms, "
          f"failed {sum(1 for x in lat if x >= 10000)}/{len(lat)}")


def open_many(count, payload):
    socks = []
    for _ in range(count):
        try:
            s = socket.create_connection((url.hostname, url.port), timeout=5)
            if payload:
                s.sendall(payload)
            socks.append(s)
        except OSError:
            break
    return socks


report("baseline", [])
socks = open_many(slow, b"GET /api/users/me/ HTTP/1.1\r\nHost: x\r\n")
report("slow-header flood", socks)
for s in socks:
    s.close()
time.sleep(1)
socks = open_many(idle, b"")
time.sleep(1)
report("silent flood", socks)
for s in socks:
    s.close()
