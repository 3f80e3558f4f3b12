#!/usr/bin/env bash
# Benchmark 1: derivative throughput. One 512 px derivative per photo (fit in
# 512x512, never enlarged, auto-oriented by EXIF, JPEG q80, metadata stripped)
# made four ways on the same photos, two images at a time:
#   pipeline_bench  our ProcessUpload in process, 2 threads
#   sharp           sharp in node, concurrency(1), 2 images in flight
#   vipsthumbnail   2 processes in parallel, one per image
#   convert         ImageMagick, -define jpeg:size -thumbnail, 2 in parallel
# Each runs ROUNDS passes over the photos; the four take turns, REPEAT times,
# so background load falls on all of them alike, and the table shows each
# one's fastest run (the least disturbed; every run is printed too). Two
# figures: images per second of wall time (what a user waits for) and images
# per CPU-second, user + system over every thread and child process (steadier
# when other work shares the cores). The CLI tools are measured from outside
# (process start included, as they are used); the in-process ones measure the
# work only.
#
# Usage: bench/derivatives.sh BUILD_DIR
# Environment: GALLERY_TESTDATA (default: ../shared/testdata beside the
# checkout), ROUNDS (default 5), REPEAT (default 3).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: bench/derivatives.sh BUILD_DIR}" && pwd)
testdata=${GALLERY_TESTDATA:-$here/../../shared/testdata}
rounds=${ROUNDS:-5}
repeat=${REPEAT:-3}
parallel=2

die() { echo "derivatives.sh: $*" >&2; exit 1; }
[[ -d $testdata ]] || die "no test data at $testdata (set GALLERY_TESTDATA)"
[[ -x $build/bench/pipeline_bench ]] || die "build pipeline_bench first: cmake --build $build --target pipeline_bench"
for tool in vipsheader vipsthumbnail; do
  command -v "$tool" >/dev/null || die "$tool missing: scripts/install-deps.sh bench (libvips-tools)"
done
for tool in node npm; do
  command -v "$tool" >/dev/null || die "$tool missing: node and npm run the sharp reference"
done

# The real ImageMagick (a wrapper script called convert may come first in PATH).
convert_bin=""
for c in magick /usr/bin/convert convert; do
  if command -v "$c" >/dev/null && "$c" -version 2>/dev/null | grep -q ImageMagick; then
    convert_bin=$(command -v "$c")
    break
  fi
done
[[ -n $convert_bin ]] || die "ImageMagick missing: scripts/install-deps.sh bench (imagemagick)"

# sharp from bench/package-lock.json, installed once into bench/node_modules.
if [[ ! -d $here/node_modules/sharp ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
fi

# The photos: the 12 MP one in large/ and every 1800x1200 JPEG (either way up).
photos=()
while IFS= read -r -d '' f; do
  size=$(vipsheader -f width "$f" 2>/dev/null)x$(vipsheader -f height "$f" 2>/dev/null) || continue
  case $size in
    4032x3024 | 1800x1200 | 1200x1800) photos+=("$f") ;;
  esac
done < <(find "$testdata/large" "$testdata/exif-orientation" -maxdepth 1 -name '*.jpg' -print0 | sort -z)
[[ ${#photos[@]} -gt 0 ]] || die "no benchmark photos found under $testdata"
jobs=$((${#photos[@]} * rounds))

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# "images_per_sec=R images_per_cpu_sec=K" from the in-process benchmarks,
# as "R K".
rates_of() { sed -n 's/.*images_per_sec=\([0-9.]*\) images_per_cpu_sec=\([0-9.]*\).*/\1 \2/p' | tail -1; }

# Runs the photo list `rounds` times through `$@ FILE`, 2 at a time, and
# prints "images/s images/CPU-s". The CPU time is the subshell's reaped
# children's (xargs and everything it ran), from /proc/<pid>/stat.
run_cli() (
  local start end ticks me=$BASHPID  # this subshell (not a $(...) inside it)
  start=$(date +%s.%N)
  for ((r = 0; r < rounds; r++)); do printf '%s\0' "${photos[@]}"; done |
    xargs -0 -n 1 -P "$parallel" "$@"
  end=$(date +%s.%N)
  ticks=$(awk '{ print $16 + $17 }' "/proc/$me/stat")
  awk -v n="$jobs" -v s="$start" -v e="$end" -v t="$ticks" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f %.2f\n", n / (e - s), n / (t / hz) }'
)

# One output file per process ($$), so parallel runs of one photo never collide.
vips_one() {
  VIPS_CONCURRENCY=1 vipsthumbnail "$1" --size '512x512>' \
    -o "$out/$(basename "$1" .jpg)-$$.jpg[Q=80,optimize_coding,strip]"
}
magick_one() {
  MAGICK_THREAD_LIMIT=1 "$convert_bin" -define jpeg:size=1024x1024 "$1" -auto-orient \
    -thumbnail '512x512>' -strip -quality 80 "$out/$(basename "$1" .jpg)-$$.jpg"
}
export -f vips_one magick_one
export out convert_bin

ours() {
  "$build/bench/pipeline_bench" --threads "$parallel" --rounds "$rounds" "${photos[@]}" 2>/dev/null | rates_of
}
sharp_js() {
  node "$here/sharp_bench.mjs" --parallel "$parallel" --rounds "$rounds" "${photos[@]}" | rates_of
}
# shellcheck disable=SC2016  # $1 is the inner shell's argument
vips_cli() { run_cli bash -c 'vips_one "$1"' _; }
# shellcheck disable=SC2016
magick_cli() { run_cli bash -c 'magick_one "$1"' _; }

echo "Derivative throughput: ${#photos[@]} photos x $rounds rounds = $jobs images per run," \
  "$parallel at a time, fastest of $repeat runs, $(nproc) cores, $(uname -m)"
for p in "${photos[@]}"; do echo "  $(vipsheader "$p" | sed "s|$testdata/||")"; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

tools=(ours sharp_js vips_cli magick_cli)
declare -A label=(
  [ours]="pipeline_bench (ours, 2 threads)"
  [sharp_js]="sharp $(node -p "require('$here/node_modules/sharp/package.json').version") (2 in flight)"
  [vips_cli]="vipsthumbnail $(vips --version | awk '{ print $1 }' | sed 's/vips-//') (2 processes)"
  [magick_cli]="$($convert_bin -version | head -1 | awk '{ print $2, $3 }') convert (2 processes)"
)
declare -A runs best best_cpu
max() { awk -v a="$1" -v b="${2:-0}" 'BEGIN { print (a > b) ? a : b }'; }
for ((i = 0; i < repeat; i++)); do
  for t in "${tools[@]}"; do
    read -r rate cpu_rate < <("$t") || true
    [[ -n ${cpu_rate:-} ]] || die "$t failed"
    runs[$t]="${runs[$t]:-}${runs[$t]:+, }$rate"
    best[$t]=$(max "$rate" "${best[$t]:-}")
    best_cpu[$t]=$(max "$cpu_rate" "${best_cpu[$t]:-}")
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "| tool | images/s | vs sharp | images/CPU-s | vs sharp | every run (images/s) |"
echo "|---|---:|---:|---:|---:|---|"
for t in "${tools[@]}"; do
  printf '| %s | %.2f | %s | %.2f | %s | %s |\n' "${label[$t]}" "${best[$t]}" \
    "$(ratio "${best[$t]}" "${best[sharp_js]}")" "${best_cpu[$t]}" \
    "$(ratio "${best_cpu[$t]}" "${best_cpu[sharp_js]}")" "${runs[$t]}"
done
