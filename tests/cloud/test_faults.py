"""Backend faults: S3 (moto, IAM enforced) or PostgreSQL stops in the middle
of a test. Requests that need it answer 503 problem+json within the
configured backend timeout (plus scheduling slack), never hang; /readyz
turns 503 naming the backend; and the same server process serves again by
itself once the backend is back, without a restart.

- S3 hangs: moto is stopped with SIGSTOP (connections are accepted by the
  kernel and never answered), then resumed with SIGCONT.
- S3 is down: moto is killed (connections refused), then started again on
  the same port. moto keeps everything in memory, so the new one is empty:
  it is started without IAM enforcement (it then accepts any signature, so
  the server's unchanged key works) and the bucket is created again.
- PostgreSQL is down: pg_ctl stop -m fast, then started again on the same
  port with its data.
- PostgreSQL hangs: every server process is stopped with SIGSTOP (the
  server cannot enforce its statement_timeout then: the client's own
  deadlines must), then resumed with SIGCONT.
"""

import time
import unittest

from cloud_world import (Moto, Postgres, assert_problem_503, distinct_jpeg, gallery_env, sha256,
                         start_gallery, testdata, upload, wait_until)

BACKEND_TIMEOUT = 2.0  # GALLERY_BACKEND_TIMEOUT, seconds
SLACK = 3.0  # scheduling on a busy 2-core machine, connection set-up
RECOVERY = 30.0  # how long the server may take to notice the backend is back


