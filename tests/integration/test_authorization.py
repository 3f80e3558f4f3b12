"""Who may do what: every API route against every kind of caller.

The callers: nobody (no credentials), the owner of the things asked for,
another user, an admin, a visitor holding a share link, and visitors holding
an expired and a revoked link. Each route is tried by each caller with the
status it must get. Ids of another user's photos, albums, shares and tokens
are tried everywhere an id goes (IDOR): they must answer exactly like ids
that do not exist.

Share pages and their pictures are then checked for leaked metadata with the
camera-exif/gps/ pictures: no GPS, file name, owner, or EXIF unless shown.
"""

import socket
import time
import unittest

import requests

import images
from gallery_server import (ADMIN_EMAIL, ADMIN_PASSWORD, GalleryTestCase, assert_problem,
                            read_raw_response, read_testdata)

TIMEOUT = 60
TUS = {"Tus-Resumable": "1.0.0"}

GPS_FILES = ["camera-exif/gps/DSCN0010.jpg", "camera-exif/gps/DSCN0021.jpg"]


class Caller:
    """One identity: a Bearer token, or none."""

    def __init__(self, server, token=None):
        self.server = server
        self.token = token

    def request(self, method, path, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        kwargs.setdefault("timeout", TIMEOUT)
        return requests.request(method, self.server.url(path), headers=headers,
                                allow_redirects=False, **kwargs)

    def json(self, method, path, expect, body=None):
        resp = self.request(method, path, json=body)
        if resp.status_code != expect:
            raise AssertionError(f"{method} {path}: {resp.status_code} {resp.text}")
        return resp.json() if resp.content else None


def sign_in_token(server, email, password):
    """Signs in with the password and makes a personal API token."""
    session = requests.Session()
    resp = session.post(server.url("/api/v1/auth/login"),
                        json={"email": email, "password": password}, timeout=TIMEOUT)
    if resp.status_code != 200:
        raise AssertionError(f"login of {email}: {resp.status_code} {resp.text}")
    csrf = resp.json()["csrf_token"]
    resp = session.post(server.url("/api/v1/tokens"), json={"name": "tests"},
                        headers={"X-CSRF-Token": csrf}, timeout=TIMEOUT)
    if resp.status_code != 201:
        raise AssertionError(f"token for {email}: {resp.status_code} {resp.text}")
    return resp.json()["token"]


def upload(caller, name, data):
    resp = caller.request("POST", "/api/v1/photos", files=[("file", (name, data))])
    if resp.status_code not in (200, 201):
        raise AssertionError(f"upload {name}: {resp.status_code} {resp.text}")
    return resp.json()["photos"][0]


class AuthorizationMatrixTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()
        s = cls.server
        cls.admin = Caller(s, sign_in_token(s, ADMIN_EMAIL, ADMIN_PASSWORD))
        for name in ("owner", "other"):
            cls.admin.json("POST", "/api/v1/users", 201,
                           {"email": f"{name}@example.com", "password": f"{name}-password-1234",
                            "role": "user"})
        cls.owner = Caller(s, sign_in_token(s, "owner@example.com", "owner-password-1234"))
        cls.other = Caller(s, sign_in_token(s, "other@example.com", "other-password-1234"))
        cls.nobody = Caller(s)

        jpeg = read_testdata("exif-orientation/Landscape_6.jpg")
        cls.photo = upload(cls.owner, "Landscape_6.jpg", jpeg)            # in the album
        cls.loose = upload(cls.owner, "gps.jpg", read_testdata(GPS_FILES[0]))  # not in it
        cls.victim = upload(cls.owner, "to-delete.jpg", read_testdata(GPS_FILES[1]))
        cls.theirs = upload(cls.other, "Landscape_6.jpg", jpeg)  # same bytes, other user
        cls.album = cls.owner.json("POST", "/api/v1/albums", 201, {"title": "Holidays"})
        cls.owner.json("POST", f"/api/v1/albums/{cls.album['id']}/photos", 200,
                       {"photo_ids": [cls.photo["id"]]})
        cls.their_album = cls.other.json("POST", "/api/v1/albums", 201, {"title": "Theirs"})
        cls.share = cls.owner.json("POST", "/api/v1/shares", 201, {"album_id": cls.album["id"]})
        cls.revoked = cls.owner.json("POST", "/api/v1/shares", 201,
                                     {"album_id": cls.album["id"]})
        cls.owner.json("DELETE", f"/api/v1/shares/{cls.revoked['id']}", 204)
        expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3))
        cls.expired = cls.owner.json("POST", "/api/v1/shares", 201,
                                     {"album_id": cls.album["id"], "expires_at": expires})
        cls.their_share = cls.other.json("POST", "/api/v1/shares", 201,
                                         {"photo_id": cls.theirs["id"]})
        cls.their_token_id = cls.other.json("GET", "/api/v1/tokens", 200)["tokens"][0]["id"]
        resp = cls.owner.request("POST", "/api/v1/uploads",
                                 headers={**TUS, "Upload-Length": "100"})
        if resp.status_code != 201:
            raise AssertionError(f"creating an upload: {resp.status_code} {resp.text}")
        cls.upload_path = resp.headers["Location"]
        time.sleep(4.0)  # let the expiring link die

    def check(self, caller_name, method, path, expected, body=None, **kwargs):
        caller = getattr(self, caller_name)
        resp = caller.request(method, path, json=body, **kwargs)
        with self.subTest(caller=caller_name, method=method, path=path):
            self.assertEqual(resp.status_code, expected, resp.text[:300])
            if expected >= 400:
                self.assertEqual(resp.headers.get("Content-Type"), "application/problem+json")
        return resp

    def test_owner_routes_against_every_caller(self):
        p, a, sh = self.photo["id"], self.album["id"], self.share["id"]
        # (method, path, body, nobody, owner, other, admin). Reads only here,
        # and changes that leave things as they were; deletions below.
        routes = [
            ("GET", "/api/v1/photos", None, 401, 200, 200, 200),
            ("GET", f"/api/v1/photos/{p}", None, 401, 200, 404, 404),
            ("GET", f"/api/v1/photos/{p}/original", None, 401, 200, 404, 404),
            ("GET", f"/api/v1/photos/{p}/thumb", None, 401, 200, 404, 404),
            ("GET", f"/api/v1/photos/{p}/preview", None, 401, 200, 404, 404),
            ("POST", f"/api/v1/photos/{p}/restore", None, 401, 404, 404, 404),
            ("DELETE", f"/api/v1/trash/{p}", None, 401, 404, 404, 404),
            ("GET", "/api/v1/trash", None, 401, 200, 200, 200),
            ("GET", "/api/v1/albums", None, 401, 200, 200, 200),
            ("GET", f"/api/v1/albums/{a}", None, 401, 200, 404, 404),
            ("PATCH", f"/api/v1/albums/{a}", {"title": "Holidays"}, 401, 200, 404, 404),
            ("GET", f"/api/v1/albums/{a}/photos", None, 401, 200, 404, 404),
            ("POST", f"/api/v1/albums/{a}/photos", {"photo_ids": [p]}, 401, 200, 404, 404),
            ("PUT", f"/api/v1/albums/{a}/order", {"photo_ids": [p]}, 401, 204, 404, 404),
            ("GET", "/api/v1/shares", None, 401, 200, 200, 200),
            ("GET", f"/api/v1/shares/{sh}", None, 401, 200, 404, 404),
            ("GET", "/api/v1/tokens", None, 401, 200, 200, 200),
            ("GET", "/api/v1/users", None, 401, 403, 403, 200),
            ("GET", "/api/v1/auth/me", None, 401, 200, 200, 200),
        ]
        for method, path, body, *expected in routes:
            for name, status in zip(("nobody", "owner", "other", "admin"), expected):
                self.check(name, method, path, status, body)

    def test_upload_routes_against_every_caller(self):
        """Resumable uploads (tus): nobody gets 401, another user and the
        admin get 404 for the owner's upload (as for an unknown id), and
        their attempts leave it as it was. In an order that changes the
        upload only through the owner."""
        u = self.upload_path
        chunk = {**TUS, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}
        # Discovery (OPTIONS) names only the server's capabilities: open to all.
        for name in ("nobody", "owner", "other", "admin"):
            self.check(name, "OPTIONS", "/api/v1/uploads", 204)
        for name, status in (("nobody", 401), ("owner", 201), ("other", 201), ("admin", 201)):
            self.check(name, "POST", "/api/v1/uploads", status,
                       headers={**TUS, "Upload-Length": "10"})
        steps = [
            ("HEAD", None, {}, 401, 200, 404, 404),
            ("PATCH", b"p", chunk, 401, None, 404, 404),
            ("POST", b"p", {**chunk, "X-HTTP-Method-Override": "PATCH"}, 401, None, 404, 404),
            ("POST", None, {**TUS, "X-HTTP-Method-Override": "HEAD"}, 401, 200, 404, 404),
            ("DELETE", None, {}, 401, None, 404, 404),
            ("POST", None, {**TUS, "X-HTTP-Method-Override": "DELETE"}, 401, None, 404, 404),
        ]
        for method, data, headers, *expected in steps:
            for name, status in zip(("nobody", "owner", "other", "admin"), expected):
                if status is not None:
                    self.check(name, method, u, status, data=data, headers={**TUS, **headers})
            head = self.check("owner", "HEAD", u, 200, headers=TUS)
            self.assertEqual(head.headers["Upload-Offset"], "0", "nobody else changed it")
        # Now the owner: a chunk, then the termination.
        resp = self.check("owner", "PATCH", u, 204, data=b"p", headers=chunk)
        self.assertEqual(resp.headers["Upload-Offset"], "1")
        self.check("other", "DELETE", u, 404, headers=TUS)
        self.check("owner", "DELETE", u, 204, headers=TUS)
        for name, status in (("nobody", 401), ("owner", 404), ("other", 404), ("admin", 404)):
            self.check(name, "HEAD", u, status, headers=TUS)

    def test_a_stranger_s_body_is_refused_before_it_is_read(self):
        """A 3 MB body announced with Expect: 100-continue by a caller who is
        not signed in: refused on the headers (no "100 Continue"), the
        connection closed, nothing spooled, for the multipart upload and for
        a tus chunk."""
        session = requests.post(self.server.url("/api/v1/auth/login"), timeout=TIMEOUT,
                                json={"email": "owner@example.com",
                                      "password": "owner-password-1234"})
        self.assertEqual(session.status_code, 200, session.text)
        cookie = f"Cookie: gallery_session={session.cookies['gallery_session']}\r\n"
        upload = self.owner.request("POST", "/api/v1/uploads",
                                    headers={**TUS, "Upload-Length": "4000000"})
        self.assertEqual(upload.status_code, 201, upload.text)
        targets = [
            ("POST /api/v1/photos",
             "Content-Type: multipart/form-data; boundary=gallery-test-boundary\r\n"),
            (f"PATCH {upload.headers['Location']}",
             "Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
             "Content-Type: application/offset+octet-stream\r\n"),
        ]
        strangers = [("", 401, "/errors/unauthenticated"),
                     ("Authorization: Bearer not-a-real-token\r\n", 401,
                      "/errors/unauthenticated"),
                     (cookie, 403, "/errors/csrf-token-invalid")]  # a session without CSRF
        for request_line, headers in targets:
            for credentials, status, kind in strangers:
                with self.subTest(request=request_line, credentials=credentials[:14]):
                    head = (f"{request_line} HTTP/1.1\r\nHost: x\r\n{headers}{credentials}"
                            "Content-Length: 3000000\r\nExpect: 100-continue\r\n\r\n")
                    with socket.create_connection(("127.0.0.1", self.server.port),
                                                  timeout=TIMEOUT) as sock:
                        sock.sendall(head.encode())
                        resp = read_raw_response(sock)
                        self.assertEqual(resp.status_code, status,
                                         f"answered before the body, no 100 Continue: "
                                         f"{resp.text}")
                        self.assertEqual(resp.json()["type"], kind)
                        self.assertEqual(resp.headers.get("connection"), "close")
                        sock.settimeout(10)
                        self.assertEqual(sock.recv(1), b"", "the server closes the connection")
                    self.assertEqual(self.server.spool_files(), [])
        head = self.owner.request("HEAD", upload.headers["Location"], headers=TUS)
        self.assertEqual(head.headers["Upload-Offset"], "0")

    def test_listings_hold_only_the_callers_own_things(self):
        mine = {x["id"] for x in self.owner.json("GET", "/api/v1/photos", 200)["photos"]}
        theirs = {x["id"] for x in self.other.json("GET", "/api/v1/photos", 200)["photos"]}
        admins = {x["id"] for x in self.admin.json("GET", "/api/v1/photos", 200)["photos"]}
        self.assertIn(self.photo["id"], mine)
        self.assertEqual(theirs, {self.theirs["id"]})
        self.assertNotEqual(self.theirs["id"], self.photo["id"], "dedup is per user")
        self.assertFalse(admins & (mine | theirs), "an admin does not see users' photos")
        albums = self.other.json("GET", "/api/v1/albums", 200)["albums"]
        self.assertEqual([x["id"] for x in albums], [self.their_album["id"]])
        shares = self.other.json("GET", "/api/v1/shares", 200)["shares"]
        self.assertEqual([x["id"] for x in shares], [self.their_share["id"]])

    def test_ids_of_others_things_act_as_missing_ids(self):
        """IDOR: the other user aims at the owner's ids; never more than 404."""
        p, a, sh = self.photo["id"], self.album["id"], self.share["id"]
        their_album = self.their_album["id"]
        attempts = [
            ("DELETE", f"/api/v1/photos/{p}", None),
            ("DELETE", f"/api/v1/albums/{a}", None),
            ("POST", f"/api/v1/albums/{a}/photos/remove", {"photo_ids": [p]}),
            ("POST", f"/api/v1/albums/{a}/photos/move", {"photo_id": p, "after_photo_id": None}),
            ("POST", f"/api/v1/albums/{their_album}/photos", {"photo_ids": [p]}),
            ("PATCH", f"/api/v1/albums/{their_album}", {"cover_photo_id": p}),
            ("POST", "/api/v1/shares", {"photo_id": p}),
            ("POST", "/api/v1/shares", {"album_id": a}),
            ("DELETE", f"/api/v1/shares/{sh}", None),
        ]
        missing = {"DELETE": 404, "POST": 404, "PATCH": None}
        for method, path, body in attempts:
            resp = self.other.request(method, path, json=body)
            with self.subTest(method=method, path=path):
                self.assertIn(resp.status_code, (400, 404), resp.text)
                if missing.get(method) == 404:
                    self.assertEqual(resp.status_code, 404, resp.text)
        # The owner's token id in the other's revoke: as if it did not exist.
        resp = self.owner.request("DELETE", f"/api/v1/tokens/{self.their_token_id}")
        self.assertEqual(resp.status_code, 404)
        # Nothing changed for the owner.
        self.owner.json("GET", f"/api/v1/photos/{p}", 200)
        self.assertTrue(self.owner.json("GET", f"/api/v1/shares/{sh}", 200)["active"])
        ids = [x["id"] for x in self.owner.json("GET", f"/api/v1/albums/{a}/photos", 200)["photos"]]
        self.assertEqual(ids, [p])
        self.assertIsNone(self.other.json("GET", f"/api/v1/albums/{their_album}", 200)
                          ["cover_photo_id"])

    def test_share_visitors_see_only_what_the_link_covers(self):
        token = self.share["token"]
        self.assertGreaterEqual(len(token), 22, "at least 128 bits")
        self.assertEqual(self.share["url"], f"/s/{token}")
        base = f"/api/v1/shared/{token}"
        visitor = self.nobody
        listing = visitor.json("GET", base, 200)
        self.assertEqual([x["id"] for x in listing["photos"]], [self.photo["id"]])
        p, loose, theirs = self.photo["id"], self.loose["id"], self.theirs["id"]
        self.check("nobody", "GET", f"{base}/photos/{p}/thumb", 200)
        self.check("nobody", "GET", f"{base}/photos/{p}/preview", 200)
        self.check("nobody", "GET", f"{base}/photos/{p}/original", 403)  # downloads off
        for outside in (loose, theirs, "no-such-photo"):
            self.check("nobody", "GET", f"{base}/photos/{outside}/thumb", 404)
        # A link is no credential for the owner's API.
        self.check("nobody", "GET", f"/api/v1/photos/{p}", 401)
        resp = visitor.request("GET", f"/api/v1/photos/{p}",
                               headers={"Authorization": f"Bearer {token}"})
        self.assertEqual(resp.status_code, 401)
        # The other user's link shows their photo only.
        other_base = f"/api/v1/shared/{self.their_share['token']}"
        self.check("nobody", "GET", f"{other_base}/photos/{theirs}/thumb", 200)
        self.check("nobody", "GET", f"{other_base}/photos/{p}/thumb", 404)

    def test_expired_revoked_and_unknown_links_get_the_same_answer(self):
        bodies = []
        for token in (self.expired["token"], self.revoked["token"], "x" * 43):
            for suffix in ("", f"/photos/{self.photo['id']}/thumb"):
                resp = self.nobody.request("GET", f"/api/v1/shared/{token}{suffix}")
                with self.subTest(token=token[:6], suffix=suffix):
                    assert_problem(self, resp, 404, "/errors/not-found")
                body = resp.json()
                bodies.append((body["type"], body["title"], body["detail"]))
        self.assertEqual(len(set(bodies)), 1, bodies)

    def test_deleting_as_owner_works_and_the_trash_is_private(self):
        v = self.victim["id"]
        self.check("other", "DELETE", f"/api/v1/photos/{v}", 404)
        self.check("admin", "DELETE", f"/api/v1/photos/{v}", 404)
        self.check("owner", "DELETE", f"/api/v1/photos/{v}", 204)
        trash = [x["id"] for x in self.owner.json("GET", "/api/v1/trash", 200)["photos"]]
        self.assertIn(v, trash)
        self.assertNotIn(v, [x["id"] for x in self.other.json("GET", "/api/v1/trash", 200)
                             ["photos"]])
        self.check("other", "POST", f"/api/v1/photos/{v}/restore", 404)
        self.check("other", "DELETE", f"/api/v1/trash/{v}", 404)
        self.check("owner", "POST", f"/api/v1/photos/{v}/restore", 200)
        self.check("owner", "DELETE", f"/api/v1/photos/{v}", 204)
        self.check("owner", "DELETE", f"/api/v1/trash/{v}", 204)
        self.check("owner", "GET", f"/api/v1/photos/{v}", 404)

    def test_admin_only_routes(self):
        body = {"email": "third@example.com", "password": "third-password-1234"}
        self.check("nobody", "POST", "/api/v1/users", 401, body)
        self.check("owner", "POST", "/api/v1/users", 403, body)
        self.check("admin", "POST", "/api/v1/users", 201, body)


