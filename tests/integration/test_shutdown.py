"""SIGTERM during uploads: the server drains and exits 0 within the grace
period; every acknowledged upload survives a restart byte for byte, and
nothing half-done (row, blob or spool file) is left."""

import pathlib
import shutil
import signal
import socket
import tempfile
import threading
import time
import unittest

import requests

import images
from gallery_server import GalleryTestCase, read_raw_response, read_testdata, sha256

LARGE_PHOTO = "large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg"
GRACE_SECONDS = 20
CLIENTS = 4
UPLOADS_PER_CLIENT = 3


class ShutdownTest(GalleryTestCase):
    def test_sigterm_during_uploads(self):
        data_dir = pathlib.Path(tempfile.mkdtemp(prefix="gallery-it-shutdown-"))
        self.addCleanup(shutil.rmtree, data_dir, True)
        server = self.start_test_server(
            data_dir=data_dir / "data",
            env={"GALLERY_SHUTDOWN_GRACE": f"{GRACE_SECONDS}s"})

        photo = read_testdata(LARGE_PHOTO)
        acknowledged = {}  # sha256 → Photo JSON, for every 2xx
        acknowledged_at = []  # time.monotonic() of each 2xx
        attempted = {}     # sha256 → bytes
        outcomes = []
        lock = threading.Lock()

        def client(c):
            for n in range(UPLOADS_PER_CLIENT):
                data = images.with_jpeg_comment(photo, f"client {c} upload {n}")
                with lock:
                    attempted[sha256(data)] = data
                try:
                    # A fresh connection each: after SIGTERM new ones are refused.
                    resp = requests.post(server.url("/api/v1/photos"),
                                         headers=server.auth_headers(),
                                         files=[("file", (f"c{c}-{n}.jpg", data))], timeout=60)
                except requests.RequestException as e:
                    with lock:
                        outcomes.append(type(e).__name__)
                    continue
                with lock:
                    outcomes.append(resp.status_code)
                    if 200 <= resp.status_code < 300:
                        acknowledged[sha256(data)] = resp.json()["photos"][0]
                        acknowledged_at.append(time.monotonic())

        threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
        for t in threads:
            t.start()
        # SIGTERM once some uploads are acknowledged and others in flight.
        deadline = time.monotonic() + 60
        while not acknowledged and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertTrue(acknowledged, f"no upload finished: {outcomes}")
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        try:
            exit_code = server.process.wait(timeout=GRACE_SECONDS + 10)
        finally:
            for t in threads:
                t.join()
        took = time.monotonic() - signalled
        server.stop()
        self.assertEqual(exit_code, 0, server.log_tail())
        self.assertLess(took, GRACE_SECONDS, f"exit took {took:.1f}s")
        self.assertTrue(server.wait_for_log(lambda l: l.get("msg") == "stopped", timeout=0))
        self.assertLess(len(acknowledged), CLIENTS * UPLOADS_PER_CLIENT,
                        f"SIGTERM came after every upload: {outcomes}")
        self.assertTrue(any(t > signalled for t in acknowledged_at),
                        f"no upload was in flight at SIGTERM (drain untested): {outcomes}")
        self.assertEqual(server.spool_files(), [], "spool files left by the drain")
        unexpected = [o for o in outcomes if isinstance(o, int) and not 200 <= o < 300]
        self.assertEqual(unexpected, [], "in-flight uploads must finish, not fail")

        # Restart on the same data directory.
        again = self.start_test_server(data_dir=data_dir / "data")
        rows = again.list_all_photos()
        self.assertEqual({p["sha256"] for p in rows}, set(acknowledged),
                         "rows other than the acknowledged uploads")
        for digest, photo_json in acknowledged.items():
            with self.subTest(photo=photo_json["filename"]):
                resp = again.get(f"/api/v1/photos/{photo_json['id']}")
                self.assertEqual(resp.status_code, 200)
                original = again.get(photo_json["urls"]["original"])
                self.assertEqual(sha256(original.content), digest)
                self.assertEqual(original.content, attempted[digest])
                self.assertEqual(again.get(photo_json["urls"]["thumb"]).status_code, 200)
        self.assertEqual({b.split("/")[1] for b in again.blob_files()},
                         {p["id"] for p in rows}, "blobs without a row")
        self.assertEqual(again.spool_files(), [])


