"""Resumable uploads (tus 1.0.0) at the protocol level: the headers and
status codes of every call, bad requests, a request body that breaks off
(its bytes are kept), the method override, and expiry with the sweep.
Callers sign in for real (a user's own API token, or a cookie session
with its CSRF token); an upload and the photo it becomes belong to the
uploader alone, a caller who is not signed in is refused on the headers
before a byte of the body is read, and a quota refuses a file at creation.
(tests/tus drives the same endpoint with tus-js-client.)"""

import base64
import hashlib
import socket
import time
import unittest

import requests

from gallery_server import (REQUEST_TIMEOUT, USER_PASSWORD, GalleryTestCase, assert_problem,
                            read_raw_response, read_testdata)

TUS = {"Tus-Resumable": "1.0.0"}
SMALL = "exif-orientation/Landscape_6.jpg"
LARGE = "large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg"


def metadata(filename):
    return "filename " + base64.b64encode(filename.encode()).decode()


def expect_continue(port, head):
    """Sends a request's header block with `Expect: 100-continue` and none of
    its body; returns the first response (a 100 Continue included)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head.encode())
        return read_raw_response(sock)


class TusServerTestCase(GalleryTestCase):
    """A server, an uploader and another user (each with their own API
    token, made by signing in); helpers for the uploader's tus calls."""

    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server(extra_args=list(cls.server_args))
        cls.owner = cls.server.user_client("uploader@example.com")
        cls.other = cls.server.user_client("other@example.com")

    def headers(self, **extra):
        """tus headers with the uploader's credentials."""
        return {**TUS, **self.owner.auth_headers(), **extra}

    def post(self, path, **kwargs):
        """A POST with only the headers given (server.post would add the
        admin's token)."""
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return requests.post(self.server.url(path), **kwargs)

    def create(self, length, filename="picture.jpg"):
        resp = self.post("/api/v1/uploads", headers=self.headers(
            **{"Upload-Length": str(length), "Upload-Metadata": metadata(filename)}))
        self.assertEqual(resp.status_code, 201, resp.text)
        return resp.headers["Location"]

    def patch(self, location, offset, data, **extra):
        return requests.patch(self.server.url(location), data=data, timeout=REQUEST_TIMEOUT,
                              headers=self.headers(**{
                                  "Content-Type": "application/offset+octet-stream",
                                  "Upload-Offset": str(offset), **extra}))

    def head(self, location):
        return requests.head(self.server.url(location), headers=self.headers(),
                             timeout=REQUEST_TIMEOUT)

    def offset(self, location):
        resp = self.head(location)
        self.assertEqual(resp.status_code, 200)
        return int(resp.headers["Upload-Offset"])


