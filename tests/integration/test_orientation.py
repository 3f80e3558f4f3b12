"""Every derivative is upright, whatever EXIF orientation the original has.

The pixels are checked, not only the sizes: each thumb and preview is
compared with the original made upright by `vips autorot` and scaled to the
same size. For orientations 2 to 8 the test also proves it can tell: the
original as stored (not rotated) must differ clearly more (the PNGs show
near-symmetric faces, so "clearly" is a margin of 3, not a factor).
"""

import concurrent.futures
import unittest

import requests

import images
from gallery_server import REQUEST_TIMEOUT, GalleryTestCase, read_testdata, testdata_dir

# Mean absolute difference (0..255) under which two renderings are "the same
# picture": JPEG re-encoding and resampling stay well below it.
SAME_PICTURE = 8.0


def orientation_files():
    root = testdata_dir() / "exif-orientation"
    files = sorted(str(p.relative_to(testdata_dir())) for p in root.glob("Landscape_*.jpg"))
    files += sorted(str(p.relative_to(testdata_dir())) for p in (root / "png-exif").glob("*.png"))
    # HEIF rotation (irot), applied by the loader rather than by EXIF.
    files.append("formats/avif/libvips_avif-orientation-6.avif")
    if len(files) < 18:
        raise RuntimeError(f"expected Landscape_0..8.jpg and png-exif/*.png, found {files}")
    return files


def stored_orientation(data):
    value = images.header(data).get("orientation", "1") or "1"
    return min(max(int(value), 1), 8)


class OrientationTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()
        cls.uploaded = {}
        for rel in orientation_files():
            data = read_testdata(rel)
            cls.uploaded[rel] = (data, cls.server.upload_one(rel.rsplit("/", 1)[-1], data))

    def test_photo_reports_displayed_size(self):
        """width/height in the Photo JSON are after orientation: 5..8 swap."""
        for rel, (data, photo) in self.uploaded.items():
            with self.subTest(file=rel):
                stored_w, stored_h = images.size(data)
                if stored_orientation(data) >= 5:
                    expected = (stored_h, stored_w)
                else:
                    expected = (stored_w, stored_h)
                self.assertEqual((photo["width"], photo["height"]), expected)
                again = self.server.get(f"/api/v1/photos/{photo['id']}").json()
                self.assertEqual((again["width"], again["height"]), expected)

    def test_derivatives_are_upright(self):
        """Thumb and preview (JPEG) of every file, and the lazily made WebP and
        AVIF thumbs of the transposed orientations (5..8), match the upright
        original within JPEG noise; orientations 2..8 do not match the
        unrotated original."""
        jobs = []
        for rel, (data, photo) in self.uploaded.items():
            orientation = stored_orientation(data)
            variants = [("thumb", "jpeg"), ("preview", "jpeg")]
            if orientation >= 5:
                variants += [("thumb", "webp"), ("thumb", "avif")]
            for kind, fmt in variants:
                jobs.append((rel, data, photo, orientation, kind, fmt))

        def measure(job):
            rel, data, photo, orientation, kind, fmt = job
            # A connection of its own per thread (a Session is not thread-safe).
            resp = requests.get(self.server.url(photo["urls"][kind]), params={"format": fmt},
                                headers=self.server.auth_headers(), timeout=REQUEST_TIMEOUT)
            if resp.status_code != 200:
                return job, resp, None, None, None
            size = images.size(resp.content)
            upright = images.mean_abs_difference(resp.content, data)
            as_stored = None
            if orientation != 1 and kind == "thumb" and fmt == "jpeg":
                as_stored = images.mean_abs_difference(resp.content, data, autorotate=False)
            return job, resp, size, upright, as_stored

        # The vips processes run in parallel; the assertions below, in order.
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(measure, jobs))
        for (rel, _data, photo, orientation, kind, fmt), resp, size, upright, as_stored in results:
            with self.subTest(file=rel, kind=kind, format=fmt):
                self.assertEqual(resp.status_code, 200, resp.text[:200])
                width, height = size
                self.assertEqual(width > height, photo["width"] > photo["height"],
                                 f"{kind} {width}x{height} is not in the displayed "
                                 f"orientation {photo['width']}x{photo['height']}")
                self.assertLess(upright, SAME_PICTURE,
                                f"{kind} differs from the upright original by {upright:.1f}")
                if as_stored is not None:
                    self.assertGreater(as_stored, upright + 3,
                                       f"the check cannot tell orientation {orientation} "
                                       f"(upright {upright:.1f}, as stored {as_stored:.1f})")


if __name__ == "__main__":
    unittest.main()
