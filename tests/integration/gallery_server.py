"""Harness for the integration tests: starts the real `gallery` binary.

GalleryServer starts the binary on 127.0.0.1 with port 0 and a fresh data
directory, reads the chosen port from its "listening" log line, waits for
/healthz, keeps stdout and stderr in files for post-mortems, and stops it
(SIGTERM, then SIGKILL when it does not exit in time). It is a context
manager; GalleryTestCase wires it into setUpClass / addClassCleanup and prints
the server's log tail when a test fails.

The binary comes from GALLERY_BINARY and the test images from
GALLERY_TESTDATA (both set by CTest). A missing one is an error, never a skip.

Accounts: by default a server starts with GALLERY_ADMIN_EMAIL/PASSWORD
(ADMIN_EMAIL, ADMIN_PASSWORD), so its first admin exists, and once it
answers the harness signs in and makes a personal API token for that admin.
server.get/post/put/patch/delete/upload then send it
(`Authorization: Bearer ...`), so tests call authenticated routes as before;
server.auth_headers() gives the header for hand-made requests. Other
identities are Clients: server.anonymous() (no credentials),
server.login(email, password) (a cookie session that sends its CSRF token on
changes), server.user_client(email) (a new user with its own Bearer token).
GalleryServer(auth=False) starts without a first admin and signs nothing in.
"""

import hashlib
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import requests

# Generous per-request timeout: uploads of large pictures on a busy 2-core box.
REQUEST_TIMEOUT = 120
START_TIMEOUT = 30

# The first admin of every test server (GalleryServer(auth=True), the default).
ADMIN_EMAIL = "admin@example.test"
ADMIN_PASSWORD = "admin-test-password"
# The password create_user and user_client give users unless told otherwise.
USER_PASSWORD = "user-test-password"
SESSION_COOKIE = "gallery_session"


def binary_path():
    """The gallery binary under test (GALLERY_BINARY); raises when unusable."""
    path = os.environ.get("GALLERY_BINARY")
    if not path:
        raise RuntimeError(
            "GALLERY_BINARY is not set: run these tests through CTest, or set it to the "
            "path of the built 'gallery' binary")
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        raise RuntimeError(f"GALLERY_BINARY={path} is not an executable file; build the "
                           "'gallery' target first")
    return path


def testdata_dir():
    """The shared test images (GALLERY_TESTDATA); raises when missing."""
    path = os.environ.get("GALLERY_TESTDATA")
    if not path:
        raise RuntimeError("GALLERY_TESTDATA is not set: point it at the shared test images")
    root = pathlib.Path(path)
    for sub in ("formats", "exif-orientation", "camera-exif", "large", "malformed"):
        if not (root / sub).is_dir():
            raise RuntimeError(f"GALLERY_TESTDATA={path} has no {sub}/ folder")
    return root


def testdata(relative):
    """Path of one test file; raises when it is missing."""
    path = testdata_dir() / relative
    if not path.exists():
        raise RuntimeError(f"test file missing: {path}")
    return path


