#!/usr/bin/env python3
"""Benchmark: upload and read throughput with pictures on S3 (moto on
loopback) against pictures on local disk, same binary, side by side.

For each store, a fresh server (SQLite metadata in both, so the store is
the only difference) takes N distinct uploads of the 12 MP photo from C
concurrent clients (copies differ by bytes after the JPEG's end-of-image
marker; 503 answers are retried after a pause, as a client should), then
M reads of random originals and M reads of random thumbnails from C
clients. The thumbnail cache is off (GALLERY_CACHE_BYTES=0), so every read
goes to the store. The two stores take turns for R rounds; the table shows
the median of the rounds and the S3/local ratio.

moto is a Python program sharing the machine's cores with the server and
the clients: the S3 figures measure the server's S3 path (signing, HTTP,
retries) plus moto's own cost, an upper bound on the overhead of a real S3
bucket, which runs elsewhere. IAM enforcement is off in moto here (it only
adds moto-side policy evaluation; the tests run with it on).

Usage: s3_vs_local.py BUILD_DIR TESTDATA [--uploads N] [--reads M]
                      [--clients C] [--rounds R]
"""
import argparse
import os
import pathlib
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request

from bench_server import BenchServer, upload

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "cloud"))
from cloud_world import BUCKET, PREFIX, REGION, Moto  # noqa: E402

PHOTO = "large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg"


def run_parallel(clients, jobs, work):
    """Runs work(job) for every job on `clients` threads; returns seconds."""
    lock = threading.Lock()
    queue = list(jobs)
    errors = []

    def worker():
        while True:
            with lock:
                if not queue or errors:
                    return
                job = queue.pop()
            try:
                work(job)
            except Exception as e:  # reported after the run
                with lock:
                    errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.monotonic() - start


def fetch(server, path):
    """GETs `path` with the server's API token; returns the (non-empty) body."""
    req = urllib.request.Request(server.url + path, headers=server.auth_headers())
    with urllib.request.urlopen(req, timeout=120) as r:
        body = r.read()
        if r.status != 200 or not body:
            raise RuntimeError(f"GET {path}: {r.status}")
        return body


def measure(server, photo, args, seed):
    """(uploads/s, original reads/s, thumb reads/s) against one server."""
    ids, lock = [], threading.Lock()

    def upload_one(i):
        data = photo + b"bench-s3-vs-local-%d-%d" % (seed, i)
        for _ in range(100):
            status, body = upload(server, f"copy{i}.jpg", data)
            if status == 503:
                time.sleep(0.2)
                continue
            if status != 201:
                raise RuntimeError(f"upload answered {status}: {body}")
            with lock:
                ids.append(body["photos"][0]["id"])
            return
        raise RuntimeError("upload still refused after 100 tries")

    up = run_parallel(args.clients, range(args.uploads), upload_one)
    rng = random.Random(seed)
    originals = [rng.choice(ids) for _ in range(args.reads)]
    thumbs = [rng.choice(ids) for _ in range(args.reads)]
    orig = run_parallel(args.clients, originals,
                        lambda i: fetch(server, f"/api/v1/photos/{i}/original"))
    thumb = run_parallel(args.clients, thumbs,
                         lambda i: fetch(server, f"/api/v1/photos/{i}/thumb"))
    return args.uploads / up, args.reads / orig, args.reads / thumb


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("testdata")
    ap.add_argument("--uploads", type=int, default=24)
    ap.add_argument("--reads", type=int, default=200)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    binary = os.path.join(args.build, "gallery")
    photo = open(os.path.join(args.testdata, PHOTO), "rb").read()
    common = {"GALLERY_CACHE_BYTES": "0", "GALLERY_METRICS_INTERVAL": "0"}

    results = {"local": [], "s3": []}
    for round_index in range(args.rounds):
        for store in ("local", "s3"):
            moto = None
            env = dict(common)
            if store == "s3":
                moto = Moto()
                moto.start(enforce_iam=False)
                env.update({
                    "GALLERY_STORAGE": "s3", "GALLERY_S3_BUCKET": BUCKET,
                    "GALLERY_S3_PREFIX": PREFIX, "GALLERY_S3_REGION": REGION,
                    "GALLERY_S3_ENDPOINT": moto.endpoint,
                    "GALLERY_S3_FORCE_PATH_STYLE": "true",
                    "AWS_ACCESS_KEY_ID": "AKIABENCHBENCHBENCH0",
                    "AWS_SECRET_ACCESS_KEY": "bench" * 8})
            try:
                with BenchServer(binary, env) as server:
                    results[store].append(measure(server, photo, args, round_index))
            finally:
                if moto is not None:
                    moto.close()
            print(f"round {round_index + 1} {store}: uploads/s {results[store][-1][0]:.2f}, "
                  f"originals/s {results[store][-1][1]:.1f}, thumbs/s "
                  f"{results[store][-1][2]:.1f}", file=sys.stderr)

    print(f"S3 (moto) vs local disk: {args.uploads} uploads of the 12 MP photo "
          f"({len(photo) / 1e6:.1f} MB), {args.reads} original and {args.reads} thumbnail "
          f"reads, {args.clients} concurrent clients, median of {args.rounds} rounds")
    print("| | local disk | S3 (moto) | S3 / local |")
    print("|---|---:|---:|---:|")
    for index, label in enumerate(("uploads/s", "original reads/s", "thumbnail reads/s")):
        local = statistics.median(r[index] for r in results["local"])
        s3 = statistics.median(r[index] for r in results["s3"])
        print(f"| {label} | {local:.2f} | {s3:.2f} | {s3 / local:.2f} |")


if __name__ == "__main__":
    main()
