"""The photos API: dedup, trash and purge, pagination, Range, ETag, Accept
negotiation, response headers, and clean refusals of bad requests."""

import concurrent.futures
import datetime
import socket
import unittest

import jsonschema
import requests

import images
from gallery_server import (REQUEST_TIMEOUT, GalleryTestCase, assert_problem, multipart_body,
                            raw_request, read_raw_response, read_testdata, sha256)


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


class DedupAndDeleteTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_same_bytes_again_is_a_duplicate(self):
        """The same bytes again → 200, duplicate: true, the same id; a batch
        of a new file and a duplicate → 201 with both, in part order."""
        first_bytes = images.noise_jpeg(101)
        first = self.server.upload([("a.jpg", first_bytes)])
        self.assertEqual(first.status_code, 201)
        original = first.json()["photos"][0]
        self.assertFalse(original["duplicate"])

        again = self.server.upload([("renamed.jpg", first_bytes)])
        self.assertEqual(again.status_code, 200, again.text[:300])
        dup = again.json()["photos"][0]
        self.assertTrue(dup["duplicate"])
        self.assertEqual(dup["id"], original["id"])
        self.assertEqual(dup["filename"], "a.jpg", "a duplicate is the existing Photo")

        new_bytes = images.noise_jpeg(102)
        batch = self.server.upload([("new.jpg", new_bytes), ("dup.jpg", first_bytes)])
        self.assertEqual(batch.status_code, 201, batch.text[:300])
        photos = batch.json()["photos"]
        self.assertEqual(len(photos), 2)
        self.assertFalse(photos[0]["duplicate"])
        self.assertEqual(photos[0]["sha256"], sha256(new_bytes))
        self.assertTrue(photos[1]["duplicate"])
        self.assertEqual(photos[1]["id"], original["id"])
        ids = [p["id"] for p in self.server.list_all_photos()]
        self.assertEqual(ids.count(original["id"]), 1, "a duplicate made a second row")

    def test_ids_are_opaque_and_unguessable(self):
        """Ids are random URL-safe strings, not sequential integers."""
        a = self.server.upload_one("x.jpg", images.noise_jpeg(103))["id"]
        b = self.server.upload_one("y.jpg", images.noise_jpeg(104))["id"]
        for photo_id in (a, b):
            self.assertRegex(photo_id, r"^[A-Za-z0-9_-]{16,}$")
            self.assertFalse(photo_id.isdigit())
        self.assertNotEqual(a, b)

    def test_delete_moves_to_trash_and_purge_removes_row_and_blobs(self):
        """DELETE → 204 moves the photo to the trash: it leaves the list but
        still answers (with deleted_at and purge_at set) and keeps its blobs;
        a second DELETE → 404. DELETE /api/v1/trash/{id} → 204 purges it:
        then the photo, original, thumb and preview are 404 problem+json,
        and none of its blobs (lazy variants too) is left."""
        photo = self.server.upload_one("gone.jpg", images.noise_jpeg(105))
        photo_id = photo["id"]
        self.assertIsNone(photo["deleted_at"])
        self.assertIsNone(photo["purge_at"])
        # Make the lazy WebP variant, and put the JPEG derivatives in the
        # server's memory cache: none of it may outlive the purge.
        self.assertEqual(self.server.get(photo["urls"]["thumb"],
                                         params={"format": "webp"}).status_code, 200)
        for kind in ("thumb", "preview"):
            for _ in range(2):
                self.assertEqual(self.server.get(photo["urls"][kind]).status_code, 200)
        blob_dir = self.server.pictures_dir / "photos" / photo_id
        self.assertTrue(any(blob_dir.iterdir()), "expected the photo's blobs on disk")
        blobs_before = {b for b in self.server.blob_files() if photo_id in b}

        resp = self.server.delete(f"/api/v1/photos/{photo_id}")
        self.assertEqual(resp.status_code, 204, resp.text[:300])
        self.assertEqual(resp.content, b"")
        trashed = self.server.get(f"/api/v1/photos/{photo_id}")
        self.assertEqual(trashed.status_code, 200, trashed.text[:300])
        self.assertEqual(trashed.json()["id"], photo_id)
        deleted_at = parse_time(trashed.json()["deleted_at"])
        self.assertGreater(parse_time(trashed.json()["purge_at"]), deleted_at)
        for kind in ("original", "thumb", "preview"):
            with self.subTest(trashed=kind):
                self.assertEqual(self.server.get(photo["urls"][kind]).status_code, 200)
        self.assertNotIn(photo_id, {p["id"] for p in self.server.list_all_photos()})
        trash = self.server.get("/api/v1/trash")
        self.assertEqual(trash.status_code, 200, trash.text[:300])
        self.assertIn(photo_id, {p["id"] for p in trash.json()["photos"]})
        self.assertEqual({b for b in self.server.blob_files() if photo_id in b}, blobs_before,
                         "moving to the trash must keep the blobs")
        assert_problem(self, self.server.delete(f"/api/v1/photos/{photo_id}"), 404,
                       "/errors/not-found")

        resp = self.server.delete(f"/api/v1/trash/{photo_id}")
        self.assertEqual(resp.status_code, 204, resp.text[:300])
        self.assertEqual(resp.content, b"")
        for path in (f"/api/v1/photos/{photo_id}", photo["urls"]["original"],
                     photo["urls"]["thumb"], photo["urls"]["preview"]):
            with self.subTest(path=path):
                assert_problem(self, self.server.get(path), 404, "/errors/not-found")
        self.assertNotIn(photo_id, {p["id"] for p in self.server.list_all_photos()})
        self.assertNotIn(photo_id,
                         {p["id"] for p in self.server.get("/api/v1/trash").json()["photos"]})
        left = [b for b in self.server.blob_files() if photo_id in b]
        self.assertEqual(left, [], "blobs of a purged photo are left")
        assert_problem(self, self.server.delete(f"/api/v1/trash/{photo_id}"), 404,
                       "/errors/not-found")
        assert_problem(self, self.server.delete(f"/api/v1/photos/{photo_id}"), 404,
                       "/errors/not-found")

    def test_trashed_bytes_come_back_purged_bytes_are_new(self):
        """The same bytes uploaded while the photo is in the trash → 200,
        duplicate: true, that photo taken out of the trash; after a purge
        the same bytes are a new photo, not a duplicate."""
        data = images.noise_jpeg(106)
        first = self.server.upload_one("again.jpg", data)
        self.assertEqual(self.server.delete(f"/api/v1/photos/{first['id']}").status_code, 204)
        resp = self.server.upload([("again.jpg", data)])
        self.assertEqual(resp.status_code, 200, resp.text[:300])
        back = resp.json()["photos"][0]
        self.assertTrue(back["duplicate"])
        self.assertEqual(back["id"], first["id"])
        self.assertIsNone(back["deleted_at"])
        self.assertIsNone(self.server.get(f"/api/v1/photos/{first['id']}").json()["deleted_at"])
        self.assertIn(first["id"], {p["id"] for p in self.server.list_all_photos()})

        self.assertEqual(self.server.delete(f"/api/v1/photos/{first['id']}").status_code, 204)
        self.assertEqual(self.server.delete(f"/api/v1/trash/{first['id']}").status_code, 204)
        resp = self.server.upload([("again.jpg", data)])
        self.assertEqual(resp.status_code, 201, resp.text[:300])
        fresh = resp.json()["photos"][0]
        self.assertFalse(fresh["duplicate"])
        self.assertNotEqual(fresh["id"], first["id"])

    def test_unknown_photo_is_404(self):
        for path in ("/api/v1/photos/doesnotexist0000000000", "/api/v1/photos/x/original",
                     "/api/v1/photos/x/thumb"):
            with self.subTest(path=path):
                assert_problem(self, self.server.get(path), 404, "/errors/not-found")


class PaginationTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()
        # Uploaded one after the other: upload times strictly increase.
        cls.fresh = [cls.server.upload_one(f"p{i}.jpg", images.noise_jpeg(200 + i))["id"]
                     for i in range(12)]
        # Camera photos carry a taken time years back: they sort after.
        cls.taken = {}
        for name in ("Canon_40D.jpg", "Nikon_D70.jpg", "Pentax_K10D.jpg"):
            photo = cls.server.upload_one(name, read_testdata("camera-exif/" + name))
            if not photo["taken_at"]:
                raise RuntimeError(f"{name} was expected to carry a taken time")
            cls.taken[photo["id"]] = parse_time(photo["taken_at"])

    def walk(self, limit):
        """Every page at `limit`; returns (ids in order, number of pages)."""
        ids, cursor, pages = [], None, 0
        while True:
            params = {"limit": limit}
            if cursor is not None:
                params["cursor"] = cursor
            resp = self.server.get("/api/v1/photos", params=params)
            self.assertEqual(resp.status_code, 200, resp.text[:300])
            body = resp.json()
            self.assertLessEqual(len(body["photos"]), limit)
            ids += [p["id"] for p in body["photos"]]
            pages += 1
            self.assertLess(pages, 50, "pagination does not end")
            cursor = body["next_cursor"]
            if cursor is None:
                return ids, pages
            self.assertIsInstance(cursor, str)

    def test_pages_cover_every_photo_once_newest_first(self):
        """limit=5 over 15 photos: every id exactly once, newest first (taken
        time, else upload time)."""
        ids, pages = self.walk(5)
        self.assertEqual(len(ids), len(set(ids)), "an id came twice")
        self.assertEqual(set(ids), set(self.fresh) | set(self.taken))
        self.assertGreaterEqual(pages, 3)
        expected = list(reversed(self.fresh)) + sorted(self.taken, key=self.taken.get,
                                                       reverse=True)
        self.assertEqual(ids, expected)

    def test_other_page_sizes_agree(self):
        """limit=1 and limit=200 give the same order as limit=5."""
        self.assertEqual(self.walk(1)[0], self.walk(200)[0])
        self.assertEqual(self.walk(200)[1], 1)

    def test_bad_cursor_and_limit_are_400(self):
        for params in ({"cursor": "not-a-cursor"}, {"cursor": "%%%"}, {"cursor": "MTIz"},
                       {"limit": "0"}, {"limit": "1000"}, {"limit": "-1"}, {"limit": "abc"},
                       {"limit": "5x"}):
            with self.subTest(params=params):
                assert_problem(self, self.server.get("/api/v1/photos", params=params), 400,
                               "/errors/invalid-request")


