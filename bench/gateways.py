#!/usr/bin/env python3
"""bench/gateways.py: several gateways on one port, shared socket vs SO_REUSEPORT.

    python3 bench/gateways.py BUILD_DIR [shared|reuseport|both] [gateways=4] [connections=2000]

Starts GATEWAYS gateway processes on one free loopback port, either all inheriting
one listening socket (GATEWAY_LISTEN_FD, made here as tools/listen_socket makes it)
or each with its own SO_REUSEPORT socket (GATEWAY_REUSEPORT=on). No broker or
service is needed: only /healthz is asked, the bus stays unconnected (BUS_CURVE=off,
development). Three measurements, each bounded in time and count, 127.0.0.1 only:

  fairness   CONNECTIONS keep-alive connections, each answered once, opened one at
             a time and then in bursts of 100: how many each gateway holds.
  full       the first gateway started under `prlimit --nofile=LOW`; CONNECTIONS
             connections: how many are answered within 2 s, what the full gateway
             holds, and the CPU it spends in the 3 s after (a spin would show).
  kill -9    every gateway stopped (SIGSTOP), 400 connections each send a request
             (the kernel completes them into the accept queue), the first gateway
             killed with SIGKILL, the others continued: how many are answered, how
             many reset.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"
LOW_NOFILE = 300


def gateway_env(port, extra):
    env = dict(os.environ)
    env.update({"APP_ENV": "development", "BUS_CURVE": "off", "LOG_LEVEL": "warn",
                "BUS_ENDPOINT": "tcp://127.0.0.1:9", "GATEWAY_PORT": str(port),
                "GATEWAY_KEEPALIVE_S": "600", "GATEWAY_SERVICES": "auth",
                "JWT_SECRET": "bench-" + os.urandom(24).hex()})
    env.update(extra)
    return env


class Gateways:
    """N gateways on one port; the first one optionally under a low RLIMIT_NOFILE."""

    def __init__(self, build, mode, count, low_first=False):
        self.port = free_port()
        self.mode = mode
        self.logs = tempfile.mkdtemp(prefix="bench-gateways-")
        self.listener = None
        fds = ()
        extra = {}
        if mode == "shared":
            self.listener = socket.socket()
            self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.listener.bind(("127.0.0.1", self.port))
            self.listener.listen(socket.SOMAXCONN)
            fds = (self.listener.fileno(),)
            extra["GATEWAY_LISTEN_FD"] = str(self.listener.fileno())
        else:
            extra["GATEWAY_REUSEPORT"] = "on"
        self.procs = []
        for i in range(count):
            argv = [os.path.join(build, "gateway")]
            if low_first and i == 0:
                argv = ["prlimit", f"--nofile={LOW_NOFILE}", "--"] + argv
            env = gateway_env(self.port, dict(extra, GATEWAY_ID=f"gw{i + 1}"))
            log = open(os.path.join(self.logs, f"gw{i + 1}.log"), "ab")
            self.procs.append(subprocess.Popen(argv, env=env, pass_fds=fds, stdout=log,
                                               stderr=subprocess.STDOUT))
            log.close()
            # Each one listening before the next starts (a reuseport group's order).
            wait_served(self.port, self.procs[-1])
        if self.listener:
            self.listener.close()      # the gateways hold it now, as under listen_socket
        self.base = [len(os.listdir(f"/proc/{p.pid}/fd")) for p in self.procs]

    def held(self):
        """Descriptors each gateway holds beyond its idle count: its connections."""
        out = []
        for p, base in zip(self.procs, self.base):
            try:
                out.append(len(os.listdir(f"/proc/{p.pid}/fd")) - base)
            except OSError:
                out.append(None)
        return out

    def cpu_s(self, i):
        with open(f"/proc/{self.procs[i].pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)
                p.terminate()
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_served(port, proc, timeout=10):
    # With a shared socket any earlier gateway may answer: wait until this one holds
    # the socket (a descriptor more than the process has with none).
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"a gateway exited with status {proc.returncode}")
        try:
            names = [os.readlink(f"/proc/{proc.pid}/fd/{fd}")
                     for fd in os.listdir(f"/proc/{proc.pid}/fd")]
            if sum(n.startswith("anon_inode:[eventpoll]") for n in names) >= 1 and ask(port):
                time.sleep(0.2)
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("a gateway did not start")


def ask(port, timeout=2.0):
    """One request on a fresh connection; True when answered 200."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(REQUEST)
            return s.recv(4096).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def open_answered(port, count, burst, timeout=2.0):
    """count keep-alive connections, each asked once, `burst` at a time. Returns
    (open sockets, answered, refused or reset, unanswered within timeout)."""
    socks, answered, reset, silent = [], 0, 0, 0
    for start in range(0, count, burst):
        batch = []
        for _ in range(min(burst, count - start)):
            s = socket.socket()
            s.settimeout(timeout)
            try:
                s.connect(("127.0.0.1", port))
                s.sendall(REQUEST)
                batch.append(s)
            except OSError:
                reset += 1
                s.close()
        # One deadline for the whole batch, so unanswered sockets cost `timeout` once.
        deadline = time.monotonic() + timeout
        for s in batch:
            try:
                s.settimeout(max(0.001, deadline - time.monotonic()))
                if s.recv(4096).startswith(b"HTTP/1.1 200"):
                    answered += 1
                else:
                    reset += 1
            except socket.timeout:
                silent += 1
            except OSError:
                reset += 1
            socks.append(s)
    return socks, answered, reset, silent