class CrashRecoveryTest(GalleryTestCase):
    def test_sigkill_mid_upload_then_restart(self):
        """SIGKILL while uploads run (no drain at all), then a restart with a
        fast orphan sweep: every row still has its original, byte-exact; the
        spool is emptied; blobs without a row (a crash between put and
        commit) are swept; a planted orphan too."""
        data_dir = pathlib.Path(tempfile.mkdtemp(prefix="gallery-it-crash-"))
        self.addCleanup(shutil.rmtree, data_dir, True)
        server = self.start_test_server(data_dir=data_dir / "data")
        kept = server.upload_one("kept.jpg", images.noise_jpeg(950))
        photo = read_testdata(LARGE_PHOTO)
        sent = {}

        def upload(i):
            data = images.with_jpeg_comment(photo, f"crash {i}")
            sent[sha256(data)] = data
            try:
                requests.post(server.url("/api/v1/photos"), timeout=60,
                              headers=server.auth_headers(),
                              files=[("file", (f"crash{i}.jpg", data))])
            except requests.RequestException:
                pass

        threads = [threading.Thread(target=upload, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        # Kill once the bodies are arriving (spooled) or being processed.
        deadline = time.monotonic() + 30
        while not server.spool_files() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.2)
        server.kill()
        for t in threads:
            t.join()
        server.stop()
        orphan = server.pictures_dir / "photos" / "planted-orphan-id"
        orphan.mkdir(parents=True)
        (orphan / "original").write_bytes(b"left by a crash")

        again = self.start_test_server(
            data_dir=data_dir / "data",
            extra_args=["--sweep-interval", "1s", "--orphan-grace", "0s"])
        self.assertEqual(again.spool_files(), [], "spool not emptied at start")
        rows = again.list_all_photos()
        self.assertIn(kept["id"], {p["id"] for p in rows})
        for row in rows:
            with self.subTest(photo=row["filename"]):
                original = again.get(row["urls"]["original"])
                self.assertEqual(original.status_code, 200, "a row without its original")
                self.assertEqual(sha256(original.content), row["sha256"])
                if row["id"] != kept["id"]:
                    self.assertEqual(original.content, sent[row["sha256"]])
                self.assertEqual(again.get(row["urls"]["thumb"]).status_code, 200)
        ids = {p["id"] for p in rows}
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            on_disk = {b.split("/")[1] for b in again.blob_files()}
            if on_disk == ids:
                break
            time.sleep(0.1)
        self.assertEqual({b.split("/")[1] for b in again.blob_files()}, ids,
                         "orphaned blobs were not swept")


class IdleShutdownTest(GalleryTestCase):
    def test_idle_keep_alive_connections_do_not_delay_exit(self):
        """Open but idle keep-alive connections are closed at once on SIGTERM:
        the process exits 0 well before the grace period."""
        server = self.start_test_server(env={"GALLERY_SHUTDOWN_GRACE": f"{GRACE_SECONDS}s"})
        socks = []
        for _ in range(5):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            self.addCleanup(s.close)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(read_raw_response(s).status_code, 200)
            socks.append(s)
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        exit_code = server.process.wait(timeout=GRACE_SECONDS + 10)
        took = time.monotonic() - signalled
        self.assertEqual(exit_code, 0)
        self.assertLess(took, 3.0, f"idle connections held the exit for {took:.1f}s")
        for s in socks:
            self.assertEqual(s.recv(1), b"", "an idle connection was left open")


if __name__ == "__main__":
    unittest.main()
