"""Secrets never reach the logs: run a whole account flow (sign-in, a wrong
password, a password typed into the email field, cookie and CSRF token, API
token use and revocation, share links with their password) and search
everything the server wrote to stdout and stderr for each secret."""

import json
import unittest

import requests

from gallery_server import (ADMIN_PASSWORD, REQUEST_TIMEOUT, GalleryTestCase)

USER_EMAIL = "scrub@example.test"
USER_SECRET = "Scrub-Secret-Password-42"
WRONG_SECRET = "Wrong-Secret-Password-77"
TYPED_INTO_EMAIL = "Typed-Into-Email-Secret-99"
SHARE_TOKEN = "ShareTokenSecret0123456789abcdefghijklmnopq"
SHARE_PASSWORD = "Share-Secret-Password-31"
FAKE_BEARER = "FakeBearerSecret0123456789abcdefghijklmnopqr"


class LogScrubbingTest(GalleryTestCase):
    def test_no_secret_is_logged(self):
        server = self.start_test_server()
        server.create_user(USER_EMAIL, USER_SECRET)
        secrets = {"admin password": ADMIN_PASSWORD, "user password": USER_SECRET,
                   "wrong password": WRONG_SECRET, "password typed as email": TYPED_INTO_EMAIL,
                   "share token": SHARE_TOKEN, "share password": SHARE_PASSWORD,
                   "unknown bearer token": FAKE_BEARER, "harness token": server.admin_token}

        def login(email, password):
            return requests.post(server.url("/api/v1/auth/login"),
                                 json={"email": email, "password": password},
                                 timeout=REQUEST_TIMEOUT)

        self.assertEqual(login(USER_EMAIL, WRONG_SECRET).status_code, 401)
        self.assertEqual(login(TYPED_INTO_EMAIL, USER_SECRET).status_code, 401)
        client = server.login(USER_EMAIL, USER_SECRET)
        secrets["session token"] = client.session_token
        secrets["csrf token"] = client.csrf_token
        self.assertEqual(client.get("/api/v1/auth/me").status_code, 200)
        made = client.post("/api/v1/tokens", json={"name": "scrub"}).json()
        secrets["api token"] = made["token"]
        bearer = server.anonymous()
        headers = {"Authorization": f"Bearer {made['token']}"}
        self.assertEqual(bearer.get("/api/v1/tokens", headers=headers).status_code, 200)
        self.assertEqual(bearer.get("/api/v1/auth/me",
                                    headers={"Authorization": f"Bearer {FAKE_BEARER}"}).status_code,
                         401)
        # Share links carry their token in the path, their password in a header.
        share_headers = {"X-Share-Password": SHARE_PASSWORD}
        for path in (f"/s/{SHARE_TOKEN}", f"/api/v1/shared/{SHARE_TOKEN}",
                     f"/api/v1/shared/{SHARE_TOKEN}/photos/p1/thumb"):
            bearer.get(path, headers=share_headers)
        bearer.post(f"/api/v1/shared/{SHARE_TOKEN}/unlock", json={"password": SHARE_PASSWORD})
        bearer.get(f"/api/v1/photos?token={SHARE_TOKEN}", headers=share_headers)
        self.assertEqual(client.delete(f"/api/v1/tokens/{made['id']}").status_code, 204)
        self.assertEqual(client.put("/api/v1/auth/password", json={
            "current_password": USER_SECRET, "new_password": USER_SECRET + "!"}).status_code, 204)
        self.assertEqual(client.post("/api/v1/auth/logout").status_code, 204)

        self.assertEqual(server.stop(), 0)
        out = server.stdout_path.read_text(errors="replace")
        err = server.stderr_path.read_text(errors="replace")
        for what, secret in secrets.items():
            with self.subTest(secret=what):
                self.assertTrue(secret)
                self.assertNotIn(secret, out, f"the {what} is in stdout")
                self.assertNotIn(secret, err, f"the {what} is in stderr")
        # The share requests were logged, with the token cut out.
        paths = [json.loads(line)["path"] for line in out.splitlines()
                 if line.startswith("{") and '"msg":"request"' in line]
        self.assertIn("/s/[redacted]", paths)
        self.assertIn("/api/v1/shared/[redacted]", paths)
        self.assertIn("/api/v1/shared/[redacted]/photos/p1/thumb", paths)
        self.assertIn("/api/v1/shared/[redacted]/unlock", paths)


if __name__ == "__main__":
    unittest.main()
