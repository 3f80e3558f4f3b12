"""`gallery user add|list|reset-password`: straight on the database, with
passwords from standard input or a prompt, never from the command line."""

import os
import shutil
import subprocess
import tempfile
import unittest

import requests

from gallery_server import REQUEST_TIMEOUT, GalleryTestCase, assert_problem, binary_path

EMAIL = "cli-admin@example.test"
PASSWORD = "cli admin password"


class UserCliTest(GalleryTestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="gallery-cli-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.data_dir = os.path.join(self.dir, "data")

    def gallery(self, *args, stdin=None):
        """Runs the binary with the data dir; returns (code, stdout, stderr)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("GALLERY_")}
        proc = subprocess.run([binary_path(), *args, "--data-dir", self.data_dir],
                              input=stdin, capture_output=True, text=True, env=env, timeout=60)
        return proc.returncode, proc.stdout, proc.stderr

    def test_add_list_and_reset_password(self):
        code, out, err = self.gallery("user", "add", "--email", EMAIL, "--role", "admin",
                                      "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(code, 0, err)
        self.assertIn(f"added admin {EMAIL}", out)
        code, out, err = self.gallery("user", "add", "--email", "Plain@Example.test",
                                      "--quota", "1GiB", "--password-stdin",
                                      stdin="plain user password\n")
        self.assertEqual(code, 0, err)

        code, out, err = self.gallery("user", "add", "--email", EMAIL.upper(), "--password-stdin",
                                      stdin=PASSWORD + "\n")
        self.assertEqual(code, 1)
        self.assertIn("already exists", err)
        code, out, err = self.gallery("user", "add", "--email", "weak@example.test",
                                      "--password-stdin", stdin="weak\n")
        self.assertEqual(code, 1)
        self.assertIn("at least 8 characters", err)

        code, out, err = self.gallery("user", "list")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertTrue(lines[0].startswith("EMAIL"))
        rows = {line.split()[0]: line.split() for line in lines[1:]}
        self.assertEqual(rows[EMAIL][1], "admin")
        self.assertEqual(rows["plain@example.test"][1:3], ["user", str(1 << 30)])
        self.assertNotIn("weak@example.test", rows)

        # A running server sees the users; a reset signs the user out there.
        server = self.start_test_server(["--auth-cache-ttl", "0"], data_dir=self.data_dir,
                                        auth=False)
        client = server.login(EMAIL, PASSWORD)
        self.assertEqual(client.get("/api/v1/auth/me").json()["user"]["role"], "admin")
        code, out, err = self.gallery("user", "reset-password", "--email", EMAIL,
                                      "--password-stdin", stdin="a brand new password\n")
        self.assertEqual(code, 0, err)
        self.assertIn("reset", out)
        assert_problem(self, client.get("/api/v1/auth/me"), 401, "/errors/unauthenticated")
        old = requests.post(server.url("/api/v1/auth/login"),
                            json={"email": EMAIL, "password": PASSWORD}, timeout=REQUEST_TIMEOUT)
        self.assertEqual(old.status_code, 401)
        server.login(EMAIL, "a brand new password")

        code, out, err = self.gallery("user", "reset-password", "--email", "nobody@example.test",
                                      "--password-stdin", stdin="a brand new password\n")
        self.assertEqual(code, 1)
        self.assertIn("No such user", err)

    def test_passwords_never_come_from_the_command_line(self):
        code, _, err = self.gallery("user", "add", "--email", EMAIL, "--password", PASSWORD)
        self.assertEqual(code, 2)
        # Without --password-stdin it prompts, which needs a terminal.
        code, _, err = self.gallery("user", "add", "--email", EMAIL, stdin=PASSWORD + "\n")
        self.assertEqual(code, 1)
        self.assertIn("--password-stdin", err)
        code, _, err = self.gallery("user", "add", "--email", EMAIL, "--password-stdin", stdin="")
        self.assertEqual(code, 1)
        code, out, _ = self.gallery("user", "list")
        self.assertNotIn(EMAIL, out)

    def test_help(self):
        code, out, _ = self.gallery("user", "--help")
        self.assertEqual(code, 0)
        for word in ("add", "list", "reset-password", "--password-stdin"):
            self.assertIn(word, out)
        code, out, _ = self.gallery("user", "reset-password", "--help")
        self.assertEqual(code, 0)
        self.assertIn("--email", out)
        self.assertIn("sign them out", out)


if __name__ == "__main__":
    unittest.main()
