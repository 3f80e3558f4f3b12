"""Operations: request ids, the access log, health, readiness, metrics, the
OpenAPI document and configuration errors."""

import json
import pathlib
import re
import shutil
import socket
import subprocess
import tempfile
import unittest
import uuid

import requests
from openapi_spec_validator import validate

import images
from gallery_server import (REQUEST_TIMEOUT, GalleryTestCase, assert_problem, binary_path,
                            multipart_body)


def parse_metrics(text):
    """Prometheus text → {(name, frozenset(labels.items())): value}, types."""
    samples, types = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(None, 3)
            types[name] = kind
            continue
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)$', line)
        if not m:
            raise AssertionError(f"not a Prometheus sample line: {line!r}")
        labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        samples[(m.group(1), frozenset(labels.items()))] = float(m.group(4))
    return samples, types


def metric(samples, name, **labels):
    """The sum of the samples of `name` whose labels include `labels`."""
    want = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and want <= set(ls))


class RequestIdAndLogTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_request_id_is_echoed(self):
        resp = self.server.get("/healthz", headers={"X-Request-Id": "abc-123_X.y"})
        self.assertEqual(resp.headers["X-Request-Id"], "abc-123_X.y")

    def test_request_id_is_generated(self):
        ids = {self.server.get("/healthz").headers["X-Request-Id"] for _ in range(3)}
        self.assertEqual(len(ids), 3, "generated ids must differ")
        for rid in ids:
            self.assertRegex(rid, r"^[A-Za-z0-9_-]{8,}$")

    def test_unsafe_request_id_is_replaced(self):
        """An id that could forge log lines or headers is not echoed."""
        for bad in ("has space", "x" * 500, 'quo"te', "new\\nline"):
            with self.subTest(value=bad):
                rid = self.server.get("/healthz", headers={"X-Request-Id": bad}).headers[
                    "X-Request-Id"]
                self.assertNotEqual(rid, bad)
                self.assertRegex(rid, r"^[A-Za-z0-9_-]{8,}$")

    def test_amazon_trace_root_is_used(self):
        trace = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1"
        resp = self.server.get("/healthz", headers={"X-Amzn-Trace-Id": trace})
        self.assertEqual(resp.headers["X-Request-Id"], "1-67891233-abcdef012345678912345678")
        both = self.server.get("/healthz", headers={"X-Amzn-Trace-Id": trace,
                                                    "X-Request-Id": "mine"})
        self.assertEqual(both.headers["X-Request-Id"], "mine")

    def test_problem_carries_the_request_id(self):
        resp = self.server.get("/api/v1/photos/nope", headers={"X-Request-Id": "rid-404"})
        body = assert_problem(self, resp, 404, "/errors/not-found")
        self.assertEqual(body["request_id"], "rid-404")

    def access_lines(self, request_id, count=1):
        """The access-log lines of `request_id`, waiting until `count` exist."""
        self.server.wait_for_log(
            lambda l: l.get("msg") == "request" and l.get("request_id") == request_id)
        return [l for l in self.server.log_lines()
                if l.get("msg") == "request" and l.get("request_id") == request_id]

    def test_one_access_log_line_per_request(self):
        """Each request writes exactly one JSON line on stdout with time,
        method, route, status, bytes, duration and request id."""
        cases = [("GET", "/healthz", None, "/healthz", 200),
                 ("GET", "/api/v1/photos/unknown", None, "/api/v1/photos/{id}", 404),
                 ("GET", "/no/such/path", None, "unmatched", 404),
                 ("GET", "/api/v1/photos?limit=2&secret=hide-me", None, "/api/v1/photos", 200)]
        for method, path, body, route, status in cases:
            with self.subTest(path=path):
                rid = "log-" + uuid.uuid4().hex
                resp = requests.request(method, self.server.url(path), data=body,
                                        headers={**self.server.auth_headers(),
                                                 "X-Request-Id": rid}, timeout=REQUEST_TIMEOUT)
                self.assertEqual(resp.status_code, status)
                lines = self.access_lines(rid)
                self.assertEqual(len(lines), 1, lines)
                line = lines[0]
                self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
                self.assertEqual(line["method"], method)
                self.assertEqual(line["route"], route)
                self.assertEqual(line["status"], status)
                self.assertIsInstance(line["duration_ms"], (int, float))
                self.assertGreaterEqual(line["duration_ms"], 0)
                self.assertGreaterEqual(line["bytes_out"], len(resp.content))
                self.assertIn("bytes_in", line)
                self.assertNotIn("hide-me", json.dumps(line), "the query must not be logged")

    def test_access_log_counts_request_bytes(self):
        """bytes_in is the request body's size, for a small body (kept in
        memory) and for a large one (spooled to disk)."""
        for label, data in (("small", images.noise_jpeg(600)),
                            ("large", images.noise_jpeg(601, 600, 600))):
            with self.subTest(body=label):
                body = multipart_body([("file", f"{label}.jpg", data)])
                rid = "bytes-" + uuid.uuid4().hex
                resp = requests.post(self.server.url("/api/v1/photos"), data=body,
                                     headers={**self.server.auth_headers(),
                                              "X-Request-Id": rid, "Content-Type":
                                              "multipart/form-data; boundary=gallery-test-boundary"},
                                     timeout=REQUEST_TIMEOUT)
                self.assertEqual(resp.status_code, 201, resp.text[:200])
                (line,) = self.access_lines(rid)
                self.assertEqual(line["bytes_in"], len(body))
        self.assertGreater(len(body), 64 * 1024, "the large body must be spooled")


class HealthAndMetricsTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()

    def test_healthz_and_readyz(self):
        for path in ("/healthz", "/readyz"):
            with self.subTest(path=path):
                resp = self.server.get(path)
                self.assertEqual(resp.status_code, 200)
                self.assertTrue(resp.headers["Content-Type"].startswith("application/json"))
                self.assertIn("no-store", resp.headers.get("Cache-Control", ""))

    def test_metrics(self):
        """/metrics: request counts by method/route/status, the latency
        histogram, upload results, image pool gauges and byte counters, all
        moving with the traffic."""
        before, _ = parse_metrics(self.server.get("/metrics").text)
        data = images.noise_jpeg(700, 400, 400)
        body = multipart_body([("file", "m.jpg", data)])
        resp = requests.post(self.server.url("/api/v1/photos"), data=body, timeout=REQUEST_TIMEOUT,
                             headers={**self.server.auth_headers(), "Content-Type":
                                      "multipart/form-data; boundary=gallery-test-boundary"})
        self.assertEqual(resp.status_code, 201)
        self.server.get("/api/v1/photos/missing")
        thumb = self.server.get(resp.json()["photos"][0]["urls"]["thumb"])

        resp = self.server.get("/metrics")
        self.assertEqual(resp.status_code, 200)
        self.assertTrue(resp.headers["Content-Type"].startswith("text/plain"))
        after, types = parse_metrics(resp.text)

        def grew(name, by=1, **labels):
            delta = metric(after, name, **labels) - metric(before, name, **labels)
            self.assertGreaterEqual(delta, by, f"{name}{labels} grew by {delta}, wanted {by}")

        self.assertEqual(types.get("http_requests_total"), "counter")
        grew("http_requests_total", method="POST", route="/api/v1/photos", status="201")
        grew("http_requests_total", method="GET", route="/api/v1/photos/{id}", status="404")
        grew("http_requests_total", method="GET", route="/api/v1/photos/{id}/thumb",
             status="200")
        self.assertEqual(types.get("http_request_duration_seconds"), "histogram")
        grew("http_request_duration_seconds_count", route="/api/v1/photos")
        buckets = [ls for (n, ls) in after if n == "http_request_duration_seconds_bucket"]
        self.assertTrue(any(dict(ls).get("le") == "+Inf" for ls in buckets), "no +Inf bucket")
        self.assertIn(("http_request_duration_seconds_sum",
                       frozenset({("route", "/api/v1/photos")})), after)
        grew("uploads_total", result="stored")
        for gauge in ("image_queue_depth", "image_busy_workers"):
            self.assertEqual(types.get(gauge), "gauge", gauge)
            self.assertIn((gauge, frozenset()), after)
        grew("http_received_bytes_total", by=len(body))
        grew("http_sent_bytes_total", by=len(thumb.content))

    def test_openapi_document(self):
        """The document validates as OpenAPI and describes every route the
        server answered during this test (from the metrics' route labels),
        with its method."""
        resp = self.server.get("/api/v1/openapi.json")
        self.assertEqual(resp.status_code, 200)
        self.assertTrue(resp.headers["Content-Type"].startswith("application/json"))
        spec = resp.json()
        validate(spec)
        photo = self.server.upload_one("o.jpg", images.noise_jpeg(701))
        # Every path and method the document lists, with a real id.
        for path, item in spec["paths"].items():
            for method in item:
                if method not in ("get", "post", "delete", "put", "patch", "head"):
                    continue
                url = path.replace("{id}", photo["id"])
                if method == "delete":
                    url = path.replace("{id}", "no-such-photo")
                requests.request(method.upper(), self.server.url(url), timeout=REQUEST_TIMEOUT,
                                 headers=self.server.auth_headers())
        # And what the server answers beyond that.
        for url in ("/", "/healthz", "/readyz", "/metrics", "/api/v1/photos",
                    photo["urls"]["original"], photo["urls"]["thumb"], photo["urls"]["preview"],
                    f"/api/v1/photos/{photo['id']}"):
            self.server.get(url)
        samples, _ = parse_metrics(self.server.get("/metrics").text)
        answered = {(dict(ls)["method"], dict(ls)["route"]) for (n, ls) in samples
                    if n == "http_requests_total" and dict(ls).get("route") != "unmatched"}
        self.assertGreaterEqual(len(answered), 9)
        for method, route in sorted(answered):
            with self.subTest(method=method, route=route):
                self.assertIn(route, spec["paths"], f"{route} is not in the OpenAPI document")
                self.assertIn(method.lower(), spec["paths"][route],
                              f"{method} {route} is not in the OpenAPI document")


