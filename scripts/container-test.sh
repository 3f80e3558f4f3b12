#!/usr/bin/env bash
# Builds the real Dockerfile with podman, runs the image the way the
# deployments do (uid 10001, read-only root filesystem, writable
# /var/lib/gallery and /tmp), and checks it end to end:
#   - the image is smaller than 250 MB and declares what the deployments
#     rely on (user, volumes, port, stop signal, health check, entry point);
#   - /var/lib/gallery and /tmp are writable by the image's user on a
#     read-only root filesystem;
#   - the server answers /healthz and serves the built web UI (index.html and
#     its precompressed, immutable assets); its first admin (GALLERY_ADMIN_EMAIL
#     and _PASSWORD, given with --env-file) signs in and makes an API token;
#     the API refuses a request without credentials (401); with the token it
#     stores an uploaded picture and gives the
#     original back byte for byte, and a JPEG thumbnail; every accepted
#     format (PNG, WebP, GIF, HEIC, AVIF, TIFF) decodes, and AVIF/WebP
#     thumbnails encode, with the image's libraries;
#   - it runs as a non-root user; `gallery healthcheck` exits 0 inside;
#   - SIGTERM (podman stop) stops it cleanly with exit status 0.
# Everything it starts is removed on exit. Needs root or rootless podman,
# runc, debootstrap (for the base images), curl and python3:
# scripts/install-deps.sh container test.
#
# Environment:
#   GALLERY_TESTDATA         the shared test images (default ../shared/testdata)
#   CONTAINER_TEST_IMAGE     tag to build (default picture-gallery:test)
#   CONTAINER_BUILD_TIMEOUT  seconds the image build may take (default 1800)
#   CONTAINER_TEST_NO_BUILD  1: test CONTAINER_TEST_IMAGE as it is, without building
#   CONTAINER_MAX_BYTES      image size limit (default 250000000)
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)

image=${CONTAINER_TEST_IMAGE:-picture-gallery:test}
build_timeout=${CONTAINER_BUILD_TIMEOUT:-1800}
max_bytes=${CONTAINER_MAX_BYTES:-250000000}
testdata=${GALLERY_TESTDATA:-$repo/../shared/testdata}

started=$(date +%s)
log() { printf '[container-test %4ds] %s\n' "$(($(date +%s) - started))" "$*"; }
fail() { printf '[container-test] FAIL: %s\n' "$*" >&2; exit 1; }

for tool in podman runc curl python3 cmp timeout; do
  command -v "$tool" >/dev/null ||
    fail "'$tool' not found: run scripts/install-deps.sh container test"
done
[[ -d $testdata ]] || fail "no test images at $testdata (set GALLERY_TESTDATA)"

