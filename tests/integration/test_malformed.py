"""Broken, hostile and oversized pictures are refused cleanly.

Every file in malformed/ is refused with a 4xx problem+json, except the
pictures that are in fact intact (the ones in exif/, whose only fault is
their metadata, and three documented ones elsewhere). Bombs and the 280 MP
JPEG are refused from the header, before any decoding: quickly and without
the memory a decode would take. After every refusal the server still
answers, and nothing is left behind: no row, no blob, no spool file.
"""

import pathlib
import time
import unittest

import images
from gallery_server import (GalleryTestCase, assert_problem, read_testdata, sha256,
                            testdata_dir)

# Files outside exif/ that are intact pictures, so accepted (the image
# layer's tests agree): a real WebP whose bytes once fooled libvips' SVG
# detection; a JPEG whose APP14 segment is cut short (libjpeg skips a stray
# byte, the picture is whole); a PNG cut after its complete image data.
INTACT_OUTSIDE_EXIF = {
    "polyglot-svg/libvips_looks-like-svg.webp",
    "truncated/pillow_truncated_app14.jpg",
    "truncated/pillow_truncated_end_chunk.png",
}

# What each refusal must say, by folder (status, problem type suffix); files
# not listed take their folder's default.
REFUSAL_BY_FILE = {
    "bombs/fuzzdb_lottapixel.jpg": (413, "/errors/image-too-large"),
    "bombs/libvips_17000x17000.avif": (413, "/errors/image-too-large"),
    "bombs/pillow_decompression_bomb_extents.gif": (413, "/errors/image-too-large"),
}

GIANT = "large/sharp_giant-image_20000x14000.jpg"

# A refusal from the header takes milliseconds; decoding 280 MP takes seconds.
QUICK_SECONDS = 2.0


def malformed_files():
    root = testdata_dir() / "malformed"
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*")
                   if p.is_file() and "LICENSE" not in p.name and not p.name.startswith("README"))
    if len(files) < 40:
        raise RuntimeError(f"expected the full malformed/ set, found {len(files)} files")
    return files


def has_control_chars(text):
    return any(ord(c) < 0x20 or ord(c) == 0x7F for c in text)


class MalformedTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def photo_count(self):
        return len(self.server.list_all_photos())

    def wait_spool_empty(self, timeout=5):
        """The spool is emptied when the request ends (just after the answer)."""
        deadline = time.monotonic() + timeout
        while self.server.spool_files() and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.server.spool_files()

    def assert_refused_without_trace(self, name, data, status=None, type_suffix=None):
        """Uploads `data`; asserts a 4xx problem+json and that the server is up
        with no new row, blob or spool file. Returns (problem, seconds)."""
        rows_before = self.photo_count()
        blobs_before = self.server.blob_files()
        started = time.monotonic()
        resp = self.server.upload([(name, data)])
        elapsed = time.monotonic() - started
        self.assertGreaterEqual(resp.status_code, 400, f"{name} accepted: {resp.text[:300]}")
        self.assertLess(resp.status_code, 500, f"{name}: server error {resp.text[:300]}")
        if status is not None:
            problem = assert_problem(self, resp, status, type_suffix)
        else:
            problem = assert_problem(self, resp, resp.status_code, "")
        self.assertEqual(self.server.get("/healthz").status_code, 200, "server down")
        self.assertEqual(self.photo_count(), rows_before, "a refused file left a row")
        self.assertEqual(self.server.blob_files(), blobs_before, "a refused file left blobs")
        self.assertEqual(self.wait_spool_empty(), [], "a refused file left a spool file")
        return problem, elapsed

    def test_broken_files_are_refused(self):
        """Each broken file → 4xx problem+json; nothing left behind."""
        refused = 0
        for rel in malformed_files():
            if rel.startswith("exif/") or rel in INTACT_OUTSIDE_EXIF:
                continue
            with self.subTest(file=rel):
                status, suffix = REFUSAL_BY_FILE.get(rel, (None, None))
                self.assert_refused_without_trace(rel.rsplit("/", 1)[-1],
                                                  read_testdata("malformed/" + rel),
                                                  status, suffix)
                refused += 1
        self.assertGreaterEqual(refused, 34)

    def test_bombs_are_refused_before_decoding(self):
        """Every bomb and the 280 MP JPEG are refused from their header:
        quickly, and the server's peak memory does not grow by what a decode
        would need (280 MP of 8-bit samples is 280 MB)."""
        peak_before = self.peak_rss_bytes()
        bombs = ["malformed/" + f for f in malformed_files() if f.startswith("bombs/")]
        for rel in bombs + [GIANT]:
            with self.subTest(file=rel):
                data = read_testdata(rel)
                if rel == GIANT:
                    _, elapsed = self.assert_refused_without_trace(
                        "giant.jpg", data, 413, "/errors/image-too-large")
                else:
                    _, elapsed = self.assert_refused_without_trace(rel.rsplit("/", 1)[-1], data)
                self.assertLess(elapsed, QUICK_SECONDS, f"{rel} took {elapsed:.2f}s: decoded?")
        grown = self.peak_rss_bytes() - peak_before
        self.assertLess(grown, 100 << 20, f"peak memory grew by {grown >> 20} MiB")

    def peak_rss_bytes(self):
        status = pathlib.Path(f"/proc/{self.server.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        raise AssertionError("no VmHWM in /proc/PID/status")

    def test_intact_pictures_are_accepted(self):
        """The files whose picture is intact are accepted, and their preview
        shows that picture."""
        for rel in sorted(INTACT_OUTSIDE_EXIF) + [f for f in malformed_files()
                                                  if f.startswith("exif/")]:
            with self.subTest(file=rel):
                data = read_testdata("malformed/" + rel)
                resp = self.server.upload([(rel.rsplit("/", 1)[-1], data)])
                self.assertIn(resp.status_code, (200, 201), resp.text[:300])
                photo = resp.json()["photos"][0]
                self.assertEqual(photo["sha256"], sha256(data))
                preview = self.server.get(photo["urls"]["preview"])
                self.assertEqual(preview.status_code, 200)
                self.assertLess(images.mean_abs_difference(preview.content, data), 8.0)

    def test_exif_text_is_inert_json(self):
        """Broken or hostile EXIF (e.g. PHP code in the camera make) comes back
        as plain JSON strings without control characters, in an
        application/json body, never interpreted."""
        files = ["malformed/" + f for f in malformed_files() if f.startswith("exif/")]
        files += sorted(str(p.relative_to(testdata_dir()))
                        for p in (testdata_dir() / "camera-exif").rglob("*.jpg"))
        saw_php = False
        for rel in files:
            with self.subTest(file=rel):
                data = read_testdata(rel)
                photo = self.server.upload_one(rel.rsplit("/", 1)[-1], data)
                resp = self.server.get(f"/api/v1/photos/{photo['id']}")
                self.assertEqual(resp.status_code, 200)
                self.assertTrue(resp.headers["Content-Type"].startswith("application/json"))
                exif = resp.json()["exif"]
                self.assertIsInstance(exif, dict)
                for key, value in exif.items():
                    self.assertIsInstance(value, (str, int, float, bool), f"{key}: {value!r}")
                    if isinstance(value, str):
                        self.assertFalse(has_control_chars(value), f"{key}: {value!r}")
                        saw_php = saw_php or "<?php" in value
        self.assertTrue(saw_php, "the PHP payload in the EXIF was expected back as inert text")


class PixelLimitTest(GalleryTestCase):
    """--max-pixels is honoured, frames of an animation included."""

    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server(["--max-pixels", "1000000"])

    def test_limit_counts_every_frame(self):
        cases = [
            # 245x245 x 42 frames = 2.5 MP: over, although one frame is not.
            ("formats/gif/pillow_iss634_animated.gif", 413),
            # 1800x1200 = 2.16 MP: over.
            ("exif-orientation/Landscape_1.jpg", 413),
            # 13x169 x 99 frames = 0.2 MP: under.
            ("formats/webp/libvips_big-height_anim99.webp", 201),
            # 640x480: under.
            ("camera-exif/gps/DSCN0010.jpg", 201),
        ]
        for rel, status in cases:
            with self.subTest(file=rel):
                resp = self.server.upload([(rel.rsplit("/", 1)[-1], read_testdata(rel))])
                if status == 413:
                    assert_problem(self, resp, 413, "/errors/image-too-large")
                else:
                    self.assertEqual(resp.status_code, status, resp.text[:300])


if __name__ == "__main__":
    unittest.main()
