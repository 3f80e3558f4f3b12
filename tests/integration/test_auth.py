"""Accounts against the real binary: sign-in and its cookie, CSRF, session
expiry, sign-out, API tokens and their revocation, sign-in rate limiting
without user enumeration, password changes, admin-only user management.

Idle expiry needs at least two minutes of idleness (activity is written once
a minute), so it is proven in the AuthService unit tests with a fake clock;
here the absolute lifetime is shortened instead.
"""

import time
import unittest

import requests

from gallery_server import (ADMIN_EMAIL, ADMIN_PASSWORD, REQUEST_TIMEOUT, SESSION_COOKIE,
                            USER_PASSWORD, GalleryServer, GalleryTestCase, assert_problem)


def cookie_attributes(set_cookie):
    """'a=b; Path=/; HttpOnly' → ('a', 'b', {'path': '/', 'httponly': True})."""
    parts = [p.strip() for p in set_cookie.split(";")]
    name, _, value = parts[0].partition("=")
    attributes = {}
    for p in parts[1:]:
        key, eq, val = p.partition("=")
        attributes[key.lower()] = val if eq else True
    return name, value, attributes


def login(server, email, password, headers=None):
    return requests.post(server.url("/api/v1/auth/login"), json={"email": email, "password": password},
                         headers=headers or {}, timeout=REQUEST_TIMEOUT)


def without_request_id(problem):
    return {k: v for k, v in problem.items() if k != "request_id"}


class SignInTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_login_sets_a_hardened_session_cookie(self):
        resp = login(self.server, ADMIN_EMAIL.upper(), ADMIN_PASSWORD)
        self.assertEqual(resp.status_code, 200, resp.text)
        self.assertEqual(resp.headers["Cache-Control"], "no-store")
        name, value, attrs = cookie_attributes(resp.headers["Set-Cookie"])
        self.assertEqual(name, SESSION_COOKIE)
        self.assertEqual(len(value), 43)
        self.assertTrue(attrs.get("httponly"))
        self.assertEqual(attrs.get("samesite"), "Lax")
        self.assertEqual(attrs.get("path"), "/")
        self.assertNotIn("secure", attrs, "plain HTTP must not get a Secure cookie")
        self.assertEqual(int(attrs["max-age"]), 30 * 24 * 3600)
        body = resp.json()
        self.assertEqual(body["user"]["email"], ADMIN_EMAIL)
        self.assertEqual(body["user"]["role"], "admin")
        for key in ("id", "quota_bytes", "used_bytes", "created_at", "disabled"):
            self.assertIn(key, body["user"])
        self.assertNotIn("password_hash", body["user"])
        self.assertTrue(body["csrf_token"])
        self.assertNotEqual(body["csrf_token"], value)

    def test_cookie_is_secure_behind_an_https_load_balancer(self):
        resp = login(self.server, ADMIN_EMAIL, ADMIN_PASSWORD, headers={"X-Forwarded-Proto": "https"})
        self.assertEqual(resp.status_code, 200, resp.text)
        _, _, attrs = cookie_attributes(resp.headers["Set-Cookie"])
        self.assertTrue(attrs.get("secure"))
        self.assertTrue(attrs.get("httponly"))
        self.assertEqual(attrs.get("samesite"), "Lax")

    def test_me_returns_the_user_and_the_csrf_token_again(self):
        client = self.server.login()
        resp = client.get("/api/v1/auth/me")
        self.assertEqual(resp.status_code, 200, resp.text)
        self.assertEqual(resp.json()["csrf_token"], client.csrf_token)
        self.assertEqual(resp.json()["user"]["email"], ADMIN_EMAIL)
        bearer = self.server.admin().get("/api/v1/auth/me")
        self.assertEqual(bearer.status_code, 200)
        self.assertIsNone(bearer.json()["csrf_token"])

    def test_no_or_bad_credentials_are_401(self):
        anonymous = self.server.anonymous()
        assert_problem(self, anonymous.get("/api/v1/auth/me"), 401, "/errors/unauthenticated")
        for headers in ({"Authorization": "Bearer not-a-token"},
                        {"Authorization": "Basic YWRtaW46YWRtaW4="},
                        {"Authorization": "Bearer "},
                        {"Cookie": f"{SESSION_COOKIE}=not-a-session"}):
            with self.subTest(headers=headers):
                resp = anonymous.get("/api/v1/auth/me", headers=headers)
                assert_problem(self, resp, 401, "/errors/unauthenticated")

    def test_a_session_token_is_no_bearer_token(self):
        client = self.server.login()
        resp = self.server.anonymous().get(
            "/api/v1/auth/me", headers={"Authorization": f"Bearer {client.session_token}"})
        assert_problem(self, resp, 401, "/errors/unauthenticated")

    def test_login_refuses_malformed_bodies(self):
        url = self.server.url("/api/v1/auth/login")
        cases = [
            ({"data": '{"email": "a@b.c", "password": "x"}',
              "headers": {"Content-Type": "text/plain"}}, "Content-Type"),
            ({"data": "email=a&password=b",
              "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, "Content-Type"),
            ({"data": "{not json", "headers": {"Content-Type": "application/json"}}, "JSON"),
            ({"json": ["a", "b"]}, "object"),
            ({"json": {"email": "a@b.c"}}, "password"),
            ({"json": {"email": 5, "password": "x"}}, "email"),
        ]
        for kwargs, mentions in cases:
            with self.subTest(kwargs=kwargs):
                resp = requests.post(url, timeout=REQUEST_TIMEOUT, **kwargs)
                body = assert_problem(self, resp, 400, "/errors/invalid-request")
                self.assertIn(mentions, body["detail"])


class CsrfTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_cookie_changes_need_the_sessions_csrf_token(self):
        client = self.server.login()
        missing = client.post("/api/v1/tokens", json={"name": "x"}, csrf=False)
        assert_problem(self, missing, 403, "/errors/csrf-token-invalid")
        other = self.server.login()
        for wrong in ("wrong", other.csrf_token, client.session_token):
            with self.subTest(token=wrong[:6]):
                resp = client.post("/api/v1/tokens", json={"name": "x"}, csrf=False,
                                   headers={"X-CSRF-Token": wrong})
                assert_problem(self, resp, 403, "/errors/csrf-token-invalid")
        right = client.post("/api/v1/tokens", json={"name": "x"})
        self.assertEqual(right.status_code, 201, right.text)
        # Every changing method is checked, not only POST.
        token_id = right.json()["id"]
        assert_problem(self, client.delete(f"/api/v1/tokens/{token_id}", csrf=False), 403,
                       "/errors/csrf-token-invalid")
        assert_problem(self, client.put("/api/v1/auth/password", csrf=False, json={
            "current_password": ADMIN_PASSWORD, "new_password": ADMIN_PASSWORD}), 403,
            "/errors/csrf-token-invalid")
        self.assertEqual(client.delete(f"/api/v1/tokens/{token_id}").status_code, 204)

    def test_reads_need_no_csrf_token(self):
        client = self.server.login()
        self.assertEqual(client.get("/api/v1/tokens", csrf=False).status_code, 200)

    def test_bearer_tokens_need_no_csrf_token(self):
        resp = self.server.admin().post("/api/v1/tokens", json={"name": "script"})
        self.assertEqual(resp.status_code, 201, resp.text)

    def test_the_csrf_token_from_me_works_after_a_reload(self):
        client = self.server.login()
        again = client.get("/api/v1/auth/me").json()["csrf_token"]
        resp = client.post("/api/v1/tokens", json={"name": "x"}, csrf=False,
                           headers={"X-CSRF-Token": again})
        self.assertEqual(resp.status_code, 201, resp.text)


class LogoutTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_logout_ends_the_session_and_clears_the_cookie(self):
        client = self.server.login()
        other = self.server.login()
        self.assertEqual(client.get("/api/v1/auth/me").status_code, 200)
        assert_problem(self, client.post("/api/v1/auth/logout", csrf=False), 403,
                       "/errors/csrf-token-invalid")
        resp = client.post("/api/v1/auth/logout")
        self.assertEqual(resp.status_code, 204, resp.text)
        name, value, attrs = cookie_attributes(resp.headers["Set-Cookie"])
        self.assertEqual((name, value), (SESSION_COOKIE, ""))
        self.assertEqual(attrs.get("max-age"), "0")
        self.assertTrue(attrs.get("httponly"))
        # The old cookie no longer works, at once; other sessions do.
        assert_problem(self, client.get("/api/v1/auth/me"), 401, "/errors/unauthenticated")
        assert_problem(self, client.post("/api/v1/tokens", json={"name": "x"}), 401,
                       "/errors/unauthenticated")
        self.assertEqual(other.get("/api/v1/auth/me").status_code, 200)

    def test_logout_needs_a_session(self):
        assert_problem(self, self.server.anonymous().post("/api/v1/auth/logout"), 401,
                       "/errors/unauthenticated")


class SessionExpiryTest(GalleryTestCase):
    LIFETIME = 2

    @classmethod
    def setUpClass(cls):
        # The credential cache (5 s by default) must not outlive a session.
        cls.server = cls.start_server(["--session-lifetime", f"{cls.LIFETIME}s"])

    def test_session_ends_at_its_lifetime_even_in_use(self):
        client = self.server.login()
        resp = login(self.server, ADMIN_EMAIL, ADMIN_PASSWORD)
        _, _, attrs = cookie_attributes(resp.headers["Set-Cookie"])
        self.assertEqual(attrs.get("max-age"), str(self.LIFETIME))
        deadline = time.monotonic() + self.LIFETIME - 0.5
        while time.monotonic() < deadline:
            self.assertEqual(client.get("/api/v1/auth/me").status_code, 200)
            time.sleep(0.2)
        time.sleep(1.0)
        assert_problem(self, client.get("/api/v1/auth/me"), 401, "/errors/unauthenticated")
        # API tokens are not sessions: the harness's still works.
        self.assertEqual(self.server.admin().get("/api/v1/auth/me").status_code, 200)


class ApiTokenTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_token_lifecycle(self):
        owner = self.server.login()
        resp = owner.post("/api/v1/tokens", json={"name": "backup script"})
        self.assertEqual(resp.status_code, 201, resp.text)
        self.assertEqual(resp.headers["Cache-Control"], "no-store")
        made = resp.json()
        for key in ("id", "name", "token", "created_at"):
            self.assertIn(key, made)
        self.assertEqual(made["name"], "backup script")
        bearer = {"Authorization": f"Bearer {made['token']}"}
        anonymous = self.server.anonymous()
        self.assertEqual(anonymous.get("/api/v1/auth/me", headers=bearer).status_code, 200)

        listed = {t["id"]: t for t in owner.get("/api/v1/tokens").json()["tokens"]}
        self.assertIn(made["id"], listed)
        self.assertNotIn("token", listed[made["id"]], "the secret is shown only once")
        self.assertIsNone(listed[made["id"]]["revoked_at"])
        self.assertIsNotNone(listed[made["id"]]["last_used_at"])

        self.assertEqual(owner.delete(f"/api/v1/tokens/{made['id']}").status_code, 204)
        assert_problem(self, anonymous.get("/api/v1/auth/me", headers=bearer), 401,
                       "/errors/unauthenticated")
        listed = {t["id"]: t for t in owner.get("/api/v1/tokens").json()["tokens"]}
        self.assertIsNotNone(listed[made["id"]]["revoked_at"])

    def test_another_users_token_cannot_be_revoked(self):
        mine = self.server.admin().post("/api/v1/tokens", json={"name": "mine"}).json()
        other = self.server.user_client("token-other@example.test")
        assert_problem(self, other.delete(f"/api/v1/tokens/{mine['id']}"), 404,
                       "/errors/not-found")
        assert_problem(self, other.delete("/api/v1/tokens/no-such-token"), 404,
                       "/errors/not-found")
        self.assertNotIn(mine["id"], [t["id"] for t in other.get("/api/v1/tokens").json()["tokens"]])
        bearer = {"Authorization": f"Bearer {mine['token']}"}
        self.assertEqual(self.server.anonymous().get("/api/v1/auth/me", headers=bearer).status_code,
                         200)

    def test_token_names_are_checked(self):
        admin = self.server.admin()
        for name in ("", "x" * 201, "tab\there"):
            with self.subTest(name=name[:10]):
                assert_problem(self, admin.post("/api/v1/tokens", json={"name": name}), 400,
                               "/errors/invalid-request")


class RateLimitTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server(["--signin-max-failures", "3", "--signin-window", "1m"])
        cls.server.create_user("victim@example.test")

    def test_unknown_email_and_wrong_password_answer_identically(self):
        unknown = login(self.server, "nobody-here@example.test", "some password")
        wrong = login(self.server, "victim@example.test", "not the password")
        a = assert_problem(self, unknown, 401, "/errors/unauthenticated")
        b = assert_problem(self, wrong, 401, "/errors/unauthenticated")
        self.assertEqual(without_request_id(a), without_request_id(b))
        self.assertEqual(unknown.headers.get("Set-Cookie"), None)
        self.assertEqual(wrong.headers.get("Set-Cookie"), None)

    def test_lock_out_with_retry_after_whether_or_not_the_account_exists(self):
        answers = {}
        self.server.create_user("locked@example.test")
        for email in ("locked@example.test", "ghost-locked@example.test"):
            for _ in range(3):
                assert_problem(self, login(self.server, email, "wrong password"), 401,
                               "/errors/unauthenticated")
            resp = login(self.server, email, USER_PASSWORD)  # even the right password
            body = assert_problem(self, resp, 429, "/errors/too-many-requests")
            retry_after = int(resp.headers["Retry-After"])
            self.assertGreaterEqual(retry_after, 50)
            self.assertLessEqual(retry_after, 61)
            self.assertIn(str(retry_after), body["detail"])
            answers[email] = without_request_id(body)
            answers[email]["detail"] = answers[email]["detail"].replace(str(retry_after), "N")
        self.assertEqual(answers["locked@example.test"], answers["ghost-locked@example.test"])
        # Other accounts are not affected.
        self.assertEqual(login(self.server, ADMIN_EMAIL, ADMIN_PASSWORD).status_code, 200)


class AddressRateLimitTest(GalleryTestCase):
    """Per client address; behind a trusted proxy the address is the
    X-Forwarded-For entry the proxy wrote."""

    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server(["--signin-max-failures-per-address", "4",
                                       "--trusted-proxy-hops", "1"])

    def test_one_address_guessing_many_accounts_is_locked_out(self):
        attacker = {"X-Forwarded-For": "203.0.113.66"}
        for i in range(4):
            resp = login(self.server, f"guess{i}@example.test", "password?", headers=attacker)
            assert_problem(self, resp, 401, "/errors/unauthenticated")
        resp = login(self.server, ADMIN_EMAIL, ADMIN_PASSWORD, headers=attacker)
        assert_problem(self, resp, 429, "/errors/too-many-requests")
        self.assertGreater(int(resp.headers["Retry-After"]), 0)
        # What the client writes itself before the proxy's entry does not count.
        spoofed = {"X-Forwarded-For": "198.51.100.1, 203.0.113.66"}
        assert_problem(self, login(self.server, ADMIN_EMAIL, ADMIN_PASSWORD, headers=spoofed), 429,
                       "/errors/too-many-requests")
        # Another address signs in.
        resp = login(self.server, ADMIN_EMAIL, ADMIN_PASSWORD,
                     headers={"X-Forwarded-For": "203.0.113.67"})
        self.assertEqual(resp.status_code, 200, resp.text)
        # The access log shows the client's address.
        line = self.server.wait_for_log(lambda l: l.get("msg") == "request"
                                        and l.get("remote") == "203.0.113.67")
        self.assertIsNotNone(line)


class PasswordChangeTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_change_keeps_this_session_and_ends_the_others(self):
        email = "changer@example.test"
        self.server.create_user(email)
        here = self.server.login(email, USER_PASSWORD)
        elsewhere = self.server.login(email, USER_PASSWORD)
        wrong = here.put("/api/v1/auth/password", json={"current_password": "nope nope",
                                                        "new_password": "a new password"})
        assert_problem(self, wrong, 403, "/errors/forbidden")
        short = here.put("/api/v1/auth/password", json={"current_password": USER_PASSWORD,
                                                        "new_password": "short"})
        assert_problem(self, short, 400, "/errors/invalid-request")
        resp = here.put("/api/v1/auth/password", json={"current_password": USER_PASSWORD,
                                                       "new_password": "a new password"})
        self.assertEqual(resp.status_code, 204, resp.text)
        self.assertEqual(here.get("/api/v1/auth/me").status_code, 200)
        assert_problem(self, elsewhere.get("/api/v1/auth/me"), 401, "/errors/unauthenticated")
        self.assertEqual(login(self.server, email, USER_PASSWORD).status_code, 401)
        self.assertEqual(login(self.server, email, "a new password").status_code, 200)


class UserAdminTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_only_admins_manage_users(self):
        user = self.server.user_client("plain@example.test")
        for method, path, body in (("GET", "/api/v1/users", None),
                                   ("POST", "/api/v1/users", {"email": "x@example.test",
                                                              "password": "long enough"}),
                                   ("GET", f"/api/v1/users/{user.user['id']}", None),
                                   ("PATCH", f"/api/v1/users/{user.user['id']}", {"role": "admin"})):
            with self.subTest(method=method, path=path):
                resp = user.request(method, path, json=body)
                assert_problem(self, resp, 403, "/errors/forbidden")
        assert_problem(self, self.server.anonymous().get("/api/v1/users"), 401,
                       "/errors/unauthenticated")

    def test_create_get_update_and_disable(self):
        admin = self.server.admin()
        resp = admin.post("/api/v1/users", json={"email": "New.User@Example.test",
                                                 "password": "new user password",
                                                 "quota_bytes": 1000000})
        self.assertEqual(resp.status_code, 201, resp.text)
        user = resp.json()
        self.assertEqual(user["email"], "new.user@example.test")
        self.assertEqual((user["role"], user["quota_bytes"], user["disabled"]),
                         ("user", 1000000, False))
        dup = admin.post("/api/v1/users", json={"email": "new.user@EXAMPLE.test",
                                                "password": "new user password"})
        assert_problem(self, dup, 409, "/errors/already-exists")
        self.assertEqual(admin.get(f"/api/v1/users/{user['id']}").json(), user)
        assert_problem(self, admin.get("/api/v1/users/no-such-user"), 404, "/errors/not-found")

        session = self.server.login("new.user@example.test", "new user password")
        token = session.create_token()
        resp = admin.patch(f"/api/v1/users/{user['id']}", json={"role": "admin", "quota_bytes": 0})
        self.assertEqual(resp.status_code, 200, resp.text)
        self.assertEqual((resp.json()["role"], resp.json()["quota_bytes"]), ("admin", 0))
        me = session.get("/api/v1/auth/me").json()["user"]
        self.assertEqual(me["role"], "admin")

        resp = admin.patch(f"/api/v1/users/{user['id']}", json={"disabled": True})
        self.assertTrue(resp.json()["disabled"])
        bearer = {"Authorization": f"Bearer {token}"}
        assert_problem(self, session.get("/api/v1/auth/me"), 401, "/errors/unauthenticated")
        assert_problem(self, self.server.anonymous().get("/api/v1/auth/me", headers=bearer), 401,
                       "/errors/unauthenticated")
        again = login(self.server, "new.user@example.test", "new user password")
        assert_problem(self, again, 401, "/errors/unauthenticated")

    def test_bad_updates_are_refused(self):
        admin = self.server.admin()
        target = self.server.create_user("target@example.test")
        path = f"/api/v1/users/{target['id']}"
        for body in ({"role": "root"}, {"quota_bytes": -1}, {"quota_bytes": "lots"},
                     {"disabled": "yes"}, {"password": "short"}, {"quota": 5}):
            with self.subTest(body=body):
                assert_problem(self, admin.patch(path, json=body), 400, "/errors/invalid-request")
        me = admin.get("/api/v1/auth/me").json()["user"]
        resp = admin.patch(f"/api/v1/users/{me['id']}", json={"role": "user"})
        body = assert_problem(self, resp, 400, "/errors/invalid-request")
        self.assertIn("your own", body["detail"])

    def test_admin_sets_a_password(self):
        admin = self.server.admin()
        target = self.server.create_user("forgetful@example.test")
        session = self.server.login("forgetful@example.test", USER_PASSWORD)
        resp = admin.patch(f"/api/v1/users/{target['id']}", json={"password": "reset by admin"})
        self.assertEqual(resp.status_code, 200, resp.text)
        assert_problem(self, session.get("/api/v1/auth/me"), 401, "/errors/unauthenticated")
        self.assertEqual(login(self.server, "forgetful@example.test", "reset by admin").status_code,
                         200)

    def test_listing_is_paginated(self):
        for i in range(3):
            self.server.create_user(f"page{i}@example.test")
        admin = self.server.admin()
        emails, cursor = [], None
        while True:
            params = {"limit": 2}
            if cursor:
                params["cursor"] = cursor
            resp = admin.get("/api/v1/users", params=params)
            self.assertEqual(resp.status_code, 200, resp.text)
            page = resp.json()
            self.assertLessEqual(len(page["users"]), 2)
            emails += [u["email"] for u in page["users"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(emails, sorted(emails))
        self.assertEqual(len(emails), len(set(emails)))
        for i in range(3):
            self.assertIn(f"page{i}@example.test", emails)
        self.assertIn(ADMIN_EMAIL, emails)
        assert_problem(self, admin.get("/api/v1/users", params={"limit": 0}), 400,
                       "/errors/invalid-request")
        assert_problem(self, admin.get("/api/v1/users", params={"cursor": "%%%"}), 400,
                       "/errors/invalid-request")


class FirstAdminTest(GalleryTestCase):
    def test_without_admin_settings_the_log_says_how_to_make_one(self):
        server = self.start_test_server(auth=False)
        line = server.wait_for_log(lambda l: l.get("level") == "warn"
                                   and "no user exists" in l.get("msg", ""))
        self.assertIsNotNone(line, "no hint about creating the first user")
        self.assertIn("gallery user add", line["msg"])
        self.assertIn("GALLERY_ADMIN_EMAIL", line["msg"])

    def test_a_weak_admin_password_stops_the_start(self):
        server = GalleryServer(env={"GALLERY_ADMIN_EMAIL": "a@example.test",
                                    "GALLERY_ADMIN_PASSWORD": "pw9Z"}, auth=False)
        self.addCleanup(server.close)
        with self.assertRaises(RuntimeError):
            server.start()
        self.assertEqual(server.process.returncode, 1)
        stderr = server.stderr_path.read_text()
        self.assertIn("GALLERY_ADMIN_PASSWORD", stderr)
        self.assertIn("at least 8 characters", stderr)
        self.assertNotIn("pw9Z", stderr + server.stdout_path.read_text())


if __name__ == "__main__":
    unittest.main()