class PaginationStabilityTest(GalleryTestCase):
    """Keyset pagination: changes between pages neither repeat nor skip."""

    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_changes_between_pages(self):
        """A photo uploaded after page 1 is not on later pages (it is newer
        than the cursor); one deleted before its page is reached is not
        returned; every other photo comes exactly once."""
        ids = [self.server.upload_one(f"s{i}.jpg", images.noise_jpeg(250 + i))["id"]
               for i in range(6)]
        first = self.server.get("/api/v1/photos", params={"limit": 2}).json()
        self.assertEqual([p["id"] for p in first["photos"]], ids[:-3:-1])
        newer = self.server.upload_one("newer.jpg", images.noise_jpeg(260))["id"]
        self.assertEqual(self.server.delete(f"/api/v1/photos/{ids[0]}").status_code, 204)
        seen, cursor = [p["id"] for p in first["photos"]], first["next_cursor"]
        while cursor:
            page = self.server.get("/api/v1/photos", params={"limit": 2, "cursor": cursor}).json()
            seen += [p["id"] for p in page["photos"]]
            cursor = page["next_cursor"]
        self.assertEqual(seen, ids[:0:-1])
        self.assertNotIn(newer, seen)


class ConcurrentDuplicatesTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_same_bytes_at_once_make_one_photo(self):
        """Four simultaneous uploads of the same 12 MP photo: one row, one id,
        every answer 2xx, at most one of them not a duplicate."""
        data = images.with_jpeg_comment(
            read_testdata("large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg"), "same")

        def upload(i):
            return requests.post(self.server.url("/api/v1/photos"), timeout=REQUEST_TIMEOUT,
                                 headers=self.server.auth_headers(),
                                 files=[("file", (f"same{i}.jpg", data))])

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            responses = list(pool.map(upload, range(4)))
        for r in responses:
            self.assertIn(r.status_code, (200, 201), r.text[:300])
        photos = [r.json()["photos"][0] for r in responses]
        self.assertEqual(len({p["id"] for p in photos}), 1)
        self.assertLessEqual(sum(not p["duplicate"] for p in photos), 1)
        self.assertEqual(len(self.server.list_all_photos()), 1)
        self.assertEqual({b.split("/")[1] for b in self.server.blob_files()}, {photos[0]["id"]})


