#!/usr/bin/env bash
# Makes the Debian base images the Dockerfile starts from when no registry is
# reachable: debian:bookworm-slim (the runtime stage) and debian:bookworm (the
# build stage, which installs its own build packages), both from one
# `debootstrap --variant=minbase bookworm` tree, imported into podman's local
# store. Does nothing when both images exist already.
#
# The Debian mirror is the one this machine's apt uses (DEBIAN_MIRROR
# overrides it); the images get the same bookworm, bookworm-updates and
# bookworm-security sources, as the official images have. Like the official
# slim image, documentation, man pages and translations are left out.
#
# Usage: scripts/container-base-image.sh        (as root; needs debootstrap, podman)
set -euo pipefail

SLIM=docker.io/library/debian:bookworm-slim
FULL=docker.io/library/debian:bookworm

die() { echo "container-base-image: $*" >&2; exit 1; }

command -v podman >/dev/null || die "podman not found (scripts/install-deps.sh container)"
if podman image exists "$SLIM" && podman image exists "$FULL"; then
  exit 0
fi
command -v debootstrap >/dev/null || die "debootstrap not found (scripts/install-deps.sh container)"
[[ $(id -u) -eq 0 ]] || die "debootstrap needs root"

# One maker at a time: a second caller waits, then finds the images made.
exec 9>"${TMPDIR:-/tmp}/picture-gallery-base-image.lock"
flock -w 900 9 || die "timed out waiting for another run to make the base images"
if podman image exists "$SLIM" && podman image exists "$FULL"; then
  exit 0
fi

# The first URI that apt on this machine uses for SUITE ("bookworm" or
# "bookworm-security"), from one-line (*.list) and deb822 (*.sources) files.
apt_uri_for() {
  local suite=$1 f
  local files=()
  [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] && files+=("$f")
  done
  [[ ${#files[@]} -gt 0 ]] || return 0
  awk -v suite="$suite" '
    function found(uri) { if (!done) print uri; done = 1; exit }
    function flush(  n, i, s, u) {
      if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "") {
        n = split(suites, s, " ")
        for (i = 1; i <= n; i++) if (s[i] == suite) { split(uris, u, " "); found(u[1]) }
      }
      types = ""; uris = ""; suites = ""; enabled = ""
    }
    FNR == 1 { flush() }
    FILENAME ~ /\.sources$/ {
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if ($0 ~ /^[ \t]*#/) next
      key = tolower($1); sub(/:$/, "", key)
      $1 = ""; sub(/^[ \t]+/, "")
      if (key == "types") types = $0
      else if (key == "uris") uris = $0
      else if (key == "suites") suites = $0
      else if (key == "enabled") enabled = tolower($0)
      next
    }
    $1 == "deb" {
      # deb [options] URI SUITE COMPONENTS...
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if ($(i + 1) == suite) found($i)
    }
    END { if (!done) flush() }
  ' "${files[@]}"
}

mirror=${DEBIAN_MIRROR:-$(apt_uri_for bookworm)}
security=${DEBIAN_SECURITY_MIRROR:-$(apt_uri_for bookworm-security)}
[[ -n $mirror ]] || die "no apt source for bookworm on this machine; set DEBIAN_MIRROR"

work=$(mktemp -d "${TMPDIR:-/tmp}/gallery-rootfs.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

echo "container-base-image: debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

# apt sources as in the official image.
rm -f "$root/etc/apt/sources.list"
{
  printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\n' "$mirror"
  printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
  if [[ -n $security ]]; then
    printf '\nTypes: deb\nURIs: %s\nSuites: bookworm-security\nComponents: main\n' "$security"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
  fi
} >"$root/etc/apt/sources.list.d/debian.sources"

# Slim: no documentation or translations, now or from later installs.
cat >"$root/etc/dpkg/dpkg.cfg.d/excludes" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root"/usr/share/{man,groff,info,lintian,linda,locale}/*
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
rm -rf "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/*

tar --numeric-owner -C "$root" -c . |
  podman import --quiet --change 'CMD ["bash"]' - "$SLIM" >/dev/null
podman tag "$SLIM" "$FULL"
echo "container-base-image: made $SLIM and $FULL ($(podman image inspect --format '{{.Size}}' "$SLIM") bytes)"
