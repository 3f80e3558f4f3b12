#!/usr/bin/env bash
# Installs the Debian packages a group of tasks needs, only when some are
# missing (a second run costs a dpkg query). Groups: build, test, bench,
# browser, container. Usage: scripts/install-deps.sh build test
set -euo pipefail

declare -A GROUPS_PKGS=(
  [build]="build-essential cmake pkg-config git python3 libboost1.81-all-dev libvips-dev libsqlite3-dev
           libpq-dev libcurl4-openssl-dev libssl-dev libsodium-dev libexif-dev nlohmann-json3-dev
           libcli11-dev libgtest-dev libgmock-dev libjemalloc-dev nodejs"
  [test]="libvips-tools postgresql nginx python3 curl shellcheck"
  [bench]="libvips-tools nginx wrk hyperfine imagemagick libbenchmark-dev time linux-perf"
  [browser]="chromium"
  [container]="podman debootstrap runc uidmap fuse-overlayfs"
)

wanted=()
for group in "$@"; do
  [[ -n "${GROUPS_PKGS[$group]+x}" ]] || { echo "install-deps: unknown group '$group'" >&2; exit 2; }
  # shellcheck disable=SC2206
  wanted+=(${GROUPS_PKGS[$group]})
done

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# The web UI builds with npm. Debian's nodejs comes without it (npm is a
# package of its own there); NodeSource's nodejs bundles it, and Debian's npm
# must then not go over it: so ask for the package only when the command is
# missing.
if [[ " $* " == *" build "* ]] && ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