class ReadPathTest(GalleryTestCase):
    """Range, ETag and 304, Accept negotiation and the headers of the read path."""

    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()
        cls.data = read_testdata("camera-exif/Canon_40D.jpg")
        cls.photo = cls.server.upload_one("Canon 40D été.jpg", cls.data)
        cls.original = cls.photo["urls"]["original"]

    def test_full_original(self):
        """No Range: 200, the uploaded bytes, Accept-Ranges, attachment."""
        resp = self.server.get(self.original)
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(resp.content, self.data)
        self.assertEqual(resp.headers["Content-Type"], "image/jpeg")
        self.assertEqual(resp.headers["Accept-Ranges"], "bytes")
        self.assertEqual(int(resp.headers["Content-Length"]), len(self.data))
        disposition = resp.headers["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment;"), disposition)
        self.assertIn("filename=", disposition)
        self.assertIn('filename="Canon 40D __t__.jpg"', disposition, "ASCII fallback")
        self.assertIn("filename*=UTF-8''Canon%2040D%20%C3%A9t%C3%A9.jpg", disposition)

    def test_quote_in_file_name_cannot_break_the_header(self):
        """A file name with a quote (sent escaped as \\") is kept, and the
        Content-Disposition stays one well-formed header."""
        body = multipart_body([("file", 'a\\"b.jpg', images.noise_jpeg(310))])
        resp = requests.post(self.server.url("/api/v1/photos"), data=body, timeout=REQUEST_TIMEOUT,
                             headers={**self.server.auth_headers(),
                                      "Content-Type": "multipart/form-data; "
                                                      "boundary=gallery-test-boundary"})
        self.assertEqual(resp.status_code, 201, resp.text[:300])
        photo = resp.json()["photos"][0]
        self.assertEqual(photo["filename"], 'a"b.jpg')
        disposition = self.server.get(photo["urls"]["original"]).headers["Content-Disposition"]
        self.assertEqual(disposition,
                         "attachment; filename=\"a_b.jpg\"; filename*=UTF-8''a%22b.jpg")

    def test_ranges(self):
        """bytes=a-b, bytes=a-, bytes=-N → 206 with Content-Range and exactly
        that slice."""
        size = len(self.data)
        cases = {"bytes=0-99": (0, 100), "bytes=100-": (100, size), "bytes=-50": (size - 50, size),
                 f"bytes=10-{size + 1000}": (10, size), "bytes=5-5": (5, 6)}
        for header, (start, end) in cases.items():
            with self.subTest(range=header):
                resp = self.server.get(self.original, headers={"Range": header})
                self.assertEqual(resp.status_code, 206)
                self.assertEqual(resp.headers["Content-Range"], f"bytes {start}-{end - 1}/{size}")
                self.assertEqual(resp.content, self.data[start:end])

    def test_unsatisfiable_range_is_416(self):
        size = len(self.data)
        for header in (f"bytes={size}-", f"bytes={size + 10}-{size + 20}"):
            with self.subTest(range=header):
                resp = self.server.get(self.original, headers={"Range": header})
                assert_problem(self, resp, 416, "/errors/range-not-satisfiable")
                self.assertEqual(resp.headers["Content-Range"], f"bytes */{size}")

    def test_if_range_with_another_etag_sends_everything(self):
        resp = self.server.get(self.original, headers={"Range": "bytes=0-9",
                                                       "If-Range": '"other"'})
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(resp.content, self.data)

    def test_etag_and_304(self):
        """Original, thumb and preview have a strong ETag; If-None-Match with
        it → 304 without a body; with another → 200."""
        for path in (self.original, self.photo["urls"]["thumb"], self.photo["urls"]["preview"]):
            with self.subTest(path=path):
                first = self.server.get(path)
                self.assertEqual(first.status_code, 200)
                etag = first.headers["ETag"]
                self.assertRegex(etag, r'^"[^"]+"$', "not a strong ETag")
                again = self.server.get(path, headers={"If-None-Match": etag})
                self.assertEqual(again.status_code, 304)
                self.assertEqual(again.content, b"")
                self.assertEqual(again.headers["ETag"], etag)
                listed = self.server.get(path, headers={"If-None-Match": f'"nope", {etag}'})
                self.assertEqual(listed.status_code, 304)
                other = self.server.get(path, headers={"If-None-Match": '"nope"'})
                self.assertEqual(other.status_code, 200)
                self.assertEqual(other.content, first.content)

    def test_format_variants_have_their_own_etags(self):
        thumb = self.photo["urls"]["thumb"]
        tags = {fmt: self.server.get(thumb, params={"format": fmt}).headers["ETag"]
                for fmt in ("jpeg", "webp", "avif")}
        self.assertEqual(len(set(tags.values())), 3, tags)

    def test_accept_negotiation(self):
        """Accept picks AVIF, then WebP, else JPEG (media types compared
        case-insensitively); the bytes are that format; Vary: Accept and
        immutable caching on every derivative."""
        cases = [("image/avif", "image/avif", "heifload"),
                 ("image/webp", "image/webp", "webpload"),
                 ("*/*", "image/jpeg", "jpegload"),
                 ("image/avif,image/webp,image/apng,image/*,*/*;q=0.8", "image/avif", "heifload"),
                 ("image/webp,*/*", "image/webp", "webpload"),
                 ("image/avif;q=0, image/webp", "image/webp", "webpload"),
                 ("IMAGE/WEBP", "image/webp", "webpload"),
                 ("Image/Avif", "image/avif", "heifload"),
                 ("text/html", "image/jpeg", "jpegload"),
                 ("", "image/jpeg", "jpegload")]
        for kind in ("thumb", "preview"):
            for accept, ctype, loader in cases:
                with self.subTest(kind=kind, accept=accept):
                    resp = self.server.get(self.photo["urls"][kind], headers={"Accept": accept})
                    self.assertEqual(resp.status_code, 200)
                    self.assertEqual(resp.headers["Content-Type"], ctype)
                    self.assertEqual(images.header(resp.content)["vips-loader"], loader)
                    self.assertIn("Accept", resp.headers.get("Vary", ""))
                    cache = resp.headers.get("Cache-Control", "")
                    self.assertIn("immutable", cache)
                    self.assertIn("max-age=", cache)
                    self.assertEqual(resp.headers.get("X-Content-Type-Options"), "nosniff")

    def test_format_parameter(self):
        """?format= wins over Accept; an unknown format → 400."""
        thumb = self.photo["urls"]["thumb"]
        for fmt, ctype in (("webp", "image/webp"), ("avif", "image/avif"), ("jpeg", "image/jpeg"),
                           ("jpg", "image/jpeg")):
            with self.subTest(format=fmt):
                resp = self.server.get(thumb, params={"format": fmt},
                                       headers={"Accept": "image/avif"})
                self.assertEqual(resp.status_code, 200)
                self.assertEqual(resp.headers["Content-Type"], ctype)
        for fmt in ("bmp", "", "svg", "JPEG2000"):
            with self.subTest(format=fmt):
                assert_problem(self, self.server.get(thumb, params={"format": fmt}), 400,
                               "/errors/invalid-request")

    def test_large_original_streams_whole(self):
        """An original larger than the server's 4 MiB read chunk streams
        byte-exact, and a range across the chunk boundary too."""
        big = images.noise_jpeg(300, 3600, 2400)
        self.assertGreater(len(big), 5 << 20, "the test picture must exceed 5 MiB")
        photo = self.server.upload_one("big-noise.jpg", big)
        resp = self.server.get(photo["urls"]["original"])
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(sha256(resp.content), sha256(big))
        start, end = (4 << 20) - 1000, (4 << 20) + (4 << 20) + 10
        resp = self.server.get(photo["urls"]["original"],
                               headers={"Range": f"bytes={start}-{end - 1}"})
        self.assertEqual(resp.status_code, 206)
        self.assertEqual(resp.content, big[start:end])


