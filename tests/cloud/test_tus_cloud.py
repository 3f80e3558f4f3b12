"""Resumable (tus) uploads in the cloud shape: two instances sharing one
PostgreSQL and one S3 bucket (moto, IAM enforced, the restricted key). An
upload's chunks go through either instance, one of them broken off
mid-body, and what S3 holds in between is checked with boto3: small chunks
wait in a tail object, full parts (8 MiB) go into one S3 multipart upload,
so no instance keeps an upload's bytes between requests. The finished
upload is the photo; nothing is left under uploads/. An abandoned upload is
removed by the sweep: its tail deleted, its multipart upload aborted.

The callers sign in for real: the uploader and another user are made by
the first admin, each with an API token made on one instance and honoured
by the other (tokens live in the shared database). The upload and its
photo are the uploader's alone through either instance, and a chunk from a
caller who is not signed in writes nothing to S3.

(tests/tus drives uploads with tus-js-client; this module checks S3.)
"""

import base64
import hashlib
import os
import socket
import time
import unittest

import requests

from cloud_world import (BUCKET, PREFIX, Moto, Postgres, gallery_env, sha256, start_gallery,
                         testdata, wait_until)

MIB = 1 << 20
TUS = {"Tus-Resumable": "1.0.0"}
LARGE = "large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg"


def picture(size, tag):
    """A real JPEG padded to `size` bytes (decoders stop at its end), made
    distinct by `tag` so that dedup does not merge tests."""
    jpeg = testdata(LARGE).read_bytes() + b"gallery-tus-test:" + tag.encode()
    return jpeg + b"\0" * (size - len(jpeg))


class TusCloudTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.postgres = Postgres()
        cls.addClassCleanup(cls.postgres.close)
        cls.postgres.start()
        cls.moto = Moto()
        cls.addClassCleanup(cls.moto.close)
        cls.moto.start()

    def setUp(self):
        self.servers = [start_gallery(self, gallery_env(self.moto, self.postgres))
                        for _ in range(2)]
        # Real users (the database outlives each test: fresh addresses),
        # each signed in on a different instance.
        tag = os.urandom(4).hex()
        self.uploader = self.servers[0].user_client(f"uploader-{tag}@example.com")
        self.other = self.servers[1].user_client(f"other-{tag}@example.com")

    def headers(self, **extra):
        """tus headers with the uploader's credentials."""
        return {**TUS, **self.uploader.auth_headers(), **extra}

    def assert_not_found_for_strangers(self, location):
        """The other user and the admin, through both instances: the
        upload answers 404 on HEAD, PATCH and DELETE."""
        for server in self.servers:
            for stranger in (self.other.auth_headers(), server.auth_headers()):
                for method in ("HEAD", "PATCH", "DELETE"):
                    resp = requests.request(
                        method, server.url(location), data=b"x" if method == "PATCH" else None,
                        timeout=30, headers={**TUS, **stranger, "Upload-Offset": "0",
                                             "Content-Type": "application/offset+octet-stream"})
                    self.assertEqual(resp.status_code, 404, f"{method}: {resp.text}")

    def staged(self, upload_id):
        """What S3 holds for the upload: objects (name -> size) and the part
        sizes of its unfinished multipart uploads."""
        s3, prefix = self.moto.client(), f"{PREFIX}uploads/{upload_id}/"
        objects = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
            for o in page.get("Contents", []):
                objects[o["Key"][len(prefix):]] = o["Size"]
        parts = []
        for u in s3.list_multipart_uploads(Bucket=BUCKET, Prefix=prefix).get("Uploads", []):
            listed = s3.list_parts(Bucket=BUCKET, Key=u["Key"], UploadId=u["UploadId"])
            parts.append([p["Size"] for p in listed.get("Parts", [])])
        return objects, parts

    def create(self, server, data, name):
        resp = requests.post(server.url("/api/v1/uploads"), timeout=30, headers=self.headers(
            **{"Upload-Length": str(len(data)),
               "Upload-Metadata": "filename " + base64.b64encode(name.encode()).decode()}))
        self.assertEqual(resp.status_code, 201, resp.text)
        return resp.headers["Location"]

    def patch(self, server, location, offset, data):
        return requests.patch(server.url(location), data=data, timeout=120, headers=self.headers(
            **{"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}))

    def offset(self, server, location):
        resp = requests.head(server.url(location), headers=self.headers(), timeout=30)
        self.assertEqual(resp.status_code, 200)
        return int(resp.headers["Upload-Offset"])

    def test_chunks_through_two_instances_go_to_one_multipart_upload(self):
        a, b = self.servers
        data = picture(14 * MIB, "two-instances")
        location = self.create(a, data, "cloud.jpg")
        upload_id = location.rsplit("/", 1)[1]

        # 3 MiB through A: less than a part, so it waits in a tail object.
        self.assertEqual(self.patch(a, location, 0, data[:3 * MIB]).status_code, 204)
        objects, parts = self.staged(upload_id)
        self.assertEqual(list(objects.values()), [3 * MIB])
        self.assertRegex(list(objects)[0], r"^tail-")
        self.assertEqual(parts, [])

        # Strangers get 404 through either instance; nobody gets 401 on a
        # chunk, refused on its headers: S3 holds what it held.
        self.assert_not_found_for_strangers(location)
        for server in (a, b):
            resp = requests.patch(server.url(location), data=data[3 * MIB:3 * MIB + 1000],
                                  timeout=60, headers={
                                      **TUS, "Upload-Offset": str(3 * MIB),
                                      "Content-Type": "application/offset+octet-stream"})
            self.assertEqual(resp.status_code, 401, resp.text)
        self.assertEqual(self.staged(upload_id), (objects, parts))

        # 6 MiB through B: B reads A's tail back; one 8 MiB part, 1 MiB tail.
        self.assertEqual(self.offset(b, location), 3 * MIB)
        self.assertEqual(self.patch(b, location, 3 * MIB, data[3 * MIB:9 * MIB]).status_code, 204)
        objects, parts = self.staged(upload_id)
        self.assertEqual(parts, [[8 * MIB]])
        self.assertEqual(list(objects.values()), [1 * MIB], "the old tail was deleted")

        # A PATCH to A that breaks off after 2 of its 5 MiB: those are kept.
        head = (f"PATCH {location} HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
                f"Authorization: Bearer {self.uploader.token}\r\nUpload-Offset: {9 * MIB}\r\n"
                f"Content-Type: application/offset+octet-stream\r\nContent-Length: {5 * MIB}\r\n\r\n")
        with socket.create_connection(("127.0.0.1", a.port), timeout=30) as sock:
            sock.sendall(head.encode() + data[9 * MIB:11 * MIB])
            time.sleep(0.3)
        wait_until(lambda: self.offset(b, location) == 11 * MIB, 30,
                   what="the broken-off 2 MiB to be committed")
        objects, parts = self.staged(upload_id)
        self.assertEqual(parts, [[8 * MIB]])
        self.assertEqual(list(objects.values()), [3 * MIB])

        # The rest through B: the last part, the multipart upload completed,
        # the photo made, the staging removed.
        resp = self.patch(b, location, 11 * MIB, data[11 * MIB:])
        self.assertEqual(resp.status_code, 204, resp.text)
        photo_id = resp.headers["X-Photo-Id"]
        self.assertEqual(resp.headers["X-Photo-Duplicate"], "false")
        resp = requests.get(a.url(f"/api/v1/photos/{photo_id}"), timeout=30,
                            headers=self.uploader.auth_headers())
        self.assertEqual(resp.status_code, 200, resp.text)
        photo = resp.json()
        self.assertEqual(photo["sha256"], sha256(data))
        self.assertEqual(photo["bytes"], len(data))
        # The uploader's photo: another user and the admin, on either
        # instance, see no such photo.
        for server in (a, b):
            for stranger in (self.other.auth_headers(), server.auth_headers()):
                resp = requests.get(server.url(f"/api/v1/photos/{photo_id}"), headers=stranger,
                                    timeout=30)
                self.assertEqual(resp.status_code, 404, resp.text)
        stored = self.moto.client().get_object(Bucket=BUCKET,
                                               Key=f"{PREFIX}photos/{photo_id}/original")
        self.assertEqual(hashlib.sha256(stored["Body"].read()).hexdigest(), sha256(data))
        self.assertEqual(self.staged(upload_id), ({}, []))
        resp = requests.head(a.url(location), headers=self.headers(), timeout=30)
        self.assertEqual(resp.headers["X-Photo-Id"], photo_id)
        self.assert_not_found_for_strangers(location)

    def test_an_abandoned_upload_is_swept_from_s3(self):
        sweeper = start_gallery(self, gallery_env(
            self.moto, self.postgres, GALLERY_UPLOAD_EXPIRY="2s", GALLERY_SWEEP_INTERVAL="1s"))
        data = picture(12 * MIB, "abandoned")
        location = self.create(sweeper, data, "abandoned.jpg")
        upload_id = location.rsplit("/", 1)[1]
        self.assertEqual(self.patch(sweeper, location, 0, data[:9 * MIB]).status_code, 204)
        objects, parts = self.staged(upload_id)
        self.assertEqual((list(objects.values()), parts), ([1 * MIB], [[8 * MIB]]))
        wait_until(lambda: self.staged(upload_id) == ({}, []), 30,
                   what="the sweep to delete the tail and abort the multipart upload")
        resp = requests.head(sweeper.url(location), headers=self.headers(), timeout=30)
        self.assertEqual(resp.status_code, 404)


if __name__ == "__main__":
    unittest.main()
