#!/usr/bin/env python3
"""Benchmark 2: serving a cached thumbnail, gallery vs nginx, side by side.

Both serve the same 512 px JPEG thumbnail; wrk -t2 -c64 for a fixed time
against each, alternating, several rounds; medians of requests/s and p99.
Usage: serve_thumbnail.py BUILD_DIR TESTDATA [--seconds N] [--rounds N]
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request

from bench_server import BenchServer, upload

NGINX_CONF = """
worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  # Both servers log every request: ours writes a JSON line per request.
  access_log {dir}/access.log;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  open_file_cache max=100;
  client_body_temp_path {dir}/tmp;
  proxy_temp_path {dir}/tmp;
  fastcgi_temp_path {dir}/tmp;
  uwsgi_temp_path {dir}/tmp;
  scgi_temp_path {dir}/tmp;
  server {{
    listen 127.0.0.1:{port};
    location / {{ root {dir}/www; etag on; }}
  }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_wrk(url, seconds, headers=None):
    args = ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx.group(1)} error responses")
    return rps, float(p99.group(1)) * scale


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("testdata")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    photo = os.path.join(args.testdata, "large", "ianare_42_IndexError_OlympusE-P3_4032x3024.jpg")
    tmp = tempfile.mkdtemp(prefix="bench-nginx-")
    os.chmod(tmp, 0o755)  # nginx workers run as an unprivileged user
    nginx = None
    try:
        with BenchServer(os.path.join(args.build, "gallery")) as server:
            status, body = upload(server, "photo.jpg", open(photo, "rb").read())
            assert status in (200, 201), body
            thumb_path = body["photos"][0]["urls"]["thumb"]
            thumb_url = server.url + thumb_path
            thumb = server.get(thumb_path)  # also warms the cache
            os.makedirs(os.path.join(tmp, "www"))
            os.makedirs(os.path.join(tmp, "tmp"))
            with open(os.path.join(tmp, "www", "thumb.jpg"), "wb") as f:
                f.write(thumb)
            port = free_port()
            with open(os.path.join(tmp, "nginx.conf"), "w") as f:
                f.write(NGINX_CONF.format(dir=tmp, port=port))
            nginx = subprocess.Popen(["nginx", "-c", os.path.join(tmp, "nginx.conf"),
                                      "-g", "daemon off;"])
            nginx_url = f"http://127.0.0.1:{port}/thumb.jpg"
            for _ in range(50):
                try:
                    assert urllib.request.urlopen(nginx_url).read() == thumb
                    break
                except OSError:
                    time.sleep(0.1)
            results = {"gallery": [], "nginx": []}
            for _ in range(args.rounds):
                # With the API token, as the owner's app would fetch it.
                results["gallery"].append(run_wrk(thumb_url, args.seconds,
                                                  server.auth_headers()))
                results["nginx"].append(run_wrk(nginx_url, args.seconds))
            peak = server.stop()
        print(f"Serving a cached {len(thumb)}-byte thumbnail: wrk -t2 -c64 -d{args.seconds}s, "
              f"{args.rounds} rounds alternating, medians")
        print(f"{'server':<10}{'req/s':>12}{'p99 ms':>10}")
        med = {}
        for name, runs in results.items():
            med[name] = (statistics.median(r for r, _ in runs), statistics.median(p for _, p in runs))
            print(f"{name:<10}{med[name][0]:>12.0f}{med[name][1]:>10.2f}")
        print(f"gallery/nginx requests per second: {med['gallery'][0] / med['nginx'][0]:.2f} "
              f"(target >= 0.60); gallery p99 {med['gallery'][1]:.2f} ms (target < 10 ms); "
              f"gallery peak RSS {peak:.0f} MiB")
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