class ReadinessTest(GalleryTestCase):
    def test_readyz_fails_when_storage_is_unusable(self):
        """With DATA/pictures replaced by a file, /readyz → 503 problem+json
        naming the storage (liveness stays 200); once repaired, 200 again."""
        server = self.start_test_server()
        self.assertEqual(server.get("/readyz").status_code, 200)
        pictures = server.pictures_dir
        backup = pictures.with_name("pictures.moved")
        pictures.rename(backup)
        pictures.write_text("not a directory")
        try:
            resp = server.get("/readyz")
            body = assert_problem(self, resp, 503, "/errors/service-unavailable")
            self.assertIn("storage", body["detail"])
            self.assertIn("Retry-After", resp.headers)
            self.assertEqual(server.get("/healthz").status_code, 200)
        finally:
            pictures.unlink()
            backup.rename(pictures)
        self.assertEqual(server.get("/readyz").status_code, 200)


class ConfigurationTest(unittest.TestCase):
    """The binary's command line, without serving."""

    def run_binary(self, *args, env=None):
        full_env = {"PATH": "/usr/bin:/bin"}
        full_env.update(env or {})
        return subprocess.run([binary_path(), *args], capture_output=True, text=True,
                              timeout=30, env=full_env)

    def test_bad_value_names_the_variable(self):
        proc = self.run_binary(env={"GALLERY_MAX_PIXELS": "abc"})
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("GALLERY_MAX_PIXELS", proc.stderr + proc.stdout)
        flag = self.run_binary("--max-pixels", "-5")
        self.assertNotEqual(flag.returncode, 0)
        self.assertIn("GALLERY_MAX_PIXELS", flag.stderr + flag.stdout)

    def test_other_bad_values(self):
        for env in ({"GALLERY_LISTEN": "nonsense"}, {"GALLERY_STORAGE": "ftp"},
                    {"GALLERY_MAX_UPLOAD_BYTES": "lots"}, {"GALLERY_SHUTDOWN_GRACE": "soon"}):
            with self.subTest(env=env):
                proc = self.run_binary(env=env)
                self.assertNotEqual(proc.returncode, 0)
                self.assertIn(next(iter(env)), proc.stderr + proc.stdout)

    def test_unknown_flag_fails(self):
        proc = self.run_binary("--no-such-flag")
        self.assertNotEqual(proc.returncode, 0)

    def test_help(self):
        proc = self.run_binary("--help")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for name in ("GALLERY_LISTEN", "GALLERY_DATA_DIR", "GALLERY_MAX_PIXELS",
                     "GALLERY_MAX_UPLOAD_BYTES", "--max-pixels"):
            self.assertIn(name, proc.stdout)

    def test_version(self):
        proc = self.run_binary("--version")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, r"\d+\.\d+\.\d+")

    def test_port_in_use_fails_cleanly(self):
        """A second server on a taken port exits non-zero saying why."""
        with socket_listening() as port:
            data_dir = tempfile.mkdtemp(prefix="gallery-it-cfg-")
            self.addCleanup(shutil.rmtree, data_dir, True)
            proc = self.run_binary("--listen", f"127.0.0.1:{port}", "--data-dir", data_dir)
            self.assertNotEqual(proc.returncode, 0)
            self.assertIn(str(port), proc.stderr + proc.stdout)


class socket_listening:
    """A listening socket on a free 127.0.0.1 port (context manager)."""

    def __enter__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()
        return False


if __name__ == "__main__":
    unittest.main()
