"""The server on S3 (moto with IAM enforced) and PostgreSQL: signing, least
privilege, and interoperability with another S3 client (boto3).

The server signs with the "gallery" user's key, whose policy allows only
s3:ListBucket on its prefix and Get/Put/Delete/AbortMultipartUpload under
it (cloud_world.store_policy): every upload, read and readiness check below
going through proves both that the SigV4 signatures are right and that this
least-privilege policy is enough. boto3 checks with the admin user's key.
"""

import time
import unittest

from cloud_world import (BUCKET, PREFIX, Moto, Postgres, assert_problem_503, distinct_jpeg,
                         gallery_env, sha256, start_gallery, testdata, upload)


class S3ServerTest(unittest.TestCase):
    """One database and one moto for the class; a server per test."""

    @classmethod
    def setUpClass(cls):
        cls.postgres = Postgres()
        cls.addClassCleanup(cls.postgres.close)
        cls.postgres.start()
        cls.moto = Moto()
        cls.addClassCleanup(cls.moto.close)
        cls.moto.start()
        cls.photo = testdata("exif-orientation/Landscape_1.jpg").read_bytes()

    def start_server(self, key=None, **settings):
        return start_gallery(self, gallery_env(self.moto, self.postgres, key=key, **settings))

    def test_boto3_reads_what_the_server_wrote_and_the_server_reads_what_boto3_wrote(self):
        """An upload over HTTP lands at <prefix>photos/<id>/original with
        the uploaded bytes, next to its JPEG derivatives, as boto3 sees them.
        The other way: derivatives in other formats are made on first
        request and stored under photos/<id>/<kind>.<ext>, unless one is
        already there; boto3 stores a WebP thumbnail of another picture
        there, and the server serves exactly those bytes (it did not make
        them: it never saw that picture)."""
        server = self.start_server()
        data = distinct_jpeg(self.photo, "interop")
        resp = upload(server.base_url, "interop.jpg", data, auth=server.auth_headers())
        self.assertEqual(resp.status_code, 201, resp.text)
        photo = resp.json()["photos"][0]
        self.assertEqual(photo["sha256"], sha256(data))

        s3 = self.moto.client()
        stored = s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}photos/{photo['id']}/original")
        self.assertEqual(stored["Body"].read(), data)
        keys = set(self.moto.keys_under(f"{PREFIX}photos/{photo['id']}/"))
        self.assertEqual(keys, {f"{PREFIX}photos/{photo['id']}/{name}"
                                for name in ("original", "thumb.jpg", "preview.jpg")})
        thumb = s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}photos/{photo['id']}/thumb.jpg")
        served = server.get(photo["urls"]["thumb"], params={"format": "jpeg"})
        self.assertEqual(served.status_code, 200)
        self.assertEqual(served.content, thumb["Body"].read())

        foreign = testdata("formats/webp/pillow_hopper.webp").read_bytes()
        s3.put_object(Bucket=BUCKET, Key=f"{PREFIX}photos/{photo['id']}/thumb.webp",
                      Body=foreign, ContentType="image/webp")
        got = server.get(photo["urls"]["thumb"], headers={"Accept": "image/webp,*/*"})
        self.assertEqual(got.status_code, 200, got.text[:300])
        self.assertEqual(got.headers["Content-Type"], "image/webp")
        self.assertEqual(got.content, foreign)

        original = server.get(photo["urls"]["original"])
        self.assertEqual(original.status_code, 200)
        self.assertEqual(original.content, data)

    def test_a_large_original_is_stored_as_a_multipart_upload(self):
        """An original at or above the multipart threshold (16 MiB by
        default) goes up in parts: S3 gives such an object an ETag ending
        in -<parts>. boto3 and the server read it back byte for byte."""
        server = self.start_server()
        big = testdata("large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg").read_bytes()
        data = distinct_jpeg(big, "multipart") + bytes(17 * 1024 * 1024 - len(big))
        resp = upload(server.base_url, "big.jpg", data, auth=server.auth_headers(), timeout=120)
        self.assertEqual(resp.status_code, 201, resp.text)
        photo = resp.json()["photos"][0]

        s3 = self.moto.client()
        key = f"{PREFIX}photos/{photo['id']}/original"
        head = s3.head_object(Bucket=BUCKET, Key=key)
        self.assertTrue(head["ETag"].endswith('-3"'), head["ETag"])  # 8 MiB parts
        self.assertEqual(head["ContentLength"], len(data))
        self.assertEqual(sha256(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()),
                         sha256(data))
        self.assertEqual(sha256(server.get(photo["urls"]["original"]).content), sha256(data))
        self.assertEqual(s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []), [])

    def assert_not_ready_because(self, server, error_code):
        """/readyz answers 503 problem+json naming storage and `error_code`,
        and the start-up log said why storage was not reachable."""
        resp = server.get("/readyz")
        body = assert_problem_503(self, resp, mentions=("storage", error_code))
        line = server.wait_for_log(lambda l: "storage is not reachable" in l.get("msg", ""),
                                   timeout=5)
        self.assertIsNotNone(line, server.log_tail())
        self.assertIn(error_code, line.get("error", ""), line)
        return body

    def test_a_wrong_secret_key_makes_readyz_503_and_the_log_says_why(self):
        """A secret that does not match the key id: S3 refuses every
        signature. The server still starts (liveness is no I/O), /readyz is
        503 with SignatureDoesNotMatch, uploads fail with 503 and store
        nothing."""
        key_id, secret = self.moto.gallery_key
        wrong = (key_id, ("x" if secret[0] != "x" else "y") + secret[1:])
        server = self.start_server(key=wrong)
        self.assertEqual(server.get("/healthz").status_code, 200)
        self.assert_not_ready_because(server, "SignatureDoesNotMatch")
        before = self.postgres.query("SELECT count(*) FROM photos")[0][0]
        resp = upload(server.base_url, "refused.jpg", distinct_jpeg(self.photo, "wrong-secret"),
                      auth=server.auth_headers())
        assert_problem_503(self, resp)
        self.assertEqual(self.postgres.query("SELECT count(*) FROM photos")[0][0], before)

    def test_an_unknown_key_id_makes_readyz_503_with_invalid_access_key_id(self):
        server = self.start_server(key=("AKIAUNKNOWNUNKNOWN00", "secret" * 6))
        self.assert_not_ready_because(server, "InvalidAccessKeyId")

    def test_a_prefix_outside_the_policy_is_denied(self):
        """The same valid key on a prefix its policy does not cover: S3
        denies the server's writes (least privilege is enforced on its own
        requests). The upload answers 503 problem+json, the log names
        AccessDenied, nothing is stored. (moto does not evaluate the
        s3:prefix condition on ListBucket, so /readyz, which lists, is not
        checked here; on AWS it is denied as well.)"""
        server = self.start_server(GALLERY_S3_PREFIX="elsewhere/")
        before = self.postgres.query("SELECT count(*) FROM photos")[0][0]
        resp = upload(server.base_url, "denied.jpg", distinct_jpeg(self.photo, "elsewhere"),
                      auth=server.auth_headers())
        assert_problem_503(self, resp)
        line = server.wait_for_log(lambda l: l.get("msg") == "upload refused", timeout=5)
        self.assertIsNotNone(line, server.log_tail())
        self.assertIn("AccessDenied", line["error"])
        self.assertIn("s3://gallery-cloud/elsewhere/photos/", line["error"])
        self.assertEqual(self.postgres.query("SELECT count(*) FROM photos")[0][0], before)
        self.assertEqual(self.moto.keys_under("elsewhere/"), [])

    def test_readiness_with_the_right_key(self):
        """The control case: the same set-up with the right key is ready
        at once, and its start-up log has no storage complaint."""
        server = self.start_server()
        deadline = time.monotonic() + 10
        while server.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(server.get("/readyz").status_code, 200)
        self.assertFalse([l for l in server.log_lines()
                          if "storage is not reachable" in l.get("msg", "")])


if __name__ == "__main__":
    unittest.main()
