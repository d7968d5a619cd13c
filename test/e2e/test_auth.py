"""End-to-end tests of authentication through the gateway over real HTTP: every auth
route of docs/api.md and its error bodies, token checks on a protected route, HTTP-level
errors, scaling the auth service by starting and killing processes, and the 503 answer
when no auth worker exists."""
import concurrent.futures
import os
import secrets
import signal
import tempfile
import threading
import time
import unittest

from util import (BUILD_DIR, PASSWORD, free_port, jwt_payload, login, make_jwt, register,
                  register_and_login, request, spawn, stop, unique, wait_http)

NO_ACCOUNT = {"detail": "No active account found with the given credentials"}
TOKEN_INVALID = {"detail": "Given token not valid for any token type", "code": "token_not_valid"}
NOT_PROVIDED = {"detail": "Authentication credentials were not provided."}
UNAVAILABLE = {"detail": "Service temporarily unavailable."}
REQUIRED = ["This field is required."]
USERNAME_INVALID = ("Enter a valid username. This value may contain only letters, numbers, "
                    "and @/./+/-/_ characters.")


def username_variant(name):
    """name with the case of every letter swapped."""
    return name.swapcase()


class RegisterTest(unittest.TestCase):
    def test_created(self):
        name = unique("Reg_")
        status, data = register(name, email=f"{name}@Example.COM", first_name="Ada",
                                last_name="Lovelace")
        self.assertEqual(status, 201, data)
        self.assertEqual(set(data), {"id", "username", "email", "first_name", "last_name"})
        self.assertIsInstance(data["id"], int)
        self.assertGreater(data["id"], 0)
        self.assertEqual(data["username"], name)
        self.assertEqual(data["email"], f"{name}@example.com")
        self.assertEqual((data["first_name"], data["last_name"]), ("Ada", "Lovelace"))

    def test_unicode_username(self):
        name = "Zo\u00eb_\u7528\u6237_" + unique("")
        status, data = register(name, email=f"{unique('z')}@example.com")
        self.assertEqual(status, 201, data)
        self.assertEqual(data["username"], name)

    def test_required_fields(self):
        status, _, data = request("POST", "/api/auth/register/", {})
        self.assertEqual(status, 400)
        self.assertEqual(data, {"username": REQUIRED, "email": REQUIRED, "password": REQUIRED})

    def test_field_errors(self):
        cases = [
            ({"username": "bad name", "email": "nope", "password": "1234567"},
             {"username": [USERNAME_INVALID], "email": ["Enter a valid email address."],
              "password": ["This password is too short. It must contain at least 8 characters.",
                           "This password is entirely numeric."]}),
            ({"username": "x" * 151, "email": "a@example.com", "password": PASSWORD},
             {"username": ["Ensure this field has no more than 150 characters."]}),
            ({"username": "someone", "email": "a@example.com", "password": "12345678"},
             {"password": ["This password is entirely numeric."]}),
            ({"username": "samesame9", "email": "a@example.com", "password": "SameSame9"},
             {"password": ["The password is too similar to the username."]}),
            ({"username": None, "email": "", "password": True},
             {"username": ["This field may not be null."], "email": ["This field may not be blank."],
              "password": ["Not a valid string."]}),
            ({"username": "someone", "email": "a@example.com", "password": PASSWORD,
              "first_name": "f" * 151},
             {"first_name": ["Ensure this field has no more than 150 characters."]}),
        ]
        for body, expected in cases:
            with self.subTest(body=body):
                status, _, data = request("POST", "/api/auth/register/", body)
                self.assertEqual(status, 400)
                self.assertEqual(data, expected)

    def test_duplicates_case_insensitive(self):
        name = unique("Dup_")
        status, _ = register(name)
        self.assertEqual(status, 201)
        status, data = register(username_variant(name), email=f"other_{name}@example.com")
        self.assertEqual(status, 400)
        self.assertEqual(data, {"username": ["A user with that username already exists."]})
        status, data = register(f"new_{name}", email=f"{name.upper()}@EXAMPLE.COM")
        self.assertEqual(status, 400)
        self.assertEqual(data, {"email": ["user with this email address already exists."]})

    def test_body_not_an_object(self):
        status, _, data = request("POST", "/api/auth/register/", [1, 2])
        self.assertEqual(status, 400)
        if "detail" in data:
            self.assertTrue(data["detail"].startswith("JSON parse error - "), data)
        else:
            self.assertEqual(
                data, {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]})


