"""Helpers shared by the end-to-end tests (Python 3 standard library only).

The stack under test is named by the environment that scripts/test exports:
GATEWAY_URL (e.g. http://127.0.0.1:18000), BUILD_DIR (where broker, gateway and the
*_service binaries are), JWT_SECRET, BUS_ENDPOINT, DATABASE_URL.
"""
import base64
import hashlib
import hmac
import http.client
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import time
import urllib.parse

GATEWAY_URL = os.environ.get("GATEWAY_URL", "http://127.0.0.1:18000")
BUILD_DIR = os.environ.get("BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
PASSWORD = "Xq9!mzT4pL-e2e"

_counter = itertools.count(1)


def unique(prefix="u"):
    """A name no earlier run has used: prefix + pid + counter + clock."""
    return f"{prefix}{os.getpid()}_{next(_counter)}_{int(time.time() * 1000) % 100000000}"


def request(method, path, body=None, token=None, headers=None, raw=None, base=None, timeout=15):
    """Sends one HTTP request and returns (status, headers, json).

    body is encoded as JSON; raw (bytes) is sent as is instead. token adds
    "Authorization: Bearer <token>". headers is a dict of extra headers. The returned
    headers are a dict with lowercase names; json is the decoded body, or None when
    the body is empty or not JSON.
    """
    url = urllib.parse.urlsplit(base or GATEWAY_URL)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=timeout)
    send_headers = {}
    data = None
    if raw is not None:
        data = raw
        send_headers["Content-Type"] = "application/json"
    elif body is not None:
        data = json.dumps(body).encode()
        send_headers["Content-Type"] = "application/json"
    if token is not None:
        send_headers["Authorization"] = f"Bearer {token}"
    send_headers.update(headers or {})
    try:
        try:
            conn.request(method, path, body=data, headers=send_headers)
        except (BrokenPipeError, ConnectionResetError):
            # The server may answer (e.g. 413) and close before the body is all sent:
            # its answer can still be read.
            pass
        response = conn.getresponse()
        payload = response.read()
        response_headers = {k.lower(): v for k, v in response.getheaders()}
        status = response.status
    finally:
        conn.close()
    try:
        decoded = json.loads(payload) if payload else None
    except ValueError:
        decoded = None
    return status, response_headers, decoded


def register(username=None, password=PASSWORD, email=None, base=None, **extra):
    """Registers an account; returns (status, json)."""
    username = username or unique("e2e_")
    body = {"username": username, "email": email or f"{username}@example.com",
            "password": password}
    body.update(extra)
    status, _, data = request("POST", "/api/auth/register/", body, base=base)
    return status, data


def login(username, password=PASSWORD, base=None):
    """Logs in; returns (status, json)."""
    status, _, data = request("POST", "/api/auth/login/",
                              {"username": username, "password": password}, base=base)
    return status, data


def register_and_login(prefix="e2e_", base=None):
    """A fresh account, logged in: {"id", "username", "password", "access", "refresh"}."""
    username = unique(prefix)
    status, data = register(username, base=base)
    if status != 201:
        raise AssertionError(f"register {username}: {status} {data}")
    status, tokens = login(username, base=base)
    if status != 200:
        raise AssertionError(f"login {username}: {status} {tokens}")
    return {"id": data["id"], "username": username, "password": PASSWORD,
            "access": tokens["access"], "refresh": tokens["refresh"]}


def free_port():
    """A TCP port free on 127.0.0.1 right now, below the kernel's ephemeral range, so
    that no outgoing connection (the tests make thousands) can take it as its own
    local port before the process it is meant for binds it."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        ceiling = min(int(f.read().split()[0]), 32768)
    while True:
        port = random.randrange(10000, ceiling)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def spawn(argv, env=None, log_path=None):
    """Starts a process with the current environment plus env; output goes to log_path
    (or is discarded). Returns the Popen; stop it with stop()."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL
    try:
        return subprocess.Popen(argv, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    finally:
        if log_path:
            out.close()


def stop(proc, timeout=10):
    """Stops a process started by spawn(): SIGTERM, then SIGKILL after timeout seconds.
    Returns its exit status."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def wait_http(url, timeout=15, expect=200):
    """Waits until GET url answers `expect`; returns True, or False after timeout s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _, _ = request("GET", urllib.parse.urlsplit(url).path or "/",
                                   base=url, timeout=2)
            if status == expect:
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def b64url(data):
    """base64url without padding, as JWTs use."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(payload, secret, header=None, alg="HS256"):
    """A compact JWT for payload (dict) signed with HMAC over secret (str or bytes);
    alg "none" leaves the signature empty."""
    header = header or {"alg": alg, "typ": "JWT"}
    key = secret.encode() if isinstance(secret, str) else secret
    signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64url(json.dumps(payload, separators=(",", ":")).encode()))
    digests = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
    if alg not in digests:
        return signing_input + "."
    signature = hmac.new(key, signing_input.encode(), digests[alg]).digest()
    return signing_input + "." + b64url(signature)


def jwt_payload(token):
    """The decoded (unverified) payload of a JWT."""
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