work=$(mktemp -d "${TMPDIR:-/tmp}/gallery-container-test.XXXXXX")
container=""
cleanup() {
  local rc=$?
  if [[ -n $container ]]; then
    if [[ $rc -ne 0 ]]; then
      echo "--- container log (last 40 lines) ---" >&2
      podman logs --tail 40 "$container" >&2 2>&1 || true
    fi
    podman rm -f -v "$container" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The default OCI runtime (crun) and podman's default ulimits do not work on
# every host; runc with no ulimits of its own does.
printf '[containers]\ndefault_ulimits = []\n' >"$work/containers.conf"
export CONTAINERS_CONF=$work/containers.conf
# Podman runs an image's HEALTHCHECK on systemd timers. The test runs it with
# `podman healthcheck run` instead: no timers (older podman makes them anyway
# and, where there is no systemd, logs an error per container, left out here).
no_timer=--health-interval=disable
run_podman() {
  podman --runtime runc "$@" 2> >(grep -v 'unable to get systemd connection' >&2)
}

# ---------------------------------------------------------------------------
if [[ ${CONTAINER_TEST_NO_BUILD:-0} == 1 ]]; then
  podman image exists "$image" || fail "no image $image to test"
  log "testing $image as it is (CONTAINER_TEST_NO_BUILD=1)"
else
  log "base images"
  scripts/container-base-image.sh

  log "building $image (limit ${build_timeout}s)"
  old_id=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  build_started=$(date +%s)
  if ! CONTAINER_ENGINE=podman timeout -k 30 "$build_timeout" \
    scripts/container-build.sh "$image" >"$work/build.log" 2>&1; then
    tail -n 60 "$work/build.log" >&2
    fail "the image build failed or took longer than ${build_timeout}s"
  fi
  log "built in $(($(date +%s) - build_started))s"
  sed -n 's/^runtime packages:/  runtime packages:/p' "$work/build.log"
  new_id=$(podman image inspect --format '{{.Id}}' "$image")
  if [[ -n $old_id && $old_id != "$new_id" ]]; then
    podman rmi "$old_id" >/dev/null 2>&1 || true  # the previous build, when unused
  fi
fi

# ---------------------------------------------------------------------------
log "image configuration"
size=$(podman image inspect --format '{{.Size}}' "$image")
log "image size: $((size / 1000000)) MB ($size bytes; limit $((max_bytes / 1000000)) MB)"
((size < max_bytes)) || fail "image is $size bytes, over the $max_bytes limit"

podman image inspect "$image" >"$work/image.json"
python3 - "$work/image.json" <<'EOF' || fail "image configuration"
import json, sys
img = json.load(open(sys.argv[1]))[0]
cfg = img["Config"]
env = dict(e.split("=", 1) for e in cfg.get("Env") or [])
hc = img.get("Healthcheck") or cfg.get("Healthcheck") or {}
checks = {
    "User is 10001:10001": cfg.get("User") == "10001:10001",
    "Entrypoint is [gallery]": cfg.get("Entrypoint") == ["gallery"],
    "ExposedPorts has 8080/tcp": "8080/tcp" in (cfg.get("ExposedPorts") or {}),
    "Volumes are /var/lib/gallery and /tmp":
        set(cfg.get("Volumes") or {}) == {"/var/lib/gallery", "/tmp"},
    "StopSignal is SIGTERM": cfg.get("StopSignal") in ("SIGTERM", "15"),
    "Healthcheck runs gallery healthcheck":
        hc.get("Test") == ["CMD", "gallery", "healthcheck"],
    "GALLERY_LISTEN=0.0.0.0:8080": env.get("GALLERY_LISTEN") == "0.0.0.0:8080",
    "GALLERY_DATA_DIR=/var/lib/gallery": env.get("GALLERY_DATA_DIR") == "/var/lib/gallery",
    "GALLERY_WEB_DIR=/usr/local/share/gallery/web":
        env.get("GALLERY_WEB_DIR") == "/usr/local/share/gallery/web",
    "OCI title and revision labels":
        "org.opencontainers.image.title" in (cfg.get("Labels") or {})
        and "org.opencontainers.image.revision" in (cfg.get("Labels") or {}),
}
bad = [name for name, ok in checks.items() if not ok]
for name in checks:
    print(("  ok   " if name not in bad else "  FAIL ") + name)
sys.exit(1 if bad else 0)
EOF

run_podman run --rm "$no_timer" "$image" --help >"$work/help.txt" ||
  fail "'podman run $image --help' failed"
grep -q GALLERY_LISTEN "$work/help.txt" || fail "--help does not list the settings"

# What the deployments give the container: a read-only root filesystem and
# fresh volumes at the two VOLUME paths, which take the image's ownership.
owners=$(run_podman run --rm "$no_timer" --read-only --read-only-tmpfs=false --entrypoint /bin/sh "$image" -c '
  stat -c "%n %u:%g %a" /var/lib/gallery /tmp &&
  touch /var/lib/gallery/probe /tmp/probe &&
  if touch /usr/probe 2>/dev/null; then echo "root filesystem writable"; exit 1; fi') ||
  fail "writable volumes on a read-only root filesystem: $owners"
printf '%s\n' "$owners" | sed 's/^/  /'
grep -qx '/var/lib/gallery 10001:10001 750' <<<"$owners" || fail "/var/lib/gallery ownership"
grep -qx '/tmp 10001:10001 1777' <<<"$owners" || fail "/tmp ownership"

# ---------------------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
mkdir "$work/data"
# The first admin, as a deployment gives it (from a file, not the command line).
admin_email=admin@example.test
admin_password=container-test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
printf 'GALLERY_ADMIN_EMAIL=%s\nGALLERY_ADMIN_PASSWORD=%s\n' "$admin_email" "$admin_password" \
  >"$work/admin.env"
log "starting the server on $base"
container=$(run_podman run -d "$no_timer" --network=host --read-only --tmpfs /tmp \
  -v "$work/data:/var/lib/gallery:U" -e GALLERY_LISTEN="127.0.0.1:$port" \
  --env-file "$work/admin.env" "$image")

for _ in $(seq 1 120); do
  curl -fsS --max-time 2 "$base/healthz" >/dev/null 2>&1 && break
  [[ $(podman inspect --format '{{.State.Running}}' "$container") == true ]] ||
    fail "the server exited before answering /healthz"
  sleep 0.5
done
curl -fsS --max-time 2 "$base/healthz" >/dev/null || fail "/healthz did not answer 200 within 60s"
log "healthy"

uid=$(podman exec "$container" id -u)
[[ $uid != 0 ]] || fail "the server runs as root"
[[ $uid == 10001 ]] || fail "the server runs as uid $uid, not 10001"
log "runs as uid $uid"

podman exec "$container" gallery healthcheck || fail "'gallery healthcheck' exited $? inside"
podman healthcheck run "$container" >/dev/null || fail "the image's HEALTHCHECK reports unhealthy"
log "'gallery healthcheck' exits 0; the image's HEALTHCHECK reports healthy"

# The API wants credentials: none → 401; the first admin signs in (a cookie
# session), makes a personal API token with the session's CSRF token, and
# every call below sends it.
anonymous=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$base/api/v1/photos")
[[ $anonymous == 401 ]] || fail "GET /api/v1/photos without credentials answered $anonymous, not 401"
python3 -c 'import json, sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' \
  "$admin_email" "$admin_password" >"$work/login.json"
curl -fsS --max-time 30 -c "$work/cookies" -H 'Content-Type: application/json' \
  --data-binary "@$work/login.json" "$base/api/v1/auth/login" >"$work/session.json" ||
  fail "the first admin (GALLERY_ADMIN_EMAIL) could not sign in"
csrf=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["csrf_token"])' \
  "$work/session.json")
curl -fsS --max-time 30 -b "$work/cookies" -H "X-CSRF-Token: $csrf" \
  -H 'Content-Type: application/json' --data '{"name": "container-test"}' \
  "$base/api/v1/tokens" >"$work/token.json" || fail "making an API token failed"
token=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"])' \
  "$work/token.json")
printf 'Authorization: Bearer %s\n' "$token" >"$work/auth-header"
log "the API refuses anonymous calls (401); the first admin signed in and made an API token"

# The web UI: index.html at / and at a client route, with its policy, and
# the hashed script it names, precompressed and immutable.
curl -fsS --max-time 10 -D "$work/ui-headers" -o "$work/index.html" "$base/albums" ||
  fail "GET /albums (the web UI) failed"
grep -qi '^content-type: text/html' "$work/ui-headers" || fail "/albums is not HTML"
grep -qi "^content-security-policy: default-src 'self'" "$work/ui-headers" ||
  fail "the web UI has no Content-Security-Policy"
script=$(grep -o '/assets/[A-Za-z0-9_.-]*\.js' "$work/index.html" | head -n 1)
[[ -n $script ]] || fail "index.html names no script under /assets/"
curl -fsS --max-time 10 -H 'Accept-Encoding: br, gzip' -D "$work/js-headers" -o /dev/null \
  "$base$script" || fail "GET $script failed"
grep -qi '^content-encoding: br' "$work/js-headers" || fail "$script is not served precompressed"
grep -qi '^cache-control: public, max-age=31536000, immutable' "$work/js-headers" ||
  fail "$script is not cached as immutable"
log "web UI served: / and client routes, $script (br, immutable)"

# upload FILE: POSTs it, prints the Photo's id, original URL and thumb URL.
upload() {
  curl -fsS --max-time 60 -H "@$work/auth-header" -F "file=@$1" "$base/api/v1/photos" \
    >"$work/photo.json" || fail "upload of $(basename "$1") failed"
  python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["photos"][0]
print(p["id"], p["urls"]["original"], p["urls"]["thumb"])' "$work/photo.json"
}

# thumb URL FORMAT: fetches the thumbnail in FORMAT and checks its magic bytes.
thumb() {
  local url=$1 format=$2 sep='?'
  [[ $url == *\?* ]] && sep='&'
  curl -fsS --max-time 60 -H "@$work/auth-header" -D "$work/headers" -o "$work/thumb" \
    "$base$url${sep}format=$format" || fail "thumbnail $format of $url"
  python3 - "$work/thumb" "$format" <<'EOF' || fail "thumbnail of $url is not $format"
import sys
data = open(sys.argv[1], "rb").read(32)
ok = {
    "jpeg": data[:3] == b"\xff\xd8\xff",
    "webp": data[:4] == b"RIFF" and data[8:12] == b"WEBP",
    "avif": data[4:8] == b"ftyp" and b"avif" in data[8:32],
}[sys.argv[2]]
sys.exit(0 if ok else 1)
EOF
}

picture=$testdata/large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg  # a 12 MP camera photo
[[ -f $picture ]] || fail "missing test image $picture"
read -r id original thumb_url < <(upload "$picture")
curl -fsS --max-time 60 -H "@$work/auth-header" -o "$work/original" "$base$original" ||
  fail "GET $original"
cmp -s "$picture" "$work/original" || fail "the original read back differs from $(basename "$picture")"
thumb "$thumb_url" jpeg
grep -qi '^content-type: image/jpeg' "$work/headers" || fail "thumbnail content type is not image/jpeg"
log "uploaded $(basename "$picture") ($(stat -c %s "$picture") bytes) as $id: original identical, thumbnail JPEG"
[[ -n $(find "$work/data" -type f -size +0 2>/dev/null | head -n 1) ]] ||
  fail "nothing was written to the /var/lib/gallery volume"

# The image's libraries decode every accepted format and encode AVIF and WebP.
for f in png/libvips_rgba.png webp/pillow_hopper.webp gif/libvips_cogs.gif \
         heic/ianare_iphone_13_pro_max.HEIC avif/pillow_hopper.avif tiff/pillow_hopper.tif; do
  [[ -f $testdata/formats/$f ]] || fail "missing test image formats/$f"
  read -r _ _ url < <(upload "$testdata/formats/$f")
  thumb "$url" jpeg
done
thumb "$thumb_url" avif
thumb "$thumb_url" webp
log "PNG, WebP, GIF, HEIC, AVIF and TIFF decode; AVIF and WebP thumbnails encode"

# ---------------------------------------------------------------------------
log "stopping with SIGTERM"
stop_started=$(date +%s)
run_podman stop -t 30 "$container" >/dev/null
stop_seconds=$(($(date +%s) - stop_started))
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
[[ $exit_code == 0 ]] || fail "exit status $exit_code after SIGTERM (137 means it was killed)"
((stop_seconds < 30)) || fail "took ${stop_seconds}s to stop"
log "stopped cleanly in ${stop_seconds}s (exit status 0)"

log "PASS (image $((size / 1000000)) MB, total $(($(date +%s) - started))s)"
