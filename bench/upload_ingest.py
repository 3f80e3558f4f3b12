#!/usr/bin/env python3
"""Benchmark 3: upload ingest. N concurrent clients upload distinct copies of
the 12 MP photo; photos per second and the server's peak RSS.

Each copy differs by bytes appended after the JPEG's end-of-image marker, so
dedup does not short-circuit and every upload runs the whole pipeline.
Uploads answered 503 (image pool full) are retried after Retry-After, as a
client should.
Usage: upload_ingest.py BUILD_DIR TESTDATA [--clients 16] [--uploads 64]
"""
import argparse
import os
import statistics
import threading
import time

from bench_server import BenchServer, upload


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("testdata")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--uploads", type=int, default=64)
    args = ap.parse_args()
    photo = open(os.path.join(args.testdata, "large",
                              "ianare_42_IndexError_OlympusE-P3_4032x3024.jpg"), "rb").read()
    latencies, retries, failures = [], [0], []
    lock = threading.Lock()
    next_index = [0]

    with BenchServer(os.path.join(args.build, "gallery")) as server:
        def client():
            while True:
                with lock:
                    i = next_index[0]
                    next_index[0] += 1
                if i >= args.uploads:
                    return
                data = photo + b"bench-copy-%d" % i
                start = time.monotonic()
                while True:
                    status, body = upload(server, f"copy{i}.jpg", data)
                    if status == 503:
                        with lock:
                            retries[0] += 1
                        time.sleep(0.2)
                        continue
                    break
                with lock:
                    if status == 201:
                        latencies.append(time.monotonic() - start)
                    else:
                        failures.append((status, body))

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        peak = server.stop()
    if failures:
        raise SystemExit(f"{len(failures)} uploads failed, e.g. {failures[0]}")
    print(f"Upload ingest: {args.uploads} distinct 12 MP JPEGs ({len(photo) / 1e6:.1f} MB), "
          f"{args.clients} concurrent clients")
    print(f"photos/s {len(latencies) / elapsed:.2f}; median latency "
          f"{statistics.median(latencies):.2f} s; 503 retries {retries[0]}; "
          f"server peak RSS {peak:.0f} MiB (target < 400 MiB)")


if __name__ == "__main__":
    main()
