"""Resumable uploads (tus 1.0.0) at the protocol level: the headers and
status codes of every call, bad requests, a request body that breaks off
(its bytes are kept), the method override, and expiry with the sweep.
(tests/tus drives the same endpoint with tus-js-client.)"""

import base64
import hashlib
import socket
import sqlite3
import time
import unittest

import requests

from gallery_server import REQUEST_TIMEOUT, GalleryTestCase, assert_problem, read_testdata

TUS = {"Tus-Resumable": "1.0.0"}
SMALL = "exif-orientation/Landscape_6.jpg"
LARGE = "large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg"


def add_user(server):
    """A user row in the server's SQLite file (there is no sign-in API yet);
    returns its id, which the tests send as the caller."""
    user_id = "tus-it-" + hashlib.sha1(str(time.monotonic_ns()).encode()).hexdigest()[:12]
    with sqlite3.connect(server.data_dir / "gallery.db", timeout=10) as db:
        db.execute("INSERT INTO users (id, email, password_hash, role, created_at_ms) "
                   "VALUES (?, ?, 'x', 'user', 0)", (user_id, user_id + "@example.com"))
    return user_id


def metadata(filename):
    return "filename " + base64.b64encode(filename.encode()).decode()


class TusServerTestCase(GalleryTestCase):
    """A server and a user; helpers for the tus calls."""

    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server(extra_args=list(cls.server_args))
        cls.user = add_user(cls.server)

    def headers(self, **extra):
        return {**TUS, "X-Gallery-User": self.user, **extra}

    def create(self, length, filename="picture.jpg"):
        resp = self.server.post("/api/v1/uploads", headers=self.headers(
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
        resp = self.server.post("/api/v1/uploads", headers=self.headers(
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

        photo = self.server.get(f"/api/v1/photos/{photo_id}").json()
        self.assertEqual(photo["sha256"], hashlib.sha256(jpeg).hexdigest())
        self.assertEqual(photo["filename"], "Landscape 6.jpg")
        # As the multipart route makes it: the same bytes there are the same photo.
        again = self.server.upload_one("again.jpg", jpeg)
        self.assertEqual(again["id"], photo_id)
        self.assertTrue(again["duplicate"])
        self.assertEqual(self.head(location).headers["X-Photo-Id"], photo_id)

    def test_requests_without_the_protocol_version_get_412(self):
        for version in (None, "0.2.2"):
            headers = {"X-Gallery-User": self.user, "Upload-Length": "10"}
            if version:
                headers["Tus-Resumable"] = version
            resp = self.server.post("/api/v1/uploads", headers=headers)
            assert_problem(self, resp, 412, "/precondition-failed")
            self.assertEqual(resp.headers["Tus-Version"], "1.0.0")
            self.assertEqual(resp.headers["Tus-Resumable"], "1.0.0")

    def test_a_caller_is_required(self):
        resp = self.server.post("/api/v1/uploads", headers={**TUS, "Upload-Length": "10"})
        assert_problem(self, resp, 401, "/unauthenticated")
        resp = self.server.post("/api/v1/uploads", headers={
            **TUS, "Upload-Length": "10", "X-Gallery-User": "no-such-user"})
        assert_problem(self, resp, 401, "/unauthenticated")

    def test_creation_refuses_bad_lengths_metadata_and_bodies(self):
        def create(**headers):
            return self.server.post("/api/v1/uploads", headers=self.headers(**headers))
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
        resp = self.server.post("/api/v1/uploads", data=b"bytes", headers=self.headers(
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
        location = self.create(10)
        other = {**TUS, "X-Gallery-User": add_user(self.server)}
        for method in ("HEAD", "DELETE"):
            resp = requests.request(method, self.server.url(location), headers=other,
                                    timeout=REQUEST_TIMEOUT)
            self.assertEqual(resp.status_code, 404, method)
        resp = requests.patch(self.server.url(location), data=b"x", timeout=REQUEST_TIMEOUT,
                              headers={**other, "Upload-Offset": "0",
                                       "Content-Type": "application/offset+octet-stream"})
        assert_problem(self, resp, 404, "/not-found")
        self.assertEqual(self.head("/api/v1/uploads/no-such-upload").status_code, 404)
        self.assertEqual(self.offset(location), 0)

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
        resp = self.server.post(location, data=jpeg, headers=self.headers(**{
            "X-HTTP-Method-Override": "PATCH", "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream"}))
        self.assertEqual(resp.status_code, 204, resp.text)
        self.assertIn("X-Photo-Id", resp.headers)
        resp = self.server.post(location, headers=self.headers(**{"X-HTTP-Method-Override": "HEAD"}))
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(resp.headers["Upload-Offset"], str(len(jpeg)))
        resp = self.server.post(location, headers=self.headers())
        assert_problem(self, resp, 400, "/invalid-request")
        resp = self.server.post(location, headers=self.headers(**{"X-HTTP-Method-Override": "DELETE"}))
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
                    f"X-Gallery-User: {self.user}\r\n"
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
        photo = self.server.get(f"/api/v1/photos/{resp.headers['X-Photo-Id']}").json()
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
