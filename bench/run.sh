#!/usr/bin/env bash
# Every benchmark, one after the other (`make bench`). Each script takes the
# build folder and prints its own table. Add a benchmark by adding a line.
# Usage: bench/run.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: bench/run.sh BUILD_DIR}

"$here/derivatives.sh" "$build"
testdata=${GALLERY_TESTDATA:-$(cd "$here/../.." && pwd)/shared/testdata}
python3 "$here/serve_thumbnail.py" "$build" "$testdata"
python3 "$here/upload_ingest.py" "$build" "$testdata"
python3 "$here/s3_vs_local.py" "$build" "$testdata"
python3 "$here/listing_latency.py" "$build"
