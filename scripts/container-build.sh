#!/usr/bin/env bash
# Builds the server image from the Dockerfile (docs/container.md), with the
# OCI version, revision and creation-time labels filled in.
#
# Usage: scripts/container-build.sh [TAG]        (default picture-gallery:latest)
#
# CONTAINER_ENGINE: podman (the default when installed) or docker. With
# podman, the Debian base images are made locally with debootstrap when they
# are missing (scripts/container-base-image.sh; no registry is needed), and
# the image is built in the docker format, which keeps the HEALTHCHECK.
# CA_BUNDLE: the CA certificates npm trusts in the web stage (default this
# machine's, /etc/ssl/certs/ca-certificates.crt).
set -euo pipefail

cd "$(dirname "$0")/.."

tag=${1:-picture-gallery:latest}
engine=${CONTAINER_ENGINE:-}
if [[ -z $engine ]]; then
  if command -v podman >/dev/null; then engine=podman; else engine=docker; fi
fi
command -v "$engine" >/dev/null ||
  { echo "container-build: '$engine' not found (scripts/install-deps.sh container)" >&2; exit 1; }

version=$(sed -n -E 's/^project\([a-z_]+ VERSION ([0-9.]+).*/\1/p' CMakeLists.txt)
revision=$(git rev-parse HEAD 2>/dev/null || true)
if [[ -n $revision && -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]]; then
  revision=$revision-dirty
fi
labels=(--build-arg "VERSION=$version" --build-arg "REVISION=$revision"
        --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)")
# This machine's CA certificates for the web stage's npm, which may reach the
# registry through a TLS-inspecting proxy (a build secret: not in the image).
secrets=()
ca_bundle=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
[[ -s $ca_bundle ]] && secrets=(--secret "id=ca-certificates,src=$ca_bundle")

case $engine in
  podman)
    scripts/container-base-image.sh
    podman build --pull=never --isolation=chroot --network=host --format docker \
      "${labels[@]}" "${secrets[@]}" -t "$tag" .
    ;;
  *)
    "$engine" build "${labels[@]}" "${secrets[@]}" -t "$tag" .
    ;;
esac