class LoginTest(unittest.TestCase):
    def test_login_issues_token_pair(self):
        account = register_and_login()
        access, refresh = jwt_payload(account["access"]), jwt_payload(account["refresh"])
        self.assertEqual(access["token_type"], "access")
        self.assertEqual(refresh["token_type"], "refresh")
        for claims in (access, refresh):
            self.assertEqual(set(claims), {"token_type", "exp", "iat", "jti", "user_id"})
            self.assertEqual(claims["user_id"], account["id"])
            self.assertRegex(claims["jti"], r"^[0-9a-f]{32}$")
        self.assertEqual(access["exp"] - access["iat"],
                         int(os.environ.get("ACCESS_TOKEN_LIFETIME", "300")))
        self.assertEqual(refresh["exp"] - refresh["iat"],
                         int(os.environ.get("REFRESH_TOKEN_LIFETIME", "86400")))
        header = jwt_payload("x." + account["access"].split(".")[0])
        self.assertEqual(header["alg"], "HS256")
        # The access token opens a protected route.
        status, _, me = request("GET", "/api/users/me/", token=account["access"])
        self.assertEqual(status, 200, me)
        self.assertEqual(me["id"], account["id"])

    def test_wrong_password_and_unknown_user_answer_alike(self):
        name = unique("creds_")
        self.assertEqual(register(name)[0], 201)
        answers = [login(name, "wrong-password"), login(f"nobody_{name}", PASSWORD),
                   login(username_variant(name), PASSWORD)]
        for status, data in answers:
            self.assertEqual(status, 401)
            self.assertEqual(data, NO_ACCOUNT)

    def test_field_errors(self):
        cases = [
            ({}, {"username": REQUIRED, "password": REQUIRED}),
            ({"username": "x"}, {"password": REQUIRED}),
            ({"username": "", "password": None},
             {"username": ["This field may not be blank."], "password": ["This field may not be null."]}),
            ({"username": ["x"], "password": "y"}, {"username": ["Not a valid string."]}),
        ]
        for body, expected in cases:
            with self.subTest(body=body):
                status, _, data = request("POST", "/api/auth/login/", body)
                self.assertEqual(status, 400)
                self.assertEqual(data, expected)

    def test_deep_nesting_is_answered_at_once(self):
        # A body reaches the bus inside two maps (envelope, body): 30 nested
        # containers of data fit the bus's limit of 32, 31 do not and are refused by
        # the gateway itself, never sent to a service that would refuse the envelope.
        def nested(levels):
            value = "x"
            for _ in range(levels - 1):
                value = [value]
            return {"username": value, "password": "y"}
        status, _, data = request("POST", "/api/auth/login/", nested(30), timeout=3)
        self.assertEqual((status, data), (400, {"username": ["Not a valid string."]}))
        status, _, data = request("POST", "/api/auth/login/", nested(31), timeout=3)
        self.assertEqual((status, data),
                         (400, {"detail": "JSON parse error - Maximum nesting depth exceeded."}))

    def test_trailing_slash_optional(self):
        account = register_and_login()
        status, _, data = request("POST", "/api/auth/login",
                                  {"username": account["username"], "password": PASSWORD})
        self.assertEqual(status, 200, data)
        self.assertEqual(set(data), {"access", "refresh"})


class RefreshTest(unittest.TestCase):
    def test_rotation_revokes_the_old_token(self):
        account = register_and_login()
        status, _, data = request("POST", "/api/auth/refresh/", {"refresh": account["refresh"]})
        self.assertEqual(status, 200, data)
        self.assertEqual(set(data), {"access", "refresh"})
        self.assertNotEqual(data["refresh"], account["refresh"])
        self.assertEqual(jwt_payload(data["access"])["user_id"], account["id"])
        status, _, again = request("POST", "/api/auth/refresh/", {"refresh": account["refresh"]})
        self.assertEqual(status, 401)
        self.assertEqual(again, TOKEN_INVALID)
        status, _, _ = request("POST", "/api/auth/refresh/", {"refresh": data["refresh"]})
        self.assertEqual(status, 200)

    def test_invalid_tokens(self):
        account = register_and_login()
        for token in (account["access"], "garbage", account["refresh"] + "x", "a.b.c"):
            with self.subTest(token=token[:20]):
                status, _, data = request("POST", "/api/auth/refresh/", {"refresh": token})
                self.assertEqual(status, 401)
                self.assertEqual(data, TOKEN_INVALID)

    def test_field_errors(self):
        status, _, data = request("POST", "/api/auth/refresh/", {})
        self.assertEqual(status, 400)
        self.assertEqual(data, {"refresh": REQUIRED})
        status, _, data = request("POST", "/api/auth/refresh/", {"refresh": ""})
        self.assertEqual(status, 400)
        self.assertEqual(data, {"refresh": ["This field may not be blank."]})