class ShareLeakTest(GalleryTestCase):
    """Shared views carry no GPS, file name or owner, and EXIF only if shown."""

    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()
        cls.owner = Caller(cls.server, sign_in_token(cls.server, ADMIN_EMAIL, ADMIN_PASSWORD))
        cls.originals = {}
        ids = []
        for rel in GPS_FILES:
            data = read_testdata(rel)
            photo = upload(cls.owner, rel.rsplit("/", 1)[-1], data)
            cls.originals[photo["id"]] = data
            ids.append(photo["id"])
            assert "gps_latitude" in photo["exif"], "the owner sees where it was taken"
        album = cls.owner.json("POST", "/api/v1/albums", 201, {"title": "Where we were"})
        cls.owner.json("POST", f"/api/v1/albums/{album['id']}/photos", 200, {"photo_ids": ids})
        cls.plain = cls.owner.json("POST", "/api/v1/shares", 201, {"album_id": album["id"]})
        cls.shown = cls.owner.json("POST", "/api/v1/shares", 201,
                                   {"album_id": album["id"], "show_exif": True,
                                    "allow_download": True})

    def shared(self, share):
        resp = requests.get(self.server.url(f"/api/v1/shared/{share['token']}"), timeout=TIMEOUT)
        self.assertEqual(resp.status_code, 200, resp.text)
        return resp

    def test_the_listing_has_no_gps_name_or_owner(self):
        for share in (self.plain, self.shown):
            resp = self.shared(share)
            text = resp.text
            for secret in ("gps", "DSCN", ADMIN_EMAIL, "filename", "sha256",
                           "owner"):
                self.assertNotIn(secret, text, f"{secret!r} in {text[:400]}")
            photos = resp.json()["photos"]
            self.assertEqual(len(photos), 2)
            for photo in photos:
                if share is self.plain:
                    self.assertEqual(photo["exif"], {})
                    self.assertIsNone(photo["taken_at"])
                    self.assertNotIn("original", photo["urls"])
                else:
                    self.assertIn("camera_make", photo["exif"])
                    self.assertIn("original", photo["urls"])

    def test_shared_derivatives_carry_no_metadata(self):
        token = self.shown["token"]
        for photo in self.shared(self.shown).json()["photos"]:
            for kind in ("thumb", "preview"):
                for fmt in ("jpeg", "webp", "avif"):
                    url = self.server.url(f"{photo['urls'][kind]}?format={fmt}")
                    resp = requests.get(url, timeout=TIMEOUT)
                    self.assertEqual(resp.status_code, 200, url)
                    self.assertIn("no-cache", resp.headers["Cache-Control"])
                    fields = images.header(resp.content)
                    leaked = [k for k in fields
                              if k.startswith(("exif-", "xmp-", "iptc-", "gps"))]
                    self.assertEqual(leaked, [], f"{url}: {leaked}")
                    self.assertNotIn(b"Exif\x00\x00", resp.content)
                    self.assertNotIn(b"GPSInfo", resp.content)
            self.assertIn(token, photo["urls"]["thumb"])

    def test_a_downloaded_original_has_a_neutral_name(self):
        photo = self.shared(self.shown).json()["photos"][0]
        resp = requests.get(self.server.url(photo["urls"]["original"]), timeout=TIMEOUT)
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(resp.content, self.originals[photo["id"]])
        disposition = resp.headers["Content-Disposition"]
        self.assertNotIn("DSCN", disposition)
        self.assertIn(f"photo-{photo['id'][:12]}.jpeg", disposition)

    def test_a_password_link_asks_for_it_then_unlocks_with_a_scoped_cookie(self):
        album = self.owner.json("GET", "/api/v1/albums", 200)["albums"][0]
        share = self.owner.json("POST", "/api/v1/shares", 201,
                                {"album_id": album["id"], "password": "open sesame"})
        base = f"/api/v1/shared/{share['token']}"
        resp = requests.get(self.server.url(base), timeout=TIMEOUT)
        assert_problem(self, resp, 401, "/errors/share-password-required")
        wrong = requests.get(self.server.url(base), headers={"X-Share-Password": "nope"},
                             timeout=TIMEOUT)
        revoked = requests.get(self.server.url(f"/api/v1/shared/{self.plain['token']}x"),
                               timeout=TIMEOUT)
        assert_problem(self, wrong, 404, "/errors/not-found")
        self.assertEqual(wrong.json()["detail"], revoked.json()["detail"])
        ok = requests.get(self.server.url(base), headers={"X-Share-Password": "open sesame"},
                          timeout=TIMEOUT)
        self.assertEqual(ok.status_code, 200)
        visitor = requests.Session()
        resp = visitor.post(self.server.url(f"{base}/unlock"), json={"password": "open sesame"},
                            timeout=TIMEOUT)
        self.assertEqual(resp.status_code, 204, resp.text)
        cookie = resp.headers["Set-Cookie"]
        self.assertIn(f"Path={base}", cookie)
        self.assertIn("HttpOnly", cookie)
        photos = visitor.get(self.server.url(base), timeout=TIMEOUT).json()["photos"]
        thumb = visitor.get(self.server.url(photos[0]["urls"]["thumb"]), timeout=TIMEOUT)
        self.assertEqual(thumb.status_code, 200)
        # Revoking kills the cookie too.
        self.owner.json("DELETE", f"/api/v1/shares/{share['id']}", 204)
        gone = visitor.get(self.server.url(photos[0]["urls"]["thumb"]), timeout=TIMEOUT)
        self.assertEqual(gone.status_code, 404)


if __name__ == "__main__":
    unittest.main()
