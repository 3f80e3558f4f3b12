#!/usr/bin/env bash
# make run: starts the gallery on this machine (local disk and SQLite under
# ./data, http://127.0.0.1:8080 unless GALLERY_LISTEN says otherwise).
#
# On the first run, when GALLERY_ADMIN_EMAIL is not set, it makes the first
# admin, admin@localhost, with a random password kept in
# data/admin-password (readable only by you) and says where it is. The
# password goes to the server in its environment; it is never printed or
# logged. Change it after signing in; the file is only the first password.
#
# Usage: scripts/run-local.sh BUILD_DIR [gallery flags...]
set -euo pipefail

build_dir=${1:?usage: scripts/run-local.sh BUILD_DIR [gallery flags...]}
shift
data_dir=${GALLERY_DATA_DIR:-./data}
listen=${GALLERY_LISTEN:-127.0.0.1:8080}
mkdir -p "$data_dir"

if [[ -z "${GALLERY_ADMIN_EMAIL:-}" ]]; then
  secret="$data_dir/admin-password"
  if [[ ! -s "$secret" ]]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$secret")
  fi
  export GALLERY_ADMIN_EMAIL=admin@localhost
  GALLERY_ADMIN_PASSWORD=$(cat "$secret")
  export GALLERY_ADMIN_PASSWORD
  echo "Open http://$listen and sign in as admin@localhost with the first password in $secret"
  echo "(used only while no account exists; change it in Settings once signed in)."
fi
exec "$build_dir/gallery" "$@"
