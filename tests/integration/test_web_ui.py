"""Serving the web UI: the built files from memory with their caching
headers, precompressed variants, the Content-Security-Policy, the client
routes answered with index.html without hiding the API's 404s, and what
happens when the UI is not built.

The web root here is made by the test (an index.html and hashed assets with
.br/.gz siblings, as the build emits them), so this suite needs no npm; the
browser tests (tests/browser) use the real build."""

import gzip
import pathlib
import shutil
import subprocess
import tempfile
import unittest

from gallery_server import (GalleryServer, GalleryTestCase, assert_problem, binary_path,
                            raw_request)

INDEX = b"<!doctype html><html><head><script type=module src=/assets/index-Ab12Cd.js></script>" \
        b"</head><body><div id=app></div></body></html>\n" + b"<!-- padding -->\n" * 40
SCRIPT = b"console.log('the app');\n" * 200
BROTLI = b"pretend-brotli-bytes"  # served as they are: the server never recompresses


def make_web_root():
    root = pathlib.Path(tempfile.mkdtemp(prefix="gallery-it-web-"))
    (root / "assets").mkdir()
    (root / "index.html").write_bytes(INDEX)
    (root / "index.html.gz").write_bytes(gzip.compress(INDEX))
    (root / "assets" / "index-Ab12Cd.js").write_bytes(SCRIPT)
    (root / "assets" / "index-Ab12Cd.js.gz").write_bytes(gzip.compress(SCRIPT))
    (root / "assets" / "index-Ab12Cd.js.br").write_bytes(BROTLI)
    (root / "favicon.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    return root


class WebUiServingTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = make_web_root()
        cls.addClassCleanup(shutil.rmtree, cls.root, True)
        cls.server = cls.start_server(extra_args=["--web-dir", str(cls.root)])

    def test_client_routes_answer_the_app(self):
        for path in ("/", "/albums", "/albums/some-id", "/trash", "/login", "/settings",
                     "/s/some-token"):
            with self.subTest(path=path):
                resp = self.server.get(path, headers={"Accept-Encoding": "identity"})
                self.assertEqual(resp.status_code, 200)
                self.assertEqual(resp.content, INDEX)
                self.assertEqual(resp.headers["Content-Type"], "text/html; charset=utf-8")
                self.assertEqual(resp.headers["Cache-Control"], "no-cache")
                self.assertTrue(resp.headers["ETag"].startswith('"'))
                csp = resp.headers["Content-Security-Policy"]
                for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                                  "object-src 'none'", "frame-ancestors 'none'"):
                    self.assertIn(directive, csp)
                self.assertNotIn("unsafe-inline", csp)
                self.assertEqual(resp.headers["Referrer-Policy"], "no-referrer")
                self.assertEqual(resp.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(self.server.get("/s/t").headers["X-Robots-Tag"], "noindex, nofollow")

    def test_revalidation(self):
        first = self.server.get("/", headers={"Accept-Encoding": "identity"})
        again = self.server.get("/", headers={"Accept-Encoding": "identity",
                                              "If-None-Match": first.headers["ETag"]})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
        self.assertEqual(again.headers["ETag"], first.headers["ETag"])

    def test_hashed_assets_are_immutable_and_precompressed(self):
        path = "/assets/index-Ab12Cd.js"
        plain = self.server.get(path, headers={"Accept-Encoding": "identity"})
        self.assertEqual(plain.status_code, 200)
        self.assertEqual(plain.content, SCRIPT)
        self.assertEqual(plain.headers["Content-Type"], "text/javascript; charset=utf-8")
        self.assertEqual(plain.headers["Cache-Control"], "public, max-age=31536000, immutable")
        self.assertEqual(plain.headers["Vary"], "Accept-Encoding")
        self.assertNotIn("Content-Encoding", plain.headers)

        gz = self.server.get(path, headers={"Accept-Encoding": "gzip"})
        self.assertEqual(gz.headers["Content-Encoding"], "gzip")
        self.assertEqual(gz.content, SCRIPT)  # requests inflates it
        self.assertNotEqual(gz.headers["ETag"], plain.headers["ETag"])

        br = self.server.get(path, headers={"Accept-Encoding": "gzip, deflate, br"}, stream=True)
        self.assertEqual(br.headers["Content-Encoding"], "br")
        self.assertEqual(br.raw.read(decode_content=False), BROTLI)
        self.assertEqual(int(br.headers["Content-Length"]), len(BROTLI))

        self.assertEqual(self.server.get(path, headers={
            "Accept-Encoding": "br", "If-None-Match": br.headers["ETag"]}).status_code, 304)

    def test_other_files_are_revalidated(self):
        resp = self.server.get("/favicon.svg")
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(resp.headers["Content-Type"], "image/svg+xml")
        self.assertEqual(resp.headers["Cache-Control"], "no-cache")

    def test_head_has_the_headers_and_no_body(self):
        resp = self.server.session.head(self.server.url("/albums"),
                                        headers={"Accept-Encoding": "identity"})
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(int(resp.headers["Content-Length"]), len(INDEX))
        self.assertEqual(resp.content, b"")

    def test_api_and_unknown_paths_keep_their_404(self):
        for path in ("/api/v1/no-such-thing", "/api/v2", "/assets/index-Zz99.js",
                     "/nope", "/albums/a/b", "/index.html.gz"):
            with self.subTest(path=path):
                assert_problem(self, self.server.get(path), 404, "/errors/not-found")

    def test_no_way_out_of_the_web_root(self):
        for target in ("/assets/../index.html", "/assets/%2e%2e/%2e%2e/etc/passwd",
                       "/assets/..%2f..%2fetc%2fpasswd"):
            with self.subTest(target=target):
                resp = raw_request(self.server.port,
                                   f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                   .encode())
                self.assertIn(resp.status_code, (400, 404))
                self.assertNotIn(b"root:", resp.body)


class WebUiMissingTest(GalleryTestCase):
    def test_default_root_missing_shows_how_to_build(self):
        """Started elsewhere than the checkout (no ./web/dist): the API works and
        / tells the operator to build the UI."""
        server = self.start_test_server()
        resp = server.get("/")
        self.assertEqual(resp.status_code, 503)
        self.assertTrue(resp.headers["Content-Type"].startswith("text/html"))
        self.assertIn("make web", resp.text)
        self.assertEqual(server.get("/api/v1/openapi.json").status_code, 200)
        self.assertIsNotNone(server.wait_for_log(lambda l: l.get("msg", "").startswith(
            "web UI not built")))

    def test_explicit_root_missing_stops_the_start(self):
        data_dir = tempfile.mkdtemp(prefix="gallery-it-web-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        proc = subprocess.run(
            [binary_path(), "--listen", "127.0.0.1:0", "--data-dir", data_dir,
             "--web-dir", f"{data_dir}/no-such-dir"],
            capture_output=True, text=True, timeout=30, env={"PATH": "/usr/bin:/bin"})
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("GALLERY_WEB_DIR", proc.stderr)
        self.assertIn("make web", proc.stderr)


if __name__ == "__main__":
    unittest.main()