class LogoutTest(unittest.TestCase):
    def test_logout_revokes(self):
        account = register_and_login()
        status, headers, data = request("POST", "/api/auth/logout/", {"refresh": account["refresh"]},
                                        token=account["access"])
        self.assertEqual(status, 205, data)
        self.assertIsNone(data)
        status, _, data = request("POST", "/api/auth/refresh/", {"refresh": account["refresh"]})
        self.assertEqual(status, 401)
        self.assertEqual(data, TOKEN_INVALID)
        status, _, data = request("POST", "/api/auth/logout/", {"refresh": account["refresh"]},
                                  token=account["access"])
        self.assertEqual(status, 401)
        self.assertEqual(data, TOKEN_INVALID)

    def test_logout_needs_credentials(self):
        account = register_and_login()
        status, headers, data = request("POST", "/api/auth/logout/", {"refresh": account["refresh"]})
        self.assertEqual(status, 401)
        self.assertEqual(data, NOT_PROVIDED)
        self.assertEqual(headers.get("www-authenticate"), 'Bearer realm="api"')

    def test_cannot_revoke_another_users_token(self):
        alice, bob = register_and_login("alice_"), register_and_login("bob_")
        status, _, data = request("POST", "/api/auth/logout/", {"refresh": alice["refresh"]},
                                  token=bob["access"])
        self.assertEqual(status, 401)
        self.assertEqual(data, TOKEN_INVALID)
        status, _, data = request("POST", "/api/auth/logout/", {}, token=bob["access"])
        self.assertEqual(status, 400)
        self.assertEqual(data, {"refresh": REQUIRED})


class ProtectedRouteTest(unittest.TestCase):
    """Token checks as a client meets them on GET /api/users/me/."""

    def assert_token_refused(self, token):
        status, _, data = request("GET", "/api/users/me/", token=token)
        self.assertEqual(status, 401)
        self.assertEqual(data, TOKEN_INVALID)

    def test_no_or_malformed_credentials(self):
        for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer"},
                        {"Authorization": ""}):
            with self.subTest(headers=headers):
                status, response_headers, data = request("GET", "/api/users/me/", headers=headers)
                self.assertEqual(status, 401)
                self.assertEqual(data, NOT_PROVIDED)
                self.assertEqual(response_headers.get("www-authenticate"), 'Bearer realm="api"')

    def test_garbage_and_refresh_tokens(self):
        account = register_and_login()
        for token in ("garbage", "a.b.c", account["access"][:-2], account["refresh"]):
            with self.subTest(token=token[:20]):
                self.assert_token_refused(token)

    def test_forged_expired_and_algorithm_tricks(self):
        account = register_and_login()
        now = int(time.time())
        claims = {"token_type": "access", "exp": now + 300, "iat": now,
                  "jti": secrets.token_hex(16), "user_id": account["id"]}
        self.assert_token_refused(make_jwt(claims, "not-the-secret-0123456789abcdef0123"))
        self.assert_token_refused(make_jwt(claims, "", alg="none"))
        self.assert_token_refused(make_jwt(claims, ""))
        secret = os.environ.get("JWT_SECRET")
        if not secret:
            self.skipTest("JWT_SECRET not set")
        # Well signed: accepted, so the refusals below are about the claims alone.
        status, _, _ = request("GET", "/api/users/me/", token=make_jwt(claims, secret))
        self.assertEqual(status, 200)
        self.assert_token_refused(make_jwt(dict(claims, exp=now - 10, iat=now - 310), secret))
        self.assert_token_refused(make_jwt(claims, secret, alg="HS512"))
        self.assert_token_refused(make_jwt(dict(claims, token_type="refresh"), secret))
        self.assert_token_refused(make_jwt(dict(claims, user_id=str(account["id"])), secret))


class HttpErrorsTest(unittest.TestCase):
    def test_json_parse_error(self):
        status, _, data = request("POST", "/api/auth/login/", raw=b'{"username": ')
        self.assertEqual(status, 400)
        self.assertTrue(data["detail"].startswith("JSON parse error - "), data)

    def test_body_too_large(self):
        body = b'{"username": "' + b"a" * (2 * 1024 * 1024) + b'", "password": "x"}'
        try:
            status, _, data = request("POST", "/api/auth/login/", raw=body)
        except (ConnectionResetError, BrokenPipeError):
            self.fail("connection dropped instead of a 413")
        self.assertEqual(status, 413)
        self.assertEqual(data, {"detail": "Request body too large."})

    def test_nul_in_body(self):
        for body in ({"username": "a\u0000b", "password": "x"}, {"username": "a", "password": "\u0000"}):
            status, _, _ = request("POST", "/api/auth/login/", body)
            self.assertEqual(status, 400)
        status, _, _ = request("POST", "/api/auth/register/",
                               {"username": "nul\u0000", "email": "n@example.com", "password": PASSWORD})
        self.assertEqual(status, 400)

    def test_method_not_allowed(self):
        for path in ("/api/auth/login/", "/api/auth/register/", "/api/auth/refresh/"):
            with self.subTest(path=path):
                status, _, data = request("GET", path)
                self.assertEqual(status, 405)
                self.assertEqual(data, {"detail": 'Method "GET" not allowed.'})
        account = register_and_login()
        status, _, data = request("GET", "/api/auth/logout/", token=account["access"])
        self.assertEqual(status, 405)
        self.assertEqual(data, {"detail": 'Method "GET" not allowed.'})
        status, _, data = request("PUT", "/api/auth/login/", {})
        self.assertEqual(status, 405)
        self.assertEqual(data, {"detail": 'Method "PUT" not allowed.'})


