"""No EXIF, GPS, XMP or IPTC in any derivative; the owner's Photo keeps GPS.

Derivatives are what gets shown and shared, so they must not carry where a
picture was taken. Checked two ways on every thumb and preview in every
output format: `vipsheader -a` lists no exif-/xmp-/iptc- field, and the raw
bytes hold no EXIF or XMP marker.
"""

import unittest

import images
from gallery_server import GalleryTestCase, read_testdata, testdata_dir

# Pictures with metadata to leak: the two with GPS, one with XMP, an AVIF
# and an iPhone HEIC with EXIF, and a rotated JPEG.
EXTRA_FILES = [
    "camera-exif/imagers_exif-xmp-metadata.jpg",
    "formats/avif/pillow_exif.avif",
    "formats/heic/ianare_iphone_13_pro_max.HEIC",
    "exif-orientation/Landscape_6.jpg",
]

FORBIDDEN_FIELD_PREFIXES = ("exif-", "xmp-", "iptc-", "gps")
FORBIDDEN_MARKERS = (b"Exif\x00\x00", b"<x:xmpmeta", b"http://ns.adobe.com/xap/", b"GPSInfo")


def gps_files():
    files = sorted(str(p.relative_to(testdata_dir()))
                   for p in (testdata_dir() / "camera-exif" / "gps").glob("*.jpg"))
    if len(files) < 2:
        raise RuntimeError("expected the two pictures in camera-exif/gps/")
    return files


def dms_degrees(field):
    """Degrees from vipsheader's "43/1 28/1 ... (43, 28, 2.814, Rational, ...)"."""
    inner = field[field.index("(") + 1:].split(",")
    d, m, sec = (float(x) for x in inner[:3])
    return d + m / 60 + sec / 3600


class PrivacyTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()
        cls.photos = {}
        for rel in gps_files() + EXTRA_FILES:
            data = read_testdata(rel)
            cls.photos[rel] = (data, cls.server.upload_one(rel.rsplit("/", 1)[-1], data))

    def test_originals_do_carry_metadata(self):
        """Sanity check: the originals have what the derivatives must not."""
        for rel in gps_files():
            data, _ = self.photos[rel]
            fields = images.header(data)
            self.assertTrue(any(k.startswith("exif-ifd3-GPS") for k in fields), rel)
            self.assertIn(b"Exif\x00\x00", data)

    def test_derivatives_carry_no_metadata(self):
        for rel, (_, photo) in self.photos.items():
            for kind in ("thumb", "preview"):
                for fmt in ("jpeg", "webp", "avif"):
                    with self.subTest(file=rel, kind=kind, format=fmt):
                        resp = self.server.get(photo["urls"][kind], params={"format": fmt})
                        self.assertEqual(resp.status_code, 200)
                        fields = images.header(resp.content)
                        leaked = sorted(k for k in fields
                                        if k.lower().startswith(FORBIDDEN_FIELD_PREFIXES))
                        self.assertEqual(leaked, [], "metadata fields in the derivative")
                        for marker in FORBIDDEN_MARKERS:
                            self.assertNotIn(marker, resp.content, f"{marker!r} in the bytes")

    def test_owner_sees_gps(self):
        """The owner's Photo JSON carries gps_latitude/gps_longitude as numbers
        matching the file (signed decimal degrees)."""
        for rel in gps_files():
            with self.subTest(file=rel):
                data, photo = self.photos[rel]
                exif = self.server.get(f"/api/v1/photos/{photo['id']}").json()["exif"]
                for key in ("gps_latitude", "gps_longitude"):
                    self.assertIsInstance(exif.get(key), (int, float), f"{key}: {exif}")
                lat, lon = exif["gps_latitude"], exif["gps_longitude"]
                self.assertTrue(-90 <= lat <= 90 and -180 <= lon <= 180, (lat, lon))
                fields = images.header(data)
                lat_ref = fields.get("exif-ifd3-GPSLatitudeRef", "N")[:1]
                lon_ref = fields.get("exif-ifd3-GPSLongitudeRef", "E")[:1]
                expected_lat = dms_degrees(fields["exif-ifd3-GPSLatitude"])
                expected_lon = dms_degrees(fields["exif-ifd3-GPSLongitude"])
                self.assertAlmostEqual(lat, -expected_lat if lat_ref == "S" else expected_lat,
                                       places=4)
                self.assertAlmostEqual(lon, -expected_lon if lon_ref == "W" else expected_lon,
                                       places=4)

    def test_original_is_the_uploaded_bytes(self):
        """The owner's download is untouched (metadata included)."""
        for rel in gps_files():
            data, photo = self.photos[rel]
            self.assertEqual(self.server.get(photo["urls"]["original"]).content, data)


if __name__ == "__main__":
    unittest.main()
