#!/usr/bin/env python3
"""Benchmark: latency of listing a page of 100 photos, at 10 thousand and at
1 million photos, with SQLite and with PostgreSQL.

For each database the server is started once to create the schema (its own
migrations), stopped, and rows are bulk-inserted with SQL (Python's sqlite3
module; psql COPY for PostgreSQL, then ANALYZE, which autovacuum would do
on its own shortly after): first 10 000, measured, then 990 000 more,
measured again. The rows are what uploads make (ids, hashes, keys, sizes;
a third with no taken time, so the listing key mixes taken and upload
times), all owned by the server's first admin, who lists them with an API
token; no picture bytes exist, and the listing does not read any.

Measured through HTTP on one keep-alive connection, as a client pages:
  first page   GET /api/v1/photos?limit=100
  deep page    GET /api/v1/photos?limit=100&cursor=C, where C is the cursor
               the server itself handed out in the middle of the list
               (found by paging there with limit=200)
Each figure is the median (and 90th percentile) of many requests after a
warm-up. Metadata only: pictures stay on local disk (no S3 needed).

Usage: listing_latency.py BUILD_DIR [--requests N] [--sizes 10000,1000000]
"""
import argparse
import base64
import hashlib
import http.client
import json
import os
import pathlib
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time

from bench_server import ADMIN_EMAIL, BenchServer

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "cloud"))
from cloud_world import Postgres  # noqa: E402

COLUMNS = ("id", "owner_id", "filename", "content_type", "bytes", "width", "height", "frames",
           "taken_at_ms", "uploaded_at_ms", "sha256", "exif_json", "original_key",
           "thumb_key", "preview_key")
BASE_MS = 1_600_000_000_000  # September 2020


def row(i, owner_id):
    """Photo number i of `owner_id`, as an upload would have stored it."""
    digest = hashlib.sha256(b"listing-bench-%d" % i).digest()
    photo_id = base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
    uploaded = BASE_MS + i * 1000
    taken = None if i % 3 == 0 else uploaded - 86_400_000 * (i % 7)
    return (photo_id, owner_id, f"IMG_{i:07d}.jpg", "image/jpeg", 2_913_134, 4032, 3024, 1, taken,
            uploaded, hashlib.sha256(b"listing-bench-bytes-%d" % i).hexdigest(), "{}",
            f"photos/{photo_id}/original", f"photos/{photo_id}/thumb.jpg",
            f"photos/{photo_id}/preview.jpg")


def admin_id_sqlite(path):
    """The id of the first admin (BenchServer's), who owns the rows."""
    db = sqlite3.connect(path)
    try:
        (user_id,) = db.execute("SELECT id FROM users WHERE email = ?", (ADMIN_EMAIL,)).fetchone()
    finally:
        db.close()
    return user_id


def admin_id_postgres(postgres):
    return postgres.query(f"SELECT id FROM users WHERE email = '{ADMIN_EMAIL}'")[0][0]


def insert_sqlite(path, owner_id, start, end):
    db = sqlite3.connect(path)
    with db:
        db.executemany(f"INSERT INTO photos ({', '.join(COLUMNS)}) VALUES "
                       f"({', '.join('?' * len(COLUMNS))})",
                       (row(i, owner_id) for i in range(start, end)))
    db.close()


def insert_postgres(postgres, owner_id, start, end, batch=100_000):
    for first in range(start, end, batch):
        lines = []
        for i in range(first, min(end, first + batch)):
            lines.append("\t".join("\\N" if v is None else str(v) for v in row(i, owner_id)))
        postgres.query(f"COPY photos ({', '.join(COLUMNS)}) FROM STDIN",
                       stdin=("\n".join(lines) + "\n").encode())
    postgres.query("ANALYZE photos")