def binary(name):
    """Path of a built binary, or None when it is not there."""
    path = os.path.join(BUILD_DIR, name)
    return path if os.access(path, os.X_OK) else None


class ScalingTest(unittest.TestCase):
    """Scaling is starting processes; a killed one costs only the requests it held."""

    GRACE = 6.0     # seconds after the kill by which every new request must succeed
    AFTER = 12.0    # how long the load goes on after the kill

    def test_extra_workers_and_a_kill(self):
        service = binary("auth_service")
        if not service:
            self.skipTest(f"no auth_service in {BUILD_DIR}")
        log_dir = tempfile.mkdtemp(prefix="e2e-auth-")
        extra = [spawn([service], log_path=os.path.join(log_dir, f"auth{i}.log")) for i in range(2)]
        try:
            time.sleep(1.5)
            for proc in extra:
                self.assertIsNone(proc.poll(), "an extra auth_service did not start")
            results = []          # (started, ended, ok, what)
            lock = threading.Lock()
            stop_at = [time.monotonic() + 1000]

            def client():
                while time.monotonic() < stop_at[0]:
                    started = time.monotonic()
                    name = unique("scale_")
                    try:
                        status, data = register(name)
                        ok = status == 201
                        what = f"register {status}"
                        if ok:
                            status, data = login(name)
                            ok = status == 200
                            what = f"login {status}"
                    except OSError as error:
                        ok, what = False, f"error {error}"
                    with lock:
                        results.append((started, time.monotonic(), ok, what))

            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                futures = [pool.submit(client) for _ in range(4)]
                time.sleep(2.0)
                killed_at = time.monotonic()
                extra[0].send_signal(signal.SIGKILL)
                stop_at[0] = killed_at + self.AFTER
                for future in futures:
                    future.result()
            extra[0].wait()
            # Requests over before the kill all succeed; those in flight then may be
            # lost with the process; those started after the grace period all succeed.
            before = [r for r in results if r[1] < killed_at]
            late = [r for r in results if r[0] >= killed_at + self.GRACE]
            self.assertTrue(before and all(r[2] for r in before),
                            f"failures before the kill: {[r for r in before if not r[2]][:5]}")
            self.assertGreater(len(late), 5, "too few requests after the grace period")
            failures = [r for r in late if not r[2]]
            self.assertEqual(failures, [], f"{len(failures)} requests failed "
                                           f"{self.GRACE}s or more after the kill")
            self.assertIsNone(extra[1].poll(), "the surviving extra worker died")
        finally:
            for proc in extra:
                status = stop(proc)
                if proc is extra[1]:
                    self.assertEqual(status, 0, f"the surviving auth_service exited {status}")


class UnavailableTest(unittest.TestCase):
    """A private broker and gateway with no services at all."""

    def test_503_when_no_auth_worker(self):
        broker, gateway = binary("broker"), binary("gateway")
        if not broker or not gateway:
            self.skipTest(f"no broker or gateway in {BUILD_DIR}")
        bus = f"tcp://127.0.0.1:{free_port()}"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log_dir = tempfile.mkdtemp(prefix="e2e-503-")
        env = {"BUS_ENDPOINT": bus, "GATEWAY_PORT": str(port),
               "EVENTS_PUB_ENDPOINT": f"tcp://127.0.0.1:{free_port()}",
               "EVENTS_SUB_ENDPOINT": f"tcp://127.0.0.1:{free_port()}"}
        procs = [spawn([broker], env, os.path.join(log_dir, "broker.log"))]
        try:
            procs.append(spawn([gateway], env, os.path.join(log_dir, "gateway.log")))
            self.assertTrue(wait_http(base + "/healthz", 15), "private gateway did not start")
            started = time.monotonic()
            status, headers, data = request("POST", "/api/auth/login/",
                                            {"username": "x", "password": "y"}, base=base)
            waited = time.monotonic() - started
            self.assertEqual(status, 503)
            self.assertEqual(data, UNAVAILABLE)
            self.assertIn("retry-after", headers)
            self.assertLess(waited, 6.0)
            status, _, _ = request("GET", "/readyz", base=base)
            self.assertEqual(status, 503)
            status, _, _ = request("GET", "/healthz", base=base)
            self.assertEqual(status, 200)
        finally:
            for proc in reversed(procs):
                stop(proc)


if __name__ == "__main__":
    unittest.main()
