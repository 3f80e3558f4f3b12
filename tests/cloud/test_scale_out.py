"""Scale-out: three stateless gallery instances behind nginx (round-robin,
like the load balancer) sharing one PostgreSQL and one S3 bucket (moto, IAM
enforced, the restricted key). One instance is killed with SIGKILL in the
middle of concurrent uploads, listings and reads.

What must hold: every upload that got a 2xx is stored and readable through
every surviving instance, byte for byte; no row lacks a blob; and the orphan
sweeper removes blobs that have no row (what an instance killed between
storing blobs and committing the row leaves behind) while leaving every
row's blobs alone.
"""

import base64
import os
import random
import sys
import threading
import time
import unittest

import requests

from cloud_world import (BUCKET, PREFIX, GalleryServer, Moto, Nginx, Postgres, distinct_jpeg,
                         gallery_env, sha256, testdata, upload, wait_until)

INSTANCES = 3
WARMUP_UPLOADS = 6
LOAD_UPLOADS = 60
UPLOAD_CLIENTS = 6
KILL_AFTER_ACKS = 20  # load uploads acknowledged before the kill
MAX_READS = 2000  # bounds of the read and listing loops, besides time
MAX_LISTINGS = 500
LOAD_DEADLINE = 180  # seconds for the whole load phase
ATTEMPTS = 6  # per upload or read, like a client with retries
RETRYABLE = {502, 503, 504}


def busy_image_workers(server):
    """The server's image_busy_workers gauge (uploads being processed)."""
    text = requests.get(server.url("/metrics"), timeout=10).text
    for line in text.splitlines():
        if line.startswith("image_busy_workers "):
            return float(line.split()[1])
    raise AssertionError("no image_busy_workers in /metrics")


class Load:
    """Concurrent uploads through the load balancer, plus listing and read
    loops, bounded in count and time, all as one user (the `auth` headers).
    Thread-safe bookkeeping."""

    def __init__(self, base_url, photo, auth):
        self.base_url = base_url
        self.auth = auth
        self.photo = photo
        self.lock = threading.Lock()
        self.next_index = 0
        self.acked = {}  # photo id -> sha256 of the uploaded bytes
        self.unacked = []  # indexes that never got a 2xx
        self.failures = []  # answers that are never acceptable
        self.transient = 0  # 502/503/504 or broken connections, retried
        self.reads = 0
        self.listings = 0
        self.uploads_done = threading.Event()
        self.deadline = time.monotonic() + LOAD_DEADLINE

    def fail(self, message):
        with self.lock:
            self.failures.append(message)

    def snapshot(self):
        with self.lock:
            return dict(self.acked)

    def upload_client(self):
        while time.monotonic() < self.deadline:
            with self.lock:
                index = self.next_index
                self.next_index += 1
            if index >= LOAD_UPLOADS:
                return
            data = distinct_jpeg(self.photo, f"load-{index}")
            for attempt in range(ATTEMPTS):
                try:
                    resp = upload(self.base_url, f"load-{index}.jpg", data, auth=self.auth)
                except requests.RequestException:
                    status = None
                else:
                    status = resp.status_code
                if status in (200, 201):
                    photo = resp.json()["photos"][0]
                    if photo["sha256"] != sha256(data):
                        self.fail(f"upload {index}: answered sha256 {photo['sha256']}")
                    with self.lock:
                        self.acked[photo["id"]] = sha256(data)
                    break
                if status is not None and status not in RETRYABLE:
                    self.fail(f"upload {index}: {status} {resp.text[:300]}")
                    break
                with self.lock:
                    self.transient += 1
                time.sleep(0.2 * (attempt + 1))
            else:
                with self.lock:
                    self.unacked.append(index)

    def get(self, path):
        """GET through the balancer, retrying transient failures; None when
        every attempt failed (recorded)."""
        for attempt in range(ATTEMPTS):
            try:
                resp = requests.get(self.base_url + path, headers=self.auth, timeout=60)
            except requests.RequestException:
                resp = None
            if resp is not None and resp.status_code not in RETRYABLE:
                return resp
            with self.lock:
                self.transient += 1
            time.sleep(0.2 * (attempt + 1))
        self.fail(f"GET {path}: no answer in {ATTEMPTS} attempts")
        return None

    def read_loop(self):
        """Reads random acknowledged originals and thumbnails until the
        uploads are done: every one must be there, with the right bytes."""
        rng = random.Random(1)
        while (not self.uploads_done.is_set() and time.monotonic() < self.deadline and
               self.reads < MAX_READS):
            acked = self.snapshot()
            if not acked:
                time.sleep(0.05)
                continue
            photo_id = rng.choice(sorted(acked))
            original = self.get(f"/api/v1/photos/{photo_id}/original")
            if original is not None and (original.status_code != 200 or
                                         sha256(original.content) != acked[photo_id]):
                self.fail(f"original of {photo_id}: {original.status_code}")
            thumb = self.get(f"/api/v1/photos/{photo_id}/thumb")
            if thumb is not None and (thumb.status_code != 200 or
                                      not thumb.content.startswith(b"\xff\xd8")):
                self.fail(f"thumb of {photo_id}: {thumb.status_code}")
            with self.lock:
                self.reads += 1

    def list_loop(self):
        """Walks the whole listing, page by page with the cursor (pages land
        on different instances), until the uploads are done: every photo
        acknowledged before a walk starts must be in it."""
        while (not self.uploads_done.is_set() and time.monotonic() < self.deadline and
               self.listings < MAX_LISTINGS):
            before = self.snapshot()
            listed, cursor = set(), None
            for _ in range(100):  # pages; bounded
                path = "/api/v1/photos?limit=10" + (f"&cursor={cursor}" if cursor else "")
                resp = self.get(path)
                if resp is None:
                    return
                if resp.status_code != 200:
                    self.fail(f"listing: {resp.status_code} {resp.text[:300]}")
                    return
                body = resp.json()
                listed.update(p["id"] for p in body["photos"])
                cursor = body["next_cursor"]
                if cursor is None:
                    break
            missing = set(before) - listed
            if missing:
                self.fail(f"listing lacks acknowledged photos {sorted(missing)}")
            with self.lock:
                self.listings += 1