class TusProtocolTest(TusServerTestCase):

    def test_options_announces_version_extensions_limit_and_checksums(self):
        resp = requests.options(self.server.url("/api/v1/uploads"), timeout=REQUEST_TIMEOUT)
        self.assertEqual(resp.status_code, 204)
        self.assertEqual(resp.headers["Tus-Resumable"], "1.0.0")
        self.assertEqual(resp.headers["Tus-Version"], "1.0.0")
        self.assertEqual(set(resp.headers["Tus-Extension"].split(",")),
                         {"creation", "termination", "checksum", "expiration"})
        self.assertEqual(resp.headers["Tus-Max-Size"], str(256 << 20))
        self.assertIn("sha1", resp.headers["Tus-Checksum-Algorithm"].split(","))
        self.assertNotIn("Access-Control-Allow-Origin", resp.headers, "same origin only")

    def test_a_whole_upload_becomes_a_photo(self):
        jpeg = read_testdata(SMALL)
        resp = self.post("/api/v1/uploads", headers=self.headers(
            **{"Upload-Length": str(len(jpeg)), "Upload-Metadata": metadata("Landscape 6.jpg")}))
        self.assertEqual(resp.status_code, 201)
        self.assertEqual(resp.headers["Tus-Resumable"], "1.0.0")
        location = resp.headers["Location"]
        self.assertRegex(location, r"^/api/v1/uploads/[A-Za-z0-9_-]{22}$")
        self.assertTrue(resp.headers["Upload-Expires"].endswith(" GMT"))

        head = self.head(location)
        self.assertEqual(head.status_code, 200)
        self.assertEqual(head.headers["Upload-Offset"], "0")
        self.assertEqual(head.headers["Upload-Length"], str(len(jpeg)))
        self.assertEqual(head.headers["Upload-Metadata"], metadata("Landscape 6.jpg"))
        self.assertEqual(head.headers["Cache-Control"], "no-store")
        self.assertNotIn("X-Photo-Id", head.headers)

        first = self.patch(location, 0, jpeg[:1000])
        self.assertEqual(first.status_code, 204, first.text)
        self.assertEqual(first.headers["Upload-Offset"], "1000")
        self.assertIn("Upload-Expires", first.headers)
        self.assertNotIn("X-Photo-Id", first.headers)
        last = self.patch(location, 1000, jpeg[1000:])
        self.assertEqual(last.status_code, 204, last.text)
        self.assertEqual(last.headers["Upload-Offset"], str(len(jpeg)))
        photo_id = last.headers["X-Photo-Id"]
        self.assertIn(last.headers["X-Photo-Duplicate"], ("true", "false"))

        resp = self.owner.get(f"/api/v1/photos/{photo_id}")
        self.assertEqual(resp.status_code, 200, resp.text)
        photo = resp.json()
        self.assertEqual(photo["sha256"], hashlib.sha256(jpeg).hexdigest())
        self.assertEqual(photo["filename"], "Landscape 6.jpg")
        # As the multipart route makes it: the same bytes there are the same photo.
        again = self.owner.upload_one("again.jpg", jpeg)
        self.assertEqual(again["id"], photo_id)
        self.assertTrue(again["duplicate"])
        self.assertEqual(self.head(location).headers["X-Photo-Id"], photo_id)
        # The photo is the uploader's: another user and the admin see no such photo.
        listed = [p["id"] for p in self.owner.get("/api/v1/photos").json()["photos"]]
        self.assertIn(photo_id, listed)
        for stranger in (self.other, self.server.admin()):
            for suffix in ("", "/original", "/thumb"):
                assert_problem(self, stranger.get(f"/api/v1/photos/{photo_id}{suffix}"), 404,
                               "/not-found")
            self.assertNotIn(photo_id, [p["id"] for p in
                                        stranger.get("/api/v1/photos").json()["photos"]])

    def test_requests_without_the_protocol_version_get_412(self):
        for version in (None, "0.2.2"):
            headers = {**self.owner.auth_headers(), "Upload-Length": "10"}
            if version:
                headers["Tus-Resumable"] = version
            resp = self.post("/api/v1/uploads", headers=headers)
            assert_problem(self, resp, 412, "/precondition-failed")
            self.assertEqual(resp.headers["Tus-Version"], "1.0.0")
            self.assertEqual(resp.headers["Tus-Resumable"], "1.0.0")

    def test_a_caller_is_required(self):
        """No credentials, a wrong token, or the old self-named caller header
        (even with a real user's id): 401 on every method, nothing made."""
        location = self.create(10)
        anonymous = [{}, {"Authorization": "Bearer not-a-real-token"},
                     {"X-Gallery-User": self.owner.user["id"]}]
        for credentials in anonymous:
            with self.subTest(credentials=list(credentials)):
                resp = self.post("/api/v1/uploads", headers={
                    **TUS, **credentials, "Upload-Length": "10",
                    "Upload-Metadata": metadata("anonymous.jpg")})
                assert_problem(self, resp, 401, "/unauthenticated")
                self.assertNotIn("Location", resp.headers)
                for method in ("HEAD", "DELETE"):
                    resp = requests.request(method, self.server.url(location),
                                            headers={**TUS, **credentials},
                                            timeout=REQUEST_TIMEOUT)
                    self.assertEqual(resp.status_code, 401, method)
        self.assertEqual(self.offset(location), 0, "the upload is still there")

    def test_a_cookie_session_works_with_its_csrf_token_only(self):
        """The web UI's way: the session cookie, and X-CSRF-Token on every
        change; without the token a change is 403 and writes nothing."""
        session = self.server.login("uploader@example.com", USER_PASSWORD)
        cookie_only = {**TUS, **session.auth_headers()}
        with_csrf = {**cookie_only, "X-CSRF-Token": session.csrf_token}
        resp = self.post("/api/v1/uploads", headers={**cookie_only, "Upload-Length": "100"})
        assert_problem(self, resp, 403, "/csrf-token-invalid")
        resp = self.post("/api/v1/uploads", headers={**with_csrf, "Upload-Length": "100"})
        self.assertEqual(resp.status_code, 201, resp.text)
        location = resp.headers["Location"]
        # Reads need no CSRF token; the upload is the same user's through a token too.
        resp = requests.head(self.server.url(location), headers=cookie_only,
                             timeout=REQUEST_TIMEOUT)
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(self.offset(location), 0)
        chunk = {"Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"}
        resp = requests.patch(self.server.url(location), data=b"c" * 20,
                              headers={**cookie_only, **chunk}, timeout=REQUEST_TIMEOUT)
        assert_problem(self, resp, 403, "/csrf-token-invalid")
        self.assertEqual(self.offset(location), 0)
        resp = requests.patch(self.server.url(location), data=b"c" * 20,
                              headers={**with_csrf, **chunk}, timeout=REQUEST_TIMEOUT)
        self.assertEqual(resp.status_code, 204, resp.text)
        self.assertEqual(self.offset(location), 20)
        resp = requests.delete(self.server.url(location), headers=cookie_only,
                               timeout=REQUEST_TIMEOUT)
        assert_problem(self, resp, 403, "/csrf-token-invalid")
        resp = requests.delete(self.server.url(location), headers=with_csrf,
                               timeout=REQUEST_TIMEOUT)
        self.assertEqual(resp.status_code, 204)
        self.assertEqual(self.head(location).status_code, 404)

    def test_a_stranger_s_body_is_refused_unread_and_writes_nothing(self):
        """Bytes for an upload from a caller who is not signed in (none, a
        wrong token, a session without its CSRF token): refused on the
        headers; the offset, the staged file and the spool stay as they were."""
        location = self.create(4 << 20)
        self.assertEqual(self.patch(location, 0, b"a" * 10).status_code, 204)
        staged = self.server.data_dir / "uploads" / location.rsplit("/", 1)[1]
        staged_size = staged.stat().st_size
        session = self.server.login("uploader@example.com", USER_PASSWORD)
        chunk = {**TUS, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "10"}
        refusals = [({}, 401, "/unauthenticated"),
                    ({"Authorization": "Bearer not-a-real-token"}, 401, "/unauthenticated"),
                    ({"X-Gallery-User": self.owner.user["id"]}, 401, "/unauthenticated"),
                    (session.auth_headers(), 403, "/csrf-token-invalid")]
        for credentials, status, kind in refusals:
            with self.subTest(credentials=list(credentials)):
                resp = requests.patch(self.server.url(location), data=b"b" * 50,
                                      headers={**chunk, **credentials}, timeout=REQUEST_TIMEOUT)
                assert_problem(self, resp, status, kind)
                # tus core's method override is the same PATCH.
                resp = self.post(location, data=b"b" * 50, headers={
                    **chunk, **credentials, "X-HTTP-Method-Override": "PATCH"})
                assert_problem(self, resp, status, kind)
                # 3 MB announced with Expect: 100-continue: no "go on", no byte read.
                head = (f"PATCH {location} HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
                        "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 10\r\n"
                        + "".join(f"{k}: {v}\r\n" for k, v in credentials.items())
                        + "Content-Length: 3000000\r\nExpect: 100-continue\r\n\r\n")
                resp = expect_continue(self.server.port, head)
                self.assertEqual(resp.status_code, status, "refused without 100 Continue")
                self.assertTrue(resp.json()["type"].endswith(kind), resp.text)
                self.assertEqual(self.offset(location), 10)
                self.assertEqual(staged.stat().st_size, staged_size)
                self.assertEqual(self.server.spool_files(), [])
        # A creation with a body from nobody: refused, nothing made.
        resp = self.post("/api/v1/uploads", data=b"x" * 100, headers={
            **TUS, "Upload-Length": "100", "Content-Type": "application/offset+octet-stream"})
        assert_problem(self, resp, 401, "/unauthenticated")
        self.assertEqual(self.server.spool_files(), [])
        # The owner goes on from where they were.
        self.assertEqual(self.patch(location, 10, b"c" * 5).status_code, 204)
        self.assertEqual(self.offset(location), 15)

    def test_a_stranger_s_creation_body_is_refused_unread(self):
        """POST /api/v1/uploads from nobody with a body (more than a memory
        buffer's worth) announced with Expect: 100-continue: 401 on the
        headers, no "100 Continue", no spool file."""
        head = ("POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
                "Upload-Length: 500000\r\nContent-Type: application/offset+octet-stream\r\n"
                "Content-Length: 500000\r\nExpect: 100-continue\r\n\r\n")
        resp = expect_continue(self.server.port, head)
        assert_problem(self, resp, 401, "/unauthenticated")
        self.assertEqual(self.server.spool_files(), [])

    def test_an_upload_over_the_quota_is_refused_at_creation(self):
        jpeg = read_testdata(SMALL)
        quota = len(jpeg) + 1000
        limited = self.server.user_client("limited@example.com", quota_bytes=quota)
        headers = {**TUS, **limited.auth_headers()}
        resp = self.post("/api/v1/uploads", headers={**headers, "Upload-Length": str(quota + 1)})
        body = assert_problem(self, resp, 413, "/errors/quota-exceeded")
        self.assertIn("quota", body["detail"])
        self.assertNotIn("Location", resp.headers)
        # Up to the quota is fine; the photo it makes counts against it.
        resp = self.post("/api/v1/uploads", headers={**headers, "Upload-Length": str(len(jpeg))})
        self.assertEqual(resp.status_code, 201, resp.text)
        location = resp.headers["Location"]
        resp = requests.patch(self.server.url(location), data=jpeg, timeout=REQUEST_TIMEOUT,
                              headers={**headers, "Upload-Offset": "0",
                                       "Content-Type": "application/offset+octet-stream"})
        self.assertEqual(resp.status_code, 204, resp.text)
        self.assertIn("X-Photo-Id", resp.headers)
        self.assertEqual(limited.get("/api/v1/auth/me").json()["user"]["used_bytes"], len(jpeg))
        resp = self.post("/api/v1/uploads", headers={**headers, "Upload-Length": "1001"})
        assert_problem(self, resp, 413, "/errors/quota-exceeded")
        resp = self.post("/api/v1/uploads", headers={**headers, "Upload-Length": "1000"})
        self.assertEqual(resp.status_code, 201, resp.text)

    def test_creation_refuses_bad_lengths_metadata_and_bodies(self):
        def create(**headers):
            return self.post("/api/v1/uploads", headers=self.headers(**headers))
        assert_problem(self, create(), 400, "/invalid-request")
        for bad in ("-1", "ten", "1e3", "99999999999999999999"):
            assert_problem(self, create(**{"Upload-Length": bad}), 400, "/invalid-request")
        assert_problem(self, create(**{"Upload-Length": "0"}), 400, "/invalid-request")
        assert_problem(self, create(**{"Upload-Length": str((256 << 20) + 1)}), 413,
                       "/payload-too-large")
        assert_problem(self, create(**{"Upload-Defer-Length": "1"}), 400, "/invalid-request")
        for bad in ("filename !!!", "filename " + base64.b64encode(b"../x").decode(),
                    "a b c", "filename YQ==,filename YQ=="):
            assert_problem(self, create(**{"Upload-Length": "10", "Upload-Metadata": bad}), 400,
                           "/invalid-request")
        resp = self.post("/api/v1/uploads", data=b"bytes", headers=self.headers(
            **{"Upload-Length": "5", "Content-Type": "application/offset+octet-stream"}))
        assert_problem(self, resp, 400, "/invalid-request")

    def test_patches_at_another_offset_of_another_type_or_too_long_are_refused(self):
        location = self.create(100)
        self.assertEqual(self.patch(location, 0, b"x" * 10).status_code, 204)
        assert_problem(self, self.patch(location, 0, b"x" * 10), 409, "/conflict")
        assert_problem(self, self.patch(location, 11, b"x"), 409, "/conflict")
        assert_problem(self, self.patch(location, 10, b"x" * 91), 413, "/payload-too-large")
        resp = requests.patch(self.server.url(location), data=b"x", timeout=REQUEST_TIMEOUT,
                              headers=self.headers(**{"Content-Type": "application/octet-stream",
                                                      "Upload-Offset": "10"}))
        assert_problem(self, resp, 415, "/unsupported-media-type")
        assert_problem(self, self.patch(location, 10, b"x", **{"Upload-Checksum": "md5 AAAA"}),
                       400, "/invalid-request")
        resp = requests.patch(self.server.url(location), data=b"x", timeout=REQUEST_TIMEOUT,
                              headers=self.headers(**{
                                  "Content-Type": "application/offset+octet-stream"}))
        assert_problem(self, resp, 400, "/invalid-request")
        self.assertEqual(self.offset(location), 10)

    def test_checksums_are_checked_and_a_mismatch_discards_the_chunk(self):
        location = self.create(100)
        chunk = b"y" * 40
        wrong = base64.b64encode(hashlib.sha1(b"other").digest()).decode()
        resp = self.patch(location, 0, chunk, **{"Upload-Checksum": f"sha1 {wrong}"})
        assert_problem(self, resp, 460, "/checksum-mismatch")
        self.assertEqual(resp.reason, "Checksum Mismatch")
        self.assertEqual(resp.headers["Tus-Resumable"], "1.0.0")
        self.assertEqual(self.offset(location), 0)
        right = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        resp = self.patch(location, 0, chunk, **{"Upload-Checksum": f"sha256 {right}"})
        self.assertEqual(resp.status_code, 204)
        self.assertEqual(self.offset(location), 40)

    def test_unknown_and_other_users_uploads_are_not_found(self):
        """Another user's upload, to another user and to the admin, answers
        exactly like an id that does not exist, and is left as it was."""
        location = self.create(10)
        self.assertEqual(self.patch(location, 0, b"o" * 4).status_code, 204)
        staged = self.server.data_dir / "uploads" / location.rsplit("/", 1)[1]
        unknown = "/api/v1/uploads/AAAAAAAAAAAAAAAAAAAAAA"
        for name, stranger in (("other", self.other), ("admin", self.server.admin())):
            other = {**TUS, **stranger.auth_headers()}
            chunk = {**other, "Upload-Offset": "4",
                     "Content-Type": "application/offset+octet-stream"}
            for path in (location, unknown):
                with self.subTest(caller=name, path=path):
                    for method in ("HEAD", "DELETE"):
                        resp = requests.request(method, self.server.url(path), headers=other,
                                                timeout=REQUEST_TIMEOUT)
                        self.assertEqual(resp.status_code, 404, method)
                    resp = requests.patch(self.server.url(path), data=b"x",
                                          timeout=REQUEST_TIMEOUT, headers=chunk)
                    body = assert_problem(self, resp, 404, "/not-found")
                    self.assertNotIn(self.owner.user["id"], resp.text)
                    self.assertNotIn("uploader@", resp.text)
                    for override in ("PATCH", "HEAD", "DELETE"):
                        resp = self.post(path, data=b"x" if override == "PATCH" else None,
                                         headers={**chunk, "X-HTTP-Method-Override": override})
                        assert_problem(self, resp, 404, "/not-found")
                    if path == unknown:
                        self.assertEqual(body["title"], missing_title)
                    else:
                        missing_title = body["title"]
        self.assertEqual(self.head("/api/v1/uploads/no-such-upload").status_code, 404)
        self.assertEqual(self.offset(location), 4)
        self.assertEqual(staged.stat().st_size, 4)

    def test_termination_removes_the_upload_and_its_staged_file(self):
        location = self.create(100)
        self.assertEqual(self.patch(location, 0, b"z" * 30).status_code, 204)
        staged = self.server.data_dir / "uploads" / location.rsplit("/", 1)[1]
        self.assertTrue(staged.exists())
        resp = requests.delete(self.server.url(location), headers=self.headers(),
                               timeout=REQUEST_TIMEOUT)
        self.assertEqual(resp.status_code, 204)
        self.assertEqual(resp.headers["Tus-Resumable"], "1.0.0")
        self.assertFalse(staged.exists())
        self.assertEqual(self.head(location).status_code, 404)
        assert_problem(self, self.patch(location, 30, b"z"), 404, "/not-found")

    def test_the_method_override_of_tus_core(self):
        jpeg = read_testdata(SMALL)
        location = self.create(len(jpeg))
        resp = self.post(location, data=jpeg, headers=self.headers(**{
            "X-HTTP-Method-Override": "PATCH", "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream"}))
        self.assertEqual(resp.status_code, 204, resp.text)
        self.assertIn("X-Photo-Id", resp.headers)
        resp = self.post(location, headers=self.headers(**{"X-HTTP-Method-Override": "HEAD"}))
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(resp.headers["Upload-Offset"], str(len(jpeg)))
        resp = self.post(location, headers=self.headers())
        assert_problem(self, resp, 400, "/invalid-request")
        resp = self.post(location, headers=self.headers(**{"X-HTTP-Method-Override": "DELETE"}))
        self.assertEqual(resp.status_code, 204)
        self.assertEqual(self.head(location).status_code, 404)

    def test_a_file_that_is_no_picture_is_refused_at_its_last_byte(self):
        text = b"plain text, not a picture at all"
        location = self.create(len(text), "notes.jpg")
        self.assertEqual(self.patch(location, 0, text[:10]).status_code, 204)
        assert_problem(self, self.patch(location, 10, text[10:]), 415, "/unsupported-media-type")
        self.assertEqual(self.head(location).status_code, 404)
        staged = self.server.data_dir / "uploads" / location.rsplit("/", 1)[1]
        self.assertFalse(staged.exists(), "its staged bytes are gone")

    def test_bytes_of_a_body_that_breaks_off_are_kept(self):
        """A PATCH announces 300000 bytes and the connection closes after
        120000 of them: the server stores what arrived and the next HEAD says
        so. With an Upload-Checksum the broken-off bytes cannot be checked
        and nothing is kept."""
        data = read_testdata(LARGE)
        location = self.create(len(data))

        def broken_patch(offset, sent, extra=""):
            head = (f"PATCH {location} HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
                    f"Authorization: Bearer {self.owner.token}\r\n"
                    "Content-Type: application/offset+octet-stream\r\n"
                    f"Upload-Offset: {offset}\r\nContent-Length: 300000\r\n{extra}\r\n")
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
                sock.sendall(head.encode() + data[offset:offset + sent])
                time.sleep(0.2)

        checksum = base64.b64encode(hashlib.sha1(data[:300000]).digest()).decode()
        broken_patch(0, 120000, f"Upload-Checksum: sha1 {checksum}\r\n")
        time.sleep(0.5)
        self.assertEqual(self.offset(location), 0)
        broken_patch(0, 120000)
        deadline = time.monotonic() + 10
        while self.offset(location) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.offset(location), 120000)
        # The rest, in one go: the photo is the whole file.
        resp = self.patch(location, 120000, data[120000:])
        self.assertEqual(resp.status_code, 204, resp.text)
        photo = self.owner.get(f"/api/v1/photos/{resp.headers['X-Photo-Id']}").json()
        self.assertEqual(photo["sha256"], hashlib.sha256(data).hexdigest())