def read_testdata(relative):
    return testdata(relative).read_bytes()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class Client:
    """HTTP calls to one server as one identity.

    token: a personal API token, sent as `Authorization: Bearer <token>`.
    session_token/csrf_token: a signed-in cookie session; the CSRF token goes
    out as X-CSRF-Token on POST, PUT, PATCH and DELETE (pass csrf=False to a
    call to leave it out). Neither: anonymous.
    """

    def __init__(self, server, token=None, session_token=None, csrf_token=None, user=None):
        self.server = server
        self.token = token
        self.session_token = session_token
        self.csrf_token = csrf_token
        self.user = user  # the User JSON, when known
        self.http = requests.Session()

    def auth_headers(self):
        """The headers that carry this identity (without the CSRF token)."""
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.session_token:
            return {"Cookie": f"{SESSION_COOKIE}={self.session_token}"}
        return {}

    def request(self, method, path, csrf=True, **kwargs):
        headers = dict(self.auth_headers())
        if (csrf and self.csrf_token and method.upper() in ("POST", "PUT", "PATCH", "DELETE")):
            headers["X-CSRF-Token"] = self.csrf_token
        headers.update(kwargs.pop("headers", None) or {})
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return self.http.request(method, self.server.url(path), headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def create_token(self, name="tests"):
        """Makes a personal API token for this identity; returns the token."""
        resp = self.post("/api/v1/tokens", json={"name": name})
        if resp.status_code != 201:
            raise AssertionError(f"creating a token answered {resp.status_code}: {resp.text}")
        return resp.json()["token"]

    def upload(self, files, **kwargs):
        """POSTs multipart parts named 'file' (see GalleryServer.upload)."""
        parts = [("file", (f[0], f[1], f[2] if len(f) > 2 else "application/octet-stream"))
                 for f in files]
        return self.post("/api/v1/photos", files=parts, **kwargs)

    def upload_one(self, name, data):
        resp = self.upload([(name, data)])
        if resp.status_code not in (200, 201):
            raise AssertionError(f"upload of {name} answered {resp.status_code}: {resp.text}")
        return resp.json()["photos"][0]

    def close(self):
        self.http.close()


class GalleryServer:
    """One running gallery process with its own data directory.

    extra_args: more command-line flags; env: more environment variables;
    data_dir: reuse this data directory (it is then not removed on close);
    auth: start with the first admin (ADMIN_EMAIL) and send its API token
    on server.get/post/... (see the module doc).
    """

    def __init__(self, extra_args=(), env=None, data_dir=None, auth=True):
        self.extra_args = list(extra_args)
        self.auth = auth
        self.extra_env = {}
        if auth:
            self.extra_env = {"GALLERY_ADMIN_EMAIL": ADMIN_EMAIL,
                              "GALLERY_ADMIN_PASSWORD": ADMIN_PASSWORD}
        self.extra_env.update(env or {})
        self.admin_token = None
        self.workdir = pathlib.Path(tempfile.mkdtemp(prefix="gallery-it-"))
        self.data_dir = pathlib.Path(data_dir) if data_dir else self.workdir / "data"
        self.stdout_path = self.workdir / "stdout.log"
        self.stderr_path = self.workdir / "stderr.log"
        self.process = None
        self.port = None
        self.exit_code = None
        self.session = requests.Session()
        self._final_tail = None

    # -- lifecycle ---------------------------------------------------------

    def start(self):
        """Starts the process and returns once /healthz answers 200."""
        binary = binary_path()
        env = {k: v for k, v in os.environ.items() if not k.startswith("GALLERY_")}
        env.update(self.extra_env)
        args = [binary, "--listen", "127.0.0.1:0", "--data-dir", str(self.data_dir),
                "--metrics-interval", "0"] + self.extra_args
        self._stdout = open(self.stdout_path, "ab")
        self._stderr = open(self.stderr_path, "ab")
        self.port = None
        self.exit_code = None
        self.process = subprocess.Popen(args, stdout=self._stdout, stderr=self._stderr,
                                        stdin=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + START_TIMEOUT
        while self.port is None:
            if self.process.poll() is not None:
                raise RuntimeError(f"gallery exited with {self.process.returncode} during "
                                   f"start\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"gallery did not log 'listening' within {START_TIMEOUT}s\n"
                                   f"{self.log_tail()}")
            for line in self.log_lines():
                if line.get("msg") == "listening" and isinstance(line.get("port"), int):
                    self.port = line["port"]
                    break
            else:
                time.sleep(0.02)
        while True:
            try:
                if self.session.get(self.url("/healthz"), timeout=2).status_code == 200:
                    if self.auth:
                        self._sign_in_admin()
                    return self
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.kill()
                raise RuntimeError(f"gallery did not answer /healthz\n{self.log_tail()}")
            time.sleep(0.02)

    def _sign_in_admin(self):
        """Makes a personal API token for the first admin and sends it on
        every call made through server.get/post/... from now on."""
        self.admin_token = self.login(ADMIN_EMAIL, ADMIN_PASSWORD).create_token("harness")
        self.session.headers["Authorization"] = f"Bearer {self.admin_token}"

    def stop(self, timeout=30):
        """SIGTERM, wait up to `timeout` s, then SIGKILL. Returns the exit code."""
        if self.process is None:
            return self.exit_code
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self.exit_code = self.process.returncode
        self.process = None
        self._stdout.close()
        self._stderr.close()
        return self.exit_code

    def kill(self):
        """SIGKILL the process (no graceful shutdown) and reap it."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def close(self):
        """Stops the process and removes its temporary files (the data
        directory too, unless it was given to the constructor)."""
        self.stop()
        self.session.close()
        self._final_tail = self.log_tail()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.close()  # __exit__ is not called when __enter__ raises
            raise

    def __exit__(self, *exc):
        if exc[0] is not None:
            self.print_log_tail()
        self.close()
        return False

    def alive(self):
        return self.process is not None and self.process.poll() is None

    # -- requests ------------------------------------------------------------

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path):
        return self.base_url + path

    # -- accounts --------------------------------------------------------

    def auth_headers(self):
        """{"Authorization": "Bearer <the admin's token>"}; {} with auth=False."""
        return {"Authorization": f"Bearer {self.admin_token}"} if self.admin_token else {}

    def anonymous(self):
        """A Client with no credentials."""
        return Client(self)

    def admin(self):
        """A Client with the first admin's API token."""
        return Client(self, token=self.admin_token)

    def login(self, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, headers=None):
        """Signs in; returns a Client holding the session cookie and its
        CSRF token. Raises AssertionError unless the answer is 200."""
        resp = requests.post(self.url("/api/v1/auth/login"),
                             json={"email": email, "password": password},
                             headers=headers or {}, timeout=REQUEST_TIMEOUT)
        if resp.status_code != 200:
            raise AssertionError(f"sign-in of {email} answered {resp.status_code}: {resp.text}")
        session_token = resp.cookies.get(SESSION_COOKIE)
        if not session_token:
            raise AssertionError(f"sign-in set no {SESSION_COOKIE} cookie: {resp.headers}")
        body = resp.json()
        return Client(self, session_token=session_token, csrf_token=body["csrf_token"],
                      user=body["user"])

    def create_user(self, email, password=USER_PASSWORD, role="user", quota_bytes=0):
        """Creates a user as the first admin; returns the User JSON."""
        resp = self.admin().post("/api/v1/users", json={
            "email": email, "password": password, "role": role, "quota_bytes": quota_bytes})
        if resp.status_code != 201:
            raise AssertionError(f"creating {email} answered {resp.status_code}: {resp.text}")
        return resp.json()

    def user_client(self, email, password=USER_PASSWORD, role="user", quota_bytes=0):
        """A new user (made by the admin) and a Client with their own API token."""
        user = self.create_user(email, password, role, quota_bytes)
        token = self.login(email, password).create_token("tests")
        return Client(self, token=token, user=user)

    # -- requests ------------------------------------------------------------

    def get(self, path, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return self.session.get(self.url(path), **kwargs)

    def post(self, path, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return self.session.post(self.url(path), **kwargs)

    def put(self, path, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return self.session.put(self.url(path), **kwargs)

    def patch(self, path, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return self.session.patch(self.url(path), **kwargs)

    def delete(self, path, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return self.session.delete(self.url(path), **kwargs)

    def upload(self, files, **kwargs):
        """POSTs multipart parts named 'file'.

        files: list of (filename, bytes) or (filename, bytes, content_type).
        """
        parts = []
        for f in files:
            name, data = f[0], f[1]
            ctype = f[2] if len(f) > 2 else "application/octet-stream"
            parts.append(("file", (name, data, ctype)))
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        kwargs["headers"] = {**self.auth_headers(), **(kwargs.get("headers") or {})}
        # A fresh connection per upload: a refused body closes the connection.
        return requests.post(self.url("/api/v1/photos"), files=parts, **kwargs)

    def upload_one(self, name, data):
        """Uploads one file; returns its Photo JSON (asserting 200/201)."""
        resp = self.upload([(name, data)])
        if resp.status_code not in (200, 201):
            raise AssertionError(f"upload of {name} answered {resp.status_code}: {resp.text}")
        return resp.json()["photos"][0]

    def list_all_photos(self, limit=200):
        """Every Photo, following next_cursor."""
        photos, cursor = [], None
        while True:
            params = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            resp = self.get("/api/v1/photos", params=params)
            if resp.status_code != 200:
                raise AssertionError(f"list answered {resp.status_code}: {resp.text}")
            body = resp.json()
            photos.extend(body["photos"])
            cursor = body["next_cursor"]
            if cursor is None:
                return photos

    # -- data directory ------------------------------------------------------

    @property
    def pictures_dir(self):
        return self.data_dir / "pictures"

    @property
    def spool_dir(self):
        return self.data_dir / "spool"

    def blob_files(self):
        """Relative paths of every file under DATA/pictures."""
        root = self.pictures_dir
        if not root.is_dir():
            return set()
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    def spool_files(self):
        root = self.spool_dir
        if not root.is_dir():
            return []
        return sorted(p.name for p in root.iterdir())

    # -- logs --------------------------------------------------------------

    def log_lines(self):
        """The JSON lines the server wrote to stdout so far (others skipped)."""
        lines = []
        try:
            text = self.stdout_path.read_text(errors="replace")
        except FileNotFoundError:
            return lines
        for raw in text.splitlines():
            raw = raw.strip()
            if not raw.startswith("{"):
                continue
            try:
                lines.append(json.loads(raw))
            except ValueError:
                continue
        return lines

    def wait_for_log(self, predicate, timeout=10):
        """The first log line matching `predicate`, polling until `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.log_lines():
                if predicate(line):
                    return line
            if time.monotonic() > deadline:
                return None
            time.sleep(0.02)

    def log_tail(self, n=40):
        if getattr(self, "_final_tail", None) and not self.workdir.exists():
            return self._final_tail
        out = []
        for label, path in (("stdout", self.stdout_path), ("stderr", self.stderr_path)):
            try:
                lines = path.read_text(errors="replace").splitlines()
            except FileNotFoundError:
                lines = []
            out.append(f"--- gallery {label} (last {n} lines) ---")
            out.extend(lines[-n:])
        return "\n".join(out)

    def print_log_tail(self, n=40):
        print(self.log_tail(n), file=sys.stderr)


def multipart_body(parts, boundary="gallery-test-boundary", close=True):
    """A multipart/form-data body built byte by byte (no client escaping).

    parts: list of (field_name, filename or None, data bytes). With
    close=False the closing delimiter is left out.
    """
    out = bytearray()
    for name, filename, data in parts:
        out += f"--{boundary}\r\n".encode()
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += f"Content-Disposition: {disposition}\r\n".encode("utf-8")
        out += b"Content-Type: application/octet-stream\r\n\r\n"
        out += data + b"\r\n"
    if close:
        out += f"--{boundary}--\r\n".encode()
    return bytes(out)


class RawResponse:
    """A response read off a raw socket: status, headers (lower-case), body."""

    def __init__(self, status, headers, body):
        self.status_code = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


def read_raw_response(sock, timeout=30):
    """Reads one HTTP/1.1 response (Content-Length framed) from `sock`."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"connection closed before a full header: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return RawResponse(status, headers, body[:length])


def raw_request(port, request_bytes, timeout=30):
    """Sends bytes as they are on a fresh connection; returns the response."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request_bytes)
        return read_raw_response(sock, timeout)


def assert_problem(test, resp, status, type_suffix):
    """Asserts `resp` is an application/problem+json error of the given kind."""
    test.assertEqual(resp.status_code, status,
                     f"expected {status} {type_suffix}, got {resp.status_code}: {resp.text[:500]}")
    ctype = resp.headers.get("Content-Type") or resp.headers.get("content-type") or ""
    test.assertTrue(ctype.startswith("application/problem+json"),
                    f"Content-Type {ctype!r} is not problem+json")
    body = resp.json()
    for key in ("type", "title", "status", "detail", "request_id"):
        test.assertIn(key, body, f"problem lacks '{key}': {body}")
    test.assertEqual(body["status"], status)
    test.assertTrue(body["type"].endswith(type_suffix),
                    f"problem type {body['type']!r} does not end with {type_suffix!r}")
    request_id = resp.headers.get("X-Request-Id") or resp.headers.get("x-request-id")
    test.assertTrue(request_id, "no X-Request-Id header on the error")
    test.assertEqual(body["request_id"], request_id)
    return body


class GalleryTestCase(unittest.TestCase):
    """Base class: start_server() in setUpClass; logs printed on failure."""

    _servers = ()

    @classmethod
    def start_server(cls, *args, **kwargs):
        """Starts a GalleryServer that is stopped when the class finishes."""
        server = GalleryServer(*args, **kwargs)
        cls.addClassCleanup(server.close)
        try:
            server.start()
        except Exception:
            server.print_log_tail()
            raise
        cls._servers = tuple(cls._servers) + (server,)
        return server

    def start_test_server(self, *args, **kwargs):
        """Starts a GalleryServer for this test only."""
        server = GalleryServer(*args, **kwargs)
        self.addCleanup(server.close)
        self._test_servers = getattr(self, "_test_servers", ()) + (server,)
        try:
            server.start()
        except Exception:
            server.print_log_tail()
            raise
        return server

    def run(self, result=None):
        if result is None:
            result = self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        servers = list(type(self)._servers)
        out = super().run(result)
        if len(result.failures) + len(result.errors) > before:
            for server in servers + list(getattr(self, "_test_servers", ())):
                server.print_log_tail()
        return out
