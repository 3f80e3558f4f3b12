"""Robustness under hostile or heavy clients: slowloris connections are cut
at the header timeout while others are served, and the image pool pushes
back with 503 + Retry-After instead of queueing without bound."""

import concurrent.futures
import socket
import threading
import time
import unittest

import requests

import images
from gallery_server import (REQUEST_TIMEOUT, GalleryTestCase, assert_problem, multipart_body,
                            read_raw_response, read_testdata)

# The header timeout the slowloris test runs with (--header-timeout): the
# whole request header must arrive within it once its first byte has.
HEADER_TIMEOUT = 3.0
SLOW_CLIENTS = 40
LARGE_PHOTO = "large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg"


def connection_closed(sock):
    """True when the peer has closed (EOF or reset), without blocking."""
    try:
        return sock.recv(1024, socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


class SlowlorisTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server(extra_args=["--header-timeout", f"{HEADER_TIMEOUT:.0f}s"])

    def test_trickling_headers_are_cut_while_others_are_served(self):
        """SLOW_CLIENTS connections send a partial header, then one byte every
        half second. Each is disconnected within the header timeout (plus a
        margin), not before half of it; meanwhile normal requests, uploads
        included, are answered promptly."""
        socks, opened = [], time.monotonic()
        for i in range(SLOW_CLIENTS):
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
            self.addCleanup(s.close)
            s.sendall(f"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow-{i}: ".encode())
            socks.append(s)

        served, stop = [], threading.Event()

        def normal_client():
            n = 0
            while not stop.is_set():
                started = time.monotonic()
                if n % 5 == 0:
                    resp = requests.post(
                        self.server.url("/api/v1/photos"), timeout=REQUEST_TIMEOUT,
                        headers=self.server.auth_headers(),
                        files=[("file", (f"n{n}.jpg", images.noise_jpeg(900 + n)))])
                    ok = resp.status_code == 201
                else:
                    ok = requests.get(self.server.url("/healthz"), timeout=5).status_code == 200
                served.append((ok, time.monotonic() - started))
                n += 1
                stop.wait(0.2)

        worker = threading.Thread(target=normal_client)
        worker.start()
        closed_at = {}
        try:
            deadline = opened + HEADER_TIMEOUT + 5
            while len(closed_at) < len(socks) and time.monotonic() < deadline:
                for i, s in enumerate(socks):
                    if i in closed_at:
                        continue
                    if connection_closed(s):
                        closed_at[i] = time.monotonic() - opened
                        continue
                    try:
                        s.send(b"a")
                    except OSError:
                        closed_at[i] = time.monotonic() - opened
                time.sleep(0.5)
        finally:
            stop.set()
            worker.join()

        self.assertEqual(len(closed_at), len(socks),
                         f"{len(socks) - len(closed_at)} slow connections still open after "
                         f"{HEADER_TIMEOUT + 5:.0f}s")
        self.assertGreater(min(closed_at.values()), HEADER_TIMEOUT / 2,
                           "slow connections were cut long before the header timeout")
        self.assertTrue(served, "no normal request was made")
        self.assertTrue(all(ok for ok, _ in served), f"normal requests failed: {served}")
        slowest = max(t for _, t in served)
        self.assertLess(slowest, 3.0, f"a normal request took {slowest:.1f}s")
        self.assertGreaterEqual(len(served), 10)

    def test_idle_connection_without_a_byte_is_not_cut_by_header_timeout(self):
        """A keep-alive connection that has sent nothing yet is idle, not
        slow: a request on it after a while is still answered."""
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(read_raw_response(s).status_code, 200)
            time.sleep(1.0)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(read_raw_response(s).status_code, 200)


class AbandonedUploadTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_client_gone_mid_body_leaves_nothing(self):
        """A client that sends half of a 3 MB body and disconnects leaves no
        spool file, row or blob, and the server keeps serving."""
        photo = read_testdata(LARGE_PHOTO)
        body = multipart_body([("file", "half.jpg", photo)])
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as s:
            s.sendall((f"POST /api/v1/photos HTTP/1.1\r\nHost: x\r\n"
                       f"Authorization: Bearer {self.server.admin_token}\r\nContent-Type: "
                       f"multipart/form-data; boundary=gallery-test-boundary\r\n"
                       f"Content-Length: {len(body)}\r\n\r\n").encode() + body[:len(body) // 2])
            deadline = time.monotonic() + 10
            while not self.server.spool_files() and time.monotonic() < deadline:
                time.sleep(0.01)
            self.assertTrue(self.server.spool_files(), "expected the body to be spooled")
        deadline = time.monotonic() + 10
        while self.server.spool_files() and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertEqual(self.server.spool_files(), [], "spool file of an abandoned upload")
        self.assertEqual(self.server.get("/healthz").status_code, 200)
        self.assertEqual(self.server.list_all_photos(), [])
        self.assertEqual(self.server.blob_files(), set())


class BackPressureTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server(env={"GALLERY_IMAGE_WORKERS": "1",
                                           "GALLERY_IMAGE_QUEUE": "1"})

    def test_full_image_pool_answers_503_with_retry_after(self):
        """With one worker and a queue of one, eight simultaneous uploads of a
        12 MP photo (distinct bytes each) → some 201, some 503 overloaded with
        Retry-After; the refused ones leave nothing; the server stays up."""
        photo = read_testdata(LARGE_PHOTO)
        bodies = [multipart_body([("file", f"big{i}.jpg",
                                   images.with_jpeg_comment(photo, f"copy {i}"))])
                  for i in range(8)]
        socks = []
        for body in bodies:
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=60)
            self.addCleanup(s.close)
            s.sendall((f"POST /api/v1/photos HTTP/1.1\r\nHost: x\r\n"
                       f"Authorization: Bearer {self.server.admin_token}\r\nContent-Type: "
                       f"multipart/form-data; boundary=gallery-test-boundary\r\n"
                       f"Content-Length: {len(body)}\r\n\r\n").encode() + body[:-1])
            socks.append(s)
        # Every body completes at the same moment: the uploads truly compete.
        for s, body in zip(socks, bodies):
            s.sendall(body[-1:])
        with concurrent.futures.ThreadPoolExecutor(len(socks)) as pool:
            responses = list(pool.map(lambda s: read_raw_response(s, timeout=120), socks))

        statuses = sorted(r.status_code for r in responses)
        created = [r for r in responses if r.status_code == 201]
        refused = [r for r in responses if r.status_code == 503]
        self.assertEqual(len(created) + len(refused), 8, f"statuses: {statuses}")
        self.assertGreaterEqual(len(created), 1, f"statuses: {statuses}")
        self.assertGreaterEqual(len(refused), 1, f"no back-pressure: {statuses}")
        for r in refused:
            assert_problem(self, r, 503, "/errors/overloaded")
            self.assertTrue(r.headers.get("retry-after", "").isdigit(), r.headers)
        self.assertEqual(self.server.get("/healthz").status_code, 200)
        stored = self.server.list_all_photos()
        self.assertEqual(len(stored), len(created))
        self.assertEqual({p["id"] for p in stored},
                         {r.json()["photos"][0]["id"] for r in created})
        self.assertEqual({b.split("/")[1] for b in self.server.blob_files()},
                         {p["id"] for p in stored}, "blobs of a refused upload are left")
        # Once the pool is free, a retry of a refused upload succeeds.
        retry = self.server.upload([("retry.jpg", images.with_jpeg_comment(photo, "retry"))])
        self.assertEqual(retry.status_code, 201, retry.text[:300])


if __name__ == "__main__":
    unittest.main()


class OversizedHeadersTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_headers_over_the_limit_get_431(self):
        """A request whose header fields exceed the limit (16 KiB) gets 431
        problem+json, and the server goes on serving."""
        resp = requests.get(self.server.url("/healthz"), timeout=10,
                            headers={"X-Padding": "a" * 20000})
        assert_problem(self, resp, 431, "/errors/headers-too-large")
        self.assertEqual(requests.get(self.server.url("/healthz"), timeout=5).status_code, 200)