class Client:
    """GETs with the server's API token on one keep-alive connection;
    returns (seconds, JSON body)."""

    def __init__(self, server):
        self.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        self.headers = server.auth_headers()

    def get(self, path):
        start = time.perf_counter()
        self.conn.request("GET", path, headers=self.headers)
        resp = self.conn.getresponse()
        body = resp.read()
        elapsed = time.perf_counter() - start
        if resp.status != 200:
            raise RuntimeError(f"GET {path}: {resp.status} {body[:200]!r}")
        return elapsed, json.loads(body)

    def close(self):
        self.conn.close()


def cursor_at(client, position):
    """The server's cursor after `position` photos, paging with limit=200."""
    cursor, seen = None, 0
    while seen < position:
        limit = min(200, position - seen)
        path = f"/api/v1/photos?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        _, body = client.get(path)
        seen += len(body["photos"])
        cursor = body["next_cursor"]
        if cursor is None:
            raise RuntimeError(f"the list ended after {seen} photos")
    return cursor


def measure(server, size, requests):
    """{"first": [...], "deep": [...]} latencies in ms."""
    client = Client(server)
    try:
        cursor = cursor_at(client, size // 2)
        out = {}
        for name, path in (("first", "/api/v1/photos?limit=100"),
                           ("deep", f"/api/v1/photos?limit=100&cursor={cursor}")):
            for _ in range(20):  # warm-up
                client.get(path)
            times = []
            for _ in range(requests):
                elapsed, body = client.get(path)
                if len(body["photos"]) != 100:
                    raise RuntimeError(f"{path}: {len(body['photos'])} photos")
                times.append(elapsed * 1000)
            out[name] = times
        return out
    finally:
        client.close()


def run_database(kind, binary, sizes, requests, workdir):
    """Latencies per size for one database kind ("sqlite" or "postgres")."""
    postgres = None
    if kind == "postgres":
        postgres = Postgres().start()
        env = {"GALLERY_DATABASE_URL": postgres.url,
               "GALLERY_DATABASE_PASSWORD": postgres.password}
    else:
        db_path = os.path.join(workdir, "gallery.db")
        env = {"GALLERY_DATABASE_URL": f"sqlite://{db_path}"}
    env["GALLERY_METRICS_INTERVAL"] = "0"
    results = {}
    try:
        with BenchServer(binary, env):
            pass  # migrates the empty database and creates the first admin
        owner_id = admin_id_postgres(postgres) if postgres else admin_id_sqlite(db_path)
        have = 0
        for size in sizes:
            start = time.monotonic()
            if kind == "postgres":
                insert_postgres(postgres, owner_id, have, size)
            else:
                insert_sqlite(db_path, owner_id, have, size)
            print(f"{kind}: {size - have} rows inserted in {time.monotonic() - start:.0f} s",
                  file=sys.stderr)
            have = size
            with BenchServer(binary, env) as server:
                results[size] = measure(server, size, requests)
    finally:
        if postgres is not None:
            postgres.close()
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--sizes", default="10000,1000000")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    binary = os.path.join(args.build, "gallery")
    workdir = tempfile.mkdtemp(prefix="gallery-listing-bench-")
    try:
        table = {kind: run_database(kind, binary, sizes, args.requests, workdir)
                 for kind in ("sqlite", "postgres")}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"Listing a page of 100 photos: median (p90) latency in ms over {args.requests} "
          "requests, one keep-alive connection")
    print("| database | page | " + " | ".join(f"{s:,} photos" for s in sizes) +
          f" | {sizes[-1]:,} / {sizes[0]:,} |")
    print("|---|---|" + "---:|" * (len(sizes) + 1))
    for kind, by_size in table.items():
        for page in ("first", "deep"):
            cells, medians = [], []
            for size in sizes:
                times = by_size[size][page]
                median = statistics.median(times)
                p90 = statistics.quantiles(times, n=10)[-1]
                medians.append(median)
                cells.append(f"{median:.2f} ({p90:.2f})")
            label = "first" if page == "first" else "deep (cursor at the middle)"
            print(f"| {kind} | {label} | " + " | ".join(cells) +
                  f" | {medians[-1] / medians[0]:.2f} |")


if __name__ == "__main__":
    main()