class ScaleOutTest(unittest.TestCase):

    def setUp(self):
        self.postgres = Postgres()
        self.addCleanup(self.postgres.close)
        self.postgres.start()
        self.moto = Moto()
        self.addCleanup(self.moto.close)
        self.moto.start()
        self.photo = testdata("exif-orientation/Landscape_1.jpg").read_bytes()
        self.env = gallery_env(self.moto, self.postgres)
        # All instances start at once: the schema migration must run once.
        self.instances = [GalleryServer(env=self.env) for _ in range(INSTANCES)]
        for server in self.instances:
            self.addCleanup(server.close)
        errors = []

        def start(server):
            try:
                server.start()
            except Exception as e:  # reported below, with the logs
                errors.append(e)

        threads = [threading.Thread(target=start, args=(s,)) for s in self.instances]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            for server in self.instances:
                server.print_log_tail()
            raise errors[0]
        self.nginx = Nginx([s.port for s in self.instances])
        self.addCleanup(self.nginx.close)
        self.nginx.start()

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        out = super().run(result)
        if len(result.failures) + len(result.errors) > before:
            for server in getattr(self, "instances", []):
                server.print_log_tail()
            for name in ("nginx", "moto", "postgres"):
                if hasattr(self, name):
                    print(f"--- {name} ---\n{getattr(self, name).log_tail()}", file=sys.stderr)
        return out

    def s3_photo_ids(self):
        """Photo ids that have at least one blob in the bucket."""
        ids = set()
        for key in self.moto.keys_under(PREFIX + "photos/"):
            ids.add(key[len(PREFIX + "photos/"):].split("/", 1)[0])
        return ids

    def rows(self):
        """id -> (sha256, [original, thumb, preview keys]) of every row."""
        return {r[0]: (r[1], r[2:]) for r in self.postgres.query(
            "SELECT id, sha256, original_key, thumb_key, preview_key FROM photos")}

    def assert_every_row_has_its_blobs(self, rows):
        s3 = self.moto.client()
        for photo_id, (_, keys) in rows.items():
            for key in keys:
                head = s3.head_object(Bucket=BUCKET, Key=PREFIX + key)  # raises on 404
                self.assertGreater(head["ContentLength"], 0, key)

    def assert_readable_through(self, server, acked):
        listed = {p["id"] for p in server.list_all_photos()}
        self.assertLessEqual(set(acked), listed, f"instance on {server.port} lists too few")
        for photo_id, digest in acked.items():
            meta = server.get(f"/api/v1/photos/{photo_id}")
            self.assertEqual(meta.status_code, 200, meta.text[:300])
            self.assertEqual(meta.json()["sha256"], digest)
            original = server.get(f"/api/v1/photos/{photo_id}/original")
            self.assertEqual(original.status_code, 200, original.text[:300])
            self.assertEqual(sha256(original.content), digest, photo_id)

    def test_instances_share_storage_and_database_and_survive_a_kill(self):
        """Warm-up, then load with a SIGKILL of one instance, then the
        checks, then the orphan sweep (see the module doc)."""
        # Warm-up through the balancer: each photo readable through each
        # instance directly, whichever instance stored it. One admin token
        # (made through the first instance) works on all: they share the
        # database; each instance's own token reads in assert_readable_through.
        auth = self.instances[0].auth_headers()
        warm = {}
        for i in range(WARMUP_UPLOADS):
            data = distinct_jpeg(self.photo, f"warm-{i}")
            resp = upload(self.nginx.base_url, f"warm-{i}.jpg", data, auth=auth)
            self.assertEqual(resp.status_code, 201, resp.text)
            warm[resp.json()["photos"][0]["id"]] = sha256(data)
        for server in self.instances:
            self.assert_readable_through(server, warm)
        # Round-robin really spread the uploads.
        for server in self.instances:
            stored = [l for l in server.log_lines() if l.get("msg") == "request"
                      and l.get("method") == "POST" and l.get("route") == "/api/v1/photos"
                      and l.get("status") == 201]
            self.assertTrue(stored, f"instance on {server.port} stored no warm-up upload")

        # Load, with one instance killed once KILL_AFTER_ACKS uploads are in.
        load = Load(self.nginx.base_url, self.photo, auth)
        victim = self.instances[-1]
        survivors = self.instances[:-1]
        workers = [threading.Thread(target=load.upload_client) for _ in range(UPLOAD_CLIENTS)]
        others = [threading.Thread(target=load.read_loop), threading.Thread(target=load.list_loop)]
        for t in workers + others:
            t.start()
        try:
            wait_until(lambda: len(load.snapshot()) >= KILL_AFTER_ACKS or load.failures,
                       timeout=LOAD_DEADLINE, what="uploads before the kill")
            # Kill it while it is processing an upload, so that one is in
            # flight on it for sure.
            wait_until(lambda: busy_image_workers(victim) > 0, timeout=60, interval=0.005,
                       what="an upload in progress on the victim")
            victim.kill()
        finally:
            for t in workers:
                t.join(timeout=LOAD_DEADLINE + 60)
            load.uploads_done.set()
            for t in others:
                t.join(timeout=120)
        self.assertFalse(any(t.is_alive() for t in workers + others), "load did not finish")
        print(f"\nload: {len(load.acked)} acknowledged, {len(load.unacked)} never "
              f"acknowledged, {load.transient} transient failures retried, {load.reads} "
              f"reads, {load.listings} full listings", file=sys.stderr)
        self.assertEqual(load.failures, [])
        self.assertIsNotNone(victim.process and victim.process.poll(), "victim still runs")
        # The upload in flight on the victim failed (and was retried).
        self.assertGreaterEqual(load.transient, 1)
        # With retries every upload gets through the survivors.
        self.assertEqual(load.unacked, [])
        self.assertEqual(len(load.acked), LOAD_UPLOADS)

        acked = {**warm, **load.acked}
        # Nothing acknowledged is lost: a row with the right bytes' hash,
        # readable through every surviving instance directly.
        rows = self.rows()
        for photo_id, digest in acked.items():
            self.assertIn(photo_id, rows)
            self.assertEqual(rows[photo_id][0], digest)
        for server in survivors:
            self.assert_readable_through(server, acked)
        # No row lacks a blob.
        self.assert_every_row_has_its_blobs(rows)

        # The sweeper: blobs without rows (older than the grace period) go,
        # rows' blobs stay. Besides whatever the killed instance left, an
        # orphan with the server's layout is planted, so there is always
        # one to remove.
        left_by_kill = self.s3_photo_ids() - set(rows)
        orphan = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
        s3 = self.moto.client()
        orphan_keys = [f"{PREFIX}photos/{orphan}/{name}"
                       for name in ("original", "thumb.jpg", "preview.jpg")]
        for key in orphan_keys:
            s3.put_object(Bucket=BUCKET, Key=key, Body=distinct_jpeg(self.photo, "orphan"))
        self.assertIn(orphan, self.s3_photo_ids())
        print(f"orphaned photo ids left by the kill: {len(left_by_kill)}", file=sys.stderr)

        # One more instance sweeps often with a short grace period; the
        # others keep the default hour, which the load stayed well within.
        sweeper = GalleryServer(env=dict(self.env, GALLERY_SWEEP_INTERVAL="1s",
                                         GALLERY_ORPHAN_GRACE="2s"))
        self.addCleanup(sweeper.close)
        self.instances.append(sweeper)
        sweeper.start()
        wait_until(lambda: self.s3_photo_ids() == set(self.rows()), timeout=60, interval=0.5,
                   what="the sweeper to remove every blob without a row")
        self.assertNotIn(orphan, self.s3_photo_ids())
        self.assertEqual(self.rows(), rows)
        self.assert_every_row_has_its_blobs(rows)
        swept = sum(l.get("deleted", 0) for l in sweeper.log_lines()
                    if l.get("msg") == "orphan sweep")
        self.assertGreaterEqual(swept, len(orphan_keys))
        # And the service goes on through the balancer.
        for photo_id, digest in acked.items():
            resp = requests.get(f"{self.nginx.base_url}/api/v1/photos/{photo_id}/original",
                                headers=auth, timeout=60)
            self.assertEqual(resp.status_code, 200)
            self.assertEqual(sha256(resp.content), digest)


if __name__ == "__main__":
    unittest.main()