class BadUploadsTest(GalleryTestCase):
    """Requests that must be refused cleanly, storing nothing."""

    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()
        cls.good = images.noise_jpeg(400)

    def assert_nothing_stored(self):
        self.assertEqual(self.server.list_all_photos(), [])
        self.assertEqual(self.server.blob_files(), set())

    def post_raw_body(self, body, content_type):
        return requests.post(self.server.url("/api/v1/photos"), data=body,
                             headers={**self.server.auth_headers(), "Content-Type": content_type},
                             timeout=REQUEST_TIMEOUT)

    def test_zero_bytes(self):
        assert_problem(self, self.server.upload([("empty.jpg", b"")]), 400,
                       "/errors/invalid-request")
        self.assert_nothing_stored()

    def test_path_traversal_names(self):
        """A file name with a path in it → 400; nothing is stored anywhere."""
        for name in ("../../etc/passwd.jpg", "..\\x.jpg", "a/b.jpg", "..", "bad\x01name.jpg"):
            with self.subTest(name=name):
                body = multipart_body([("file", name, self.good)])
                resp = self.post_raw_body(body, "multipart/form-data; boundary=gallery-test-boundary")
                assert_problem(self, resp, 400, "/errors/invalid-request")
        self.assert_nothing_stored()
        self.assertFalse((self.server.data_dir.parent / "etc").exists())

    def test_broken_multipart(self):
        """No boundary, a wrong boundary, no closing delimiter, no 'file'
        part, not multipart at all: each a 400 problem+json."""
        part = [("file", "a.jpg", self.good)]
        cases = {
            "no boundary": (multipart_body(part), "multipart/form-data"),
            "empty boundary": (multipart_body(part), "multipart/form-data; boundary="),
            "wrong boundary": (multipart_body(part, "the-real-one"),
                               "multipart/form-data; boundary=another-one"),
            "no closing delimiter": (multipart_body(part, close=False),
                                     "multipart/form-data; boundary=gallery-test-boundary"),
            "cut inside the part": (multipart_body(part)[:200],
                                    "multipart/form-data; boundary=gallery-test-boundary"),
            "no file part": (multipart_body([("other", "a.jpg", self.good)]),
                             "multipart/form-data; boundary=gallery-test-boundary"),
            "empty body": (b"", "multipart/form-data; boundary=gallery-test-boundary"),
            "not multipart (JPEG)": (self.good, "image/jpeg"),
            "not multipart (JSON)": (b'{"file": "x"}', "application/json"),
        }
        for label, (body, ctype) in cases.items():
            with self.subTest(case=label):
                resp = self.post_raw_body(body, ctype)
                assert_problem(self, resp, 400, "/errors/invalid-request")
        self.assert_nothing_stored()
        self.assertEqual(self.server.get("/healthz").status_code, 200)

    def test_batch_with_a_bad_file_stores_nothing(self):
        """One unacceptable part refuses the whole batch before storing any."""
        resp = self.server.upload([("ok.jpg", self.good),
                                   ("logo.svg", read_testdata("formats/libvips_logo.svg"))])
        body = assert_problem(self, resp, 415, "/errors/unsupported-media-type")
        self.assertIn("logo.svg", body["detail"])
        self.assert_nothing_stored()

    def test_unknown_route_and_method(self):
        assert_problem(self, self.server.get("/api/v1/nothing-here"), 404, "/errors/not-found")
        resp = requests.put(self.server.url("/api/v1/photos"), timeout=REQUEST_TIMEOUT,
                            headers=self.server.auth_headers())
        self.assertEqual(resp.status_code, 405)
        self.assertIn("POST", resp.headers.get("Allow", ""))
        self.assertTrue(resp.headers["Content-Type"].startswith("application/problem+json"))

    def test_malformed_http_request(self):
        """Garbage instead of HTTP → 400 problem+json, server still up."""
        resp = raw_request(self.server.port, b"GARBAGE\x01 / HTTP/1.1\r\n\r\n")
        self.assertEqual(resp.status_code, 400)
        self.assertTrue(resp.headers["content-type"].startswith("application/problem+json"))
        self.assertEqual(self.server.get("/healthz").status_code, 200)


