"""Starting and stopping a gallery server for benchmarks (never for tests).

The server runs on 127.0.0.1 on a free port with a throwaway data dir, under
/usr/bin/time -v so that its peak RSS can be read when it stops.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request


class BenchServer:
    def __init__(self, binary, extra_env=None):
        self.binary = binary
        self.extra_env = extra_env or {}
        self.dir = tempfile.mkdtemp(prefix="gallery-bench-")
        self.proc = None
        self.port = None

    def __enter__(self):
        env = dict(os.environ, GALLERY_LISTEN="127.0.0.1:0",
                   GALLERY_DATA_DIR=os.path.join(self.dir, "data"),
                   **self.extra_env)
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
        return self

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


def upload(url, name, data):
    """Uploads one file with multipart/form-data; returns (status, json)."""
    boundary = "benchboundary" + os.urandom(8).hex()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + data + \
        f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(url + "/api/v1/photos", data=body, method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")
