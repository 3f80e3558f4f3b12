#!/usr/bin/env bash
# Every benchmark, one after the other (`make bench`). Each script takes the
# build folder and prints its own table. Add a benchmark by adding a line.
# Usage: bench/run.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: bench/run.sh BUILD_DIR}

"$here/derivatives.sh" "$build"