class UploadLimitTest(GalleryTestCase):
    """--max-upload-bytes 1MB: a 2 MB body → 413 problem+json, server up."""

    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server(["--max-upload-bytes", "1MB"])

    def test_declared_length_over_limit(self):
        """Content-Length over the limit is refused from the header alone
        (the client never has to send the body)."""
        body = multipart_body([("file", "big.jpg", b"\xff\xd8\xff" + bytes(2_000_000))])
        head = (f"POST /api/v1/photos HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {self.server.admin_token}\r\n"
                f"Content-Type: multipart/form-data; boundary=gallery-test-boundary\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        resp = raw_request(self.server.port, head)
        assert_problem(self, resp, 413, "/errors/payload-too-large")
        self.assertEqual(self.server.get("/healthz").status_code, 200)

    def test_whole_body_over_limit(self):
        """A client that sends all 2 MB gets the 413 too."""
        picture = images.noise_jpeg(500, 600, 400)
        blobs_before = self.server.blob_files()
        resp = self.server.upload([("big.jpg", picture + bytes(2_000_000 - len(picture)))])
        assert_problem(self, resp, 413, "/errors/payload-too-large")
        self.assertEqual(self.server.get("/healthz").status_code, 200)
        self.assertEqual(self.server.blob_files(), blobs_before)
        self.assertEqual(self.server.spool_files(), [])

    def test_chunked_body_over_limit(self):
        """Without a Content-Length (chunked), the limit stops the read."""
        def chunks():
            for _ in range(40):
                yield bytes(64 * 1024)
        resp = requests.post(self.server.url("/api/v1/photos"), data=chunks(),
                             headers={**self.server.auth_headers(),
                                      "Content-Type": "multipart/form-data; boundary=x"},
                             timeout=REQUEST_TIMEOUT)
        assert_problem(self, resp, 413, "/errors/payload-too-large")
        self.assertEqual(self.server.get("/healthz").status_code, 200)

    def send_with_expect(self, body):
        """Sends the header with Expect: 100-continue; sends the body only
        after the interim 100. Returns (interim status or None, final)."""
        head = (f"POST /api/v1/photos HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                f"Authorization: Bearer {self.server.admin_token}\r\n"
                f"Content-Type: multipart/form-data; boundary=gallery-test-boundary\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=30) as sock:
            sock.sendall(head)
            first = read_raw_response(sock)
            if first.status_code != 100:
                return None, first
            sock.sendall(body)
            return 100, read_raw_response(sock)

    def test_expect_continue(self):
        """Expect: 100-continue (what curl sends for large bodies): 100 then
        201 under the limit; straight 413 over it, before the body is sent."""
        ok_body = multipart_body([("file", "e.jpg", images.noise_jpeg(502, 300, 300))])
        interim, final = self.send_with_expect(ok_body)
        self.assertEqual(interim, 100)
        self.assertEqual(final.status_code, 201, final.text[:300])
        big_body = multipart_body([("file", "e.jpg", bytes(2_000_000))])
        interim, final = self.send_with_expect(big_body)
        self.assertIsNone(interim, "100 Continue sent for a body over the limit")
        assert_problem(self, final, 413, "/errors/payload-too-large")

    def test_chunked_upload_under_limit(self):
        """A chunked upload (no Content-Length) under the limit is stored."""
        body = multipart_body([("file", "c.jpg", images.noise_jpeg(503, 300, 300))])

        def pieces():
            for i in range(0, len(body), 10_000):
                yield body[i:i + 10_000]
        resp = requests.post(self.server.url("/api/v1/photos"), data=pieces(),
                             timeout=REQUEST_TIMEOUT, headers={
                                 **self.server.auth_headers(),
                                 "Content-Type": "multipart/form-data; "
                                                 "boundary=gallery-test-boundary"})
        self.assertEqual(resp.status_code, 201, resp.text[:300])

    def test_under_limit_is_accepted(self):
        resp = self.server.upload([("small.jpg", images.noise_jpeg(501))])
        self.assertEqual(resp.status_code, 201, resp.text[:300])


def json_schema(openapi, schema):
    """An OpenAPI 3.0 schema as plain JSON Schema: $refs inlined,
    `nullable: true` turned into a null-accepting type."""
    if isinstance(schema, list):
        return [json_schema(openapi, s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        node = openapi
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        return json_schema(openapi, node)
    out = {k: json_schema(openapi, v) for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    return out


class ContractTest(GalleryTestCase):
    """What the server answers matches API.md and its own OpenAPI schemas."""

    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()
        cls.openapi = cls.server.get("/api/v1/openapi.json").json()

    def validate(self, instance, schema_name):
        schema = json_schema(self.openapi, {"$ref": f"#/components/schemas/{schema_name}"})
        jsonschema.validate(instance, schema)

    def test_bodies_match_the_documented_schemas(self):
        """Upload, list, get and a problem, validated against the document."""
        upload = self.server.upload([("c.jpg", read_testdata("camera-exif/Canon_40D.jpg")),
                                     ("n.jpg", images.noise_jpeg(800))])
        self.assertEqual(upload.status_code, 201)
        self.validate(upload.json(), "PhotoList")
        page = self.server.get("/api/v1/photos", params={"limit": 1}).json()
        self.validate(page, "PhotoPage")
        for photo in upload.json()["photos"]:
            got = self.server.get(f"/api/v1/photos/{photo['id']}").json()
            self.validate(got, "Photo")
        self.validate(self.server.get("/api/v1/photos/none").json(), "Problem")

    def test_photo_fields(self):
        """The API.md Photo: RFC 3339 UTC times, hex sha256, relative URLs
        that answer, taken_at from EXIF when present, null when absent."""
        data = read_testdata("camera-exif/Canon_40D.jpg")
        before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        with_exif = self.server.upload_one("Canon_40D.jpg", data)
        after = datetime.datetime.now(datetime.timezone.utc)
        self.assertRegex(with_exif["uploaded_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
        uploaded = parse_time(with_exif["uploaded_at"])
        self.assertTrue(before - datetime.timedelta(seconds=1) <= uploaded <= after,
                        f"{uploaded} not within {before}..{after}")
        self.assertRegex(with_exif["taken_at"], r"Z$")
        self.assertEqual(parse_time(with_exif["taken_at"]).year, 2008)
        self.assertRegex(with_exif["sha256"], r"^[0-9a-f]{64}$")
        self.assertEqual(with_exif["exif"].get("camera_make"), "Canon")
        self.assertIn("40D", with_exif["exif"].get("camera_model", ""))
        for kind, url in with_exif["urls"].items():
            self.assertTrue(url.startswith("/"), url)
            self.assertEqual(self.server.get(url).status_code, 200, kind)
        without = self.server.upload_one("plain.jpg", images.noise_jpeg(801))
        self.assertIsNone(without["taken_at"])
        self.assertEqual(without["exif"], {})

    def test_partly_stored_batch_says_what_was_stored(self):
        """A batch whose second file only fails while being processed (its
        header is fine, its data truncated): 422 problem+json naming that
        file, listing the photo already stored, which exists."""
        good = images.noise_jpeg(802)
        broken = read_testdata("malformed/truncated/libvips_truncated.jpg")
        resp = self.server.upload([("good.jpg", good), ("broken.jpg", broken)])
        body = assert_problem(self, resp, 422, "/errors/unprocessable-image")
        self.assertIn("broken.jpg", body["detail"])
        stored = body.get("photos", [])
        if stored:
            self.assertEqual(stored[0]["sha256"], sha256(good))
            self.assertEqual(self.server.get(f"/api/v1/photos/{stored[0]['id']}").status_code, 200)
        else:
            self.assertNotIn(sha256(good), {p["sha256"] for p in self.server.list_all_photos()})


if __name__ == "__main__":
    unittest.main()