def close_all(socks):
    for s in socks:
        s.close()
    time.sleep(0.5)


def fairness(build, mode, n, count):
    g = Gateways(build, mode, n)
    try:
        for burst in (1, 100):
            cpu0 = sum(g.cpu_s(i) for i in range(n))
            socks, answered, reset, silent = open_answered(g.port, count, burst)
            time.sleep(0.3)
            cpu = sum(g.cpu_s(i) for i in range(n)) - cpu0
            held = g.held()
            print(f"{mode:9} fairness burst={burst:<3} answered {answered}/{count} "
                  f"reset {reset} silent {silent}; per gateway {held}; "
                  f"max/mean {max(held) / (sum(held) / len(held)):.2f}; "
                  f"gateways' CPU {cpu * 1e6 / count:.0f} us per connection")
            close_all(socks)
    finally:
        g.stop()


def full(build, mode, n, count):
    g = Gateways(build, mode, n, low_first=True)
    try:
        t0 = time.monotonic()
        socks, answered, reset, silent = open_answered(g.port, count, 100)
        took = time.monotonic() - t0
        held = g.held()
        cpu0 = g.cpu_s(0)
        time.sleep(3)
        cpu = g.cpu_s(0) - cpu0
        print(f"{mode:9} full (gw1 nofile={LOW_NOFILE}) answered {answered}/{count} "
              f"reset {reset} silent>2s {silent} in {took:.1f} s; per gateway {held}; "
              f"gw1 CPU in the next 3 s {cpu * 1000:.0f} ms")
        close_all(socks)
    finally:
        g.stop()


def kill9(build, mode, n, count=400):
    g = Gateways(build, mode, n)
    try:
        for p in g.procs:
            p.send_signal(signal.SIGSTOP)
        socks = []
        for _ in range(count):
            s = socket.socket()
            s.settimeout(3)
            s.connect(("127.0.0.1", g.port))    # completed by the kernel into a queue
            s.sendall(REQUEST)
            socks.append(s)
        g.procs[0].kill()
        g.procs[0].wait()
        for p in g.procs[1:]:
            p.send_signal(signal.SIGCONT)
        answered = reset = silent = 0
        deadline = time.monotonic() + 3
        for s in socks:
            try:
                s.settimeout(max(0.001, deadline - time.monotonic()))
                if s.recv(4096).startswith(b"HTTP/1.1 200"):
                    answered += 1
                else:
                    reset += 1
            except socket.timeout:
                silent += 1
            except OSError:
                reset += 1
        print(f"{mode:9} kill -9 of gw1 with {count} queued: answered {answered} "
              f"reset {reset} silent {silent}; port still served: {ask(g.port)}")
        close_all(socks)
    finally:
        g.stop()


def main():
    build = sys.argv[1]
    modes = sys.argv[2] if len(sys.argv) > 2 else "both"
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
    for mode in (("shared", "reuseport") if modes == "both" else (modes,)):
        fairness(build, mode, n, count)
        full(build, mode, n, count)
        kill9(build, mode, n)


if __name__ == "__main__":
    main()