class BackendFaultTest(unittest.TestCase):
    """One database for the class; moto and the server per test."""

    @classmethod
    def setUpClass(cls):
        cls.postgres = Postgres()
        cls.addClassCleanup(cls.postgres.close)
        cls.postgres.start()
        cls.photo = testdata("exif-orientation/Landscape_1.jpg").read_bytes()

    def setUp(self):
        self.moto = Moto()
        self.addCleanup(self.moto.close)
        self.moto.start()
        self.server = start_gallery(self, gallery_env(
            self.moto, self.postgres, GALLERY_BACKEND_TIMEOUT=f"{int(BACKEND_TIMEOUT * 1000)}ms"))
        self.pid = self.server.process.pid
        self.stored = self.upload_ok("before")

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        out = super().run(result)
        if len(result.failures) + len(result.errors) > before:
            import sys
            print(f"--- moto ---\n{self.moto.log_tail()}\n--- postgres ---\n"
                  f"{self.postgres.log_tail()}", file=sys.stderr)
        return out

    # -- helpers -------------------------------------------------------------

    def upload_ok(self, tag):
        data = distinct_jpeg(self.photo, f"{self.id()}-{tag}")
        resp = upload(self.server.base_url, f"{tag}.jpg", data,
                      auth=self.server.auth_headers())
        self.assertEqual(resp.status_code, 201, resp.text)
        photo = resp.json()["photos"][0]
        self.assertEqual(photo["sha256"], sha256(data))
        return photo

    def timed(self, call):
        start = time.monotonic()
        resp = call()
        return resp, time.monotonic() - start

    def assert_quick_503(self, call, mentions=()):
        """`call` answers 503 problem+json within the backend timeout plus
        slack."""
        resp, elapsed = self.timed(call)
        assert_problem_503(self, resp, mentions)
        self.assertLess(elapsed, BACKEND_TIMEOUT + SLACK,
                        f"503 took {elapsed:.1f}s (backend timeout {BACKEND_TIMEOUT}s)")
        return resp

    def assert_not_ready(self, backend):
        self.assert_quick_503(lambda: self.server.get("/readyz", timeout=60),
                              mentions=(backend,))

    def wait_ready(self):
        wait_until(lambda: self.server.get("/readyz", timeout=60).status_code == 200,
                   timeout=RECOVERY, interval=0.2, what="/readyz to answer 200 again")

    def assert_same_process(self):
        self.assertTrue(self.server.alive(), "the server exited")
        self.assertEqual(self.server.process.pid, self.pid)

    def read_original(self, photo):
        return self.server.get(photo["urls"]["original"], timeout=60)

    # -- tests ---------------------------------------------------------------

    def test_storage_hang_answers_503_in_time_and_service_resumes(self):
        """moto stopped (SIGSTOP): reading an original, uploading and
        /readyz answer 503 quickly; metadata-only calls still work. After
        SIGCONT the same process reads, uploads and is ready again."""
        self.moto.pause()
        self.addCleanup(self.moto.resume)  # if an assertion fails below
        self.assert_quick_503(lambda: self.read_original(self.stored))
        self.assert_quick_503(lambda: upload(self.server.base_url, "hang.jpg",
                                             distinct_jpeg(self.photo, "during-hang"),
                                             auth=self.server.auth_headers()))
        self.assert_not_ready("storage")
        meta = self.server.get(f"/api/v1/photos/{self.stored['id']}")
        self.assertEqual(meta.status_code, 200)

        self.moto.resume()
        self.wait_ready()
        resp = self.read_original(self.stored)
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(sha256(resp.content), self.stored["sha256"])
        after = self.upload_ok("after-hang")
        self.assertEqual(sha256(self.read_original(after).content), after["sha256"])
        self.assert_same_process()

    def test_storage_down_answers_503_in_time_and_service_resumes(self):
        """moto killed: connections refused; reads, uploads and /readyz
        answer 503 quickly. moto comes back on the same port (empty, see
        the module doc): the same process becomes ready and stores and
        serves new uploads."""
        self.moto.kill()
        self.assert_quick_503(lambda: self.read_original(self.stored))
        self.assert_quick_503(lambda: upload(self.server.base_url, "down.jpg",
                                             distinct_jpeg(self.photo, "during-down"),
                                             auth=self.server.auth_headers()))
        self.assert_not_ready("storage")

        self.moto.start(enforce_iam=False)
        self.wait_ready()
        after = self.upload_ok("after-down")
        resp = self.read_original(after)
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(sha256(resp.content), after["sha256"])
        self.assert_same_process()

    def test_database_down_answers_503_in_time_and_service_resumes(self):
        """PostgreSQL stopped (pg_ctl stop -m fast): listing, reading a
        photo, uploading and /readyz answer 503 quickly. After it starts
        again the same process lists, reads and uploads (its connection
        pool reconnects by itself)."""
        self.postgres.stop()
        try:
            self.assert_quick_503(lambda: self.server.get("/api/v1/photos", timeout=60))
            self.assert_quick_503(
                lambda: self.server.get(f"/api/v1/photos/{self.stored['id']}", timeout=60))
            self.assert_quick_503(lambda: self.read_original(self.stored))
            self.assert_quick_503(lambda: upload(
                self.server.base_url, "db-down.jpg", distinct_jpeg(self.photo, "during-db-down"),
                auth=self.server.auth_headers()))
            self.assert_not_ready("database")
        finally:
            self.postgres.start_again()

        self.wait_ready()
        listed = self.server.get("/api/v1/photos", timeout=60)
        self.assertEqual(listed.status_code, 200)
        self.assertIn(self.stored["id"], [p["id"] for p in listed.json()["photos"]])
        resp = self.read_original(self.stored)
        self.assertEqual(sha256(resp.content), self.stored["sha256"])
        self.upload_ok("after-db-down")
        self.assert_same_process()

    def test_database_hang_answers_503_in_time_and_service_resumes(self):
        """PostgreSQL frozen (SIGSTOP): the pooled connections and new
        ones get no answer; listing, reading a photo and /readyz answer 503
        within the backend timeout (plus slack) each time. After SIGCONT
        the same process serves again."""
        pids = self.postgres.pause()
        try:
            for _ in range(2):  # on a pooled connection, then on a new one
                self.assert_quick_503(lambda: self.server.get("/api/v1/photos", timeout=60))
                self.assert_quick_503(
                    lambda: self.server.get(f"/api/v1/photos/{self.stored['id']}", timeout=60))
                self.assert_not_ready("database")
        finally:
            self.postgres.resume(pids)

        self.wait_ready()
        resp = self.read_original(self.stored)
        self.assertEqual(sha256(resp.content), self.stored["sha256"])
        self.upload_ok("after-db-hang")
        self.assert_same_process()


if __name__ == "__main__":
    unittest.main()