class TusExpiryTest(TusServerTestCase):
    """Expiry without a sweep (410), then a sweep that removes the upload."""

    server_args = ("--upload-expiry", "2s", "--sweep-interval", "1h")

    def test_an_idle_upload_expires_with_410(self):
        location = self.create(100)
        self.assertEqual(self.patch(location, 0, b"q" * 10).status_code, 204)
        time.sleep(2.2)
        resp = self.head(location)
        self.assertEqual(resp.status_code, 410)
        assert_problem(self, self.patch(location, 10, b"q"), 410, "/gone")
        self.assertTrue((self.server.data_dir / "uploads" / location.rsplit("/", 1)[1]).exists(),
                        "no sweep yet")


class TusSweepTest(TusServerTestCase):
    server_args = ("--upload-expiry", "2s", "--sweep-interval", "1s")

    def test_the_sweeper_removes_abandoned_uploads_and_their_bytes(self):
        abandoned = self.create(100)
        self.assertEqual(self.patch(abandoned, 0, b"q" * 10).status_code, 204)
        staged = self.server.data_dir / "uploads" / abandoned.rsplit("/", 1)[1]
        deadline = time.monotonic() + 15
        while staged.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertFalse(staged.exists(), "the staged file of an expired upload is removed")
        self.assertEqual(self.head(abandoned).status_code, 404)
        self.assertIsNotNone(self.server.wait_for_log(
            lambda line: line.get("msg") == "expired uploads removed"))


if __name__ == "__main__":
    unittest.main()
