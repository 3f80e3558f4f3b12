"""Starting and stopping a gallery server for benchmarks (never for tests).

The server runs on 127.0.0.1 on a free port with a throwaway data dir, under
/usr/bin/time -v so that its peak RSS can be read when it stops.

Every /api/v1 call needs credentials: the server starts with a first admin
(ADMIN_EMAIL, ADMIN_PASSWORD; created when the database has no user), which
signs in (a cookie session) and makes a personal API token; server.token and
server.auth_headers() carry it (`Authorization: Bearer ...`), as a script or
an app would call the API.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

# The first admin of every benchmark server.
ADMIN_EMAIL = "bench@example.test"
ADMIN_PASSWORD = "bench-admin-password"
SESSION_COOKIE = "gallery_session"


class BenchServer:
    def __init__(self, binary, extra_env=None):
        self.binary = binary
        self.extra_env = extra_env or {}
        self.dir = tempfile.mkdtemp(prefix="gallery-bench-")
        self.proc = None
        self.port = None
        self.token = None

    def __enter__(self):
        env = dict(os.environ, GALLERY_LISTEN="127.0.0.1:0",
                   GALLERY_DATA_DIR=os.path.join(self.dir, "data"),
                   GALLERY_ADMIN_EMAIL=ADMIN_EMAIL, GALLERY_ADMIN_PASSWORD=ADMIN_PASSWORD)
        env.update(self.extra_env)
        self.log = open(os.path.join(self.dir, "server.log"), "w+")
        self.time_file = os.path.join(self.dir, "time.txt")
        self.proc = subprocess.Popen(
            ["/usr/bin/time", "-v", "-o", self.time_file, self.binary],
            stdout=subprocess.PIPE, stderr=self.log, env=env, text=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("gallery exited during start-up")
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("msg") == "listening":
                self.port = entry["port"]
                break
        if self.port is None:
            raise RuntimeError("gallery did not say which port it listens on")
        # Drain stdout (access log lines) so the server never blocks on it.
        self._drain = subprocess.Popen(["cat"], stdin=self.proc.stdout,
                                       stdout=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        urllib.request.urlopen(self.url + "/healthz", timeout=5).read()
        self.token = self._make_token()
        return self

    def _make_token(self):
        """Signs the first admin in and returns a new personal API token."""
        login = urllib.request.Request(
            self.url + "/api/v1/auth/login", method="POST",
            data=json.dumps({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(login, timeout=30) as r:
            csrf = json.loads(r.read())["csrf_token"]
            cookies = [c.split(";", 1)[0] for c in r.headers.get_all("Set-Cookie") or []]
        session = [c for c in cookies if c.startswith(SESSION_COOKIE + "=")]
        if not session:
            raise RuntimeError(f"sign-in set no {SESSION_COOKIE} cookie")
        create = urllib.request.Request(
            self.url + "/api/v1/tokens", method="POST",
            data=json.dumps({"name": "bench"}).encode(),
            headers={"Content-Type": "application/json", "Cookie": session[0],
                     "X-CSRF-Token": csrf})
        with urllib.request.urlopen(create, timeout=30) as r:
            return json.loads(r.read())["token"]

    def auth_headers(self):
        """{"Authorization": "Bearer <the first admin's API token>"}."""
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path, timeout=120):
        """GETs `path` with the token; returns the body (raises on an error)."""
        req = urllib.request.Request(self.url + path, headers=self.auth_headers())
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.read()

    def stop(self):
        """Stops the server with SIGTERM; returns its peak RSS in MiB."""
        # /usr/bin/time forwards nothing: signal the server, its only child.
        children = subprocess.run(["pgrep", "-P", str(self.proc.pid)],
                                  capture_output=True, text=True).stdout.split()
        for pid in children:
            os.kill(int(pid), signal.SIGTERM)
        self.proc.wait(timeout=60)
        self._drain.wait(timeout=10)
        with open(self.time_file) as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
        return int(m.group(1)) / 1024 if m else float("nan")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def upload(server, name, data):
    """Uploads one file to `server` (a BenchServer, with its token) with
    multipart/form-data; returns (status, json)."""
    boundary = "benchboundary" + os.urandom(8).hex()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + data + \
        f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(
        server.url + "/api/v1/photos", data=body, method="POST",
        headers={**server.auth_headers(),
                 "Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")
