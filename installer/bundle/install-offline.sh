#!/usr/bin/env bash
# Install (or upgrade) Tingjian from this offline bundle. Nothing comes from the network:
# the Debian packages, the Python wheels and the text models are all in this directory.
#
#   sudo ./install-offline.sh                  /opt/tingjian, /etc/tingjian, /var/lib/tingjian,
#                                              the tingjian user and the systemd service
#   ./install-offline.sh --prefix DIR --no-systemd
#                                              everything under DIR (opt/, etc/, var/), started in
#                                              the background by this user, no root services
# Options: --bind HOST:PORT (default 127.0.0.1:8000)  --no-start  --verify-only
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=""; SYSTEMD=auto; START=1; BIND="${TINGJIAN_BIND:-127.0.0.1:8000}"; VERIFY_ONLY=0
fail() { echo "install-offline: $*" >&2; exit 1; }
step() { echo "==> $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=$(mkdir -p "$2" && cd "$2" && pwd); shift ;;
    --no-systemd) SYSTEMD=no ;;
    --no-start) START=0 ;;
    --bind) BIND="$2"; shift ;;
    --verify-only) VERIFY_ONLY=1 ;;
    *) fail "unknown option $1 (use --prefix DIR, --no-systemd, --bind HOST:PORT, --no-start)" ;;
  esac
  shift
done

verify_manifest() {
  [ -f "$HERE/MANIFEST" ] && [ -f "$HERE/bundle.env" ] ||
    fail "the bundle is incomplete (no MANIFEST or bundle.env): copy the .tar.gz again and unpack it whole"
  local bad
  bad=$(cd "$HERE" && sha256sum --strict -c MANIFEST 2>/dev/null | grep -v ': OK$' || true)
  if [ -n "$bad" ]; then
    fail "the bundle is damaged: $(echo "$bad" | wc -l) file(s) missing or changed" \
         "(first: $(echo "$bad" | head -1 | cut -d: -f1)); copy the .tar.gz again and compare its .sha256"
  fi
}

verify_platform() {
  # shellcheck disable=SC1091
  source "$HERE/bundle.env"
  local arch codename
  arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
  codename=$(. /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-unknown}")
  [ "$arch" = "$BUNDLE_ARCH" ] && [ "$codename" = "$BUNDLE_DEBIAN" ] ||
    fail "this bundle is for Debian $BUNDLE_DEBIAN $BUNDLE_ARCH but this machine is $codename $arch:" \
         "use tingjian-$BUNDLE_VERSION-$codename-$arch.tar.gz, built on a $codename $arch machine"
}

install_debs() {
  # shellcheck disable=SC2086
  if dpkg-query -W -f='${Status}\n' $BUNDLE_DEBS 2>/dev/null | grep -qv "install ok installed" ||
     [ "$(dpkg-query -W -f='${Status}\n' $BUNDLE_DEBS 2>/dev/null | wc -l)" -ne "$(wc -w <<< "$BUNDLE_DEBS")" ]; then
    [ "$(id -u)" -eq 0 ] || fail "Debian packages are missing (of: $BUNDLE_DEBS): run as root to install them from the bundle"
  else
    step "Debian packages: all present"; return 0
  fi
  step "installing Debian packages from the bundle (apt with the bundle as its only source)"
  # apt sees only the bundle's debs/ (a flat repository with its Packages index) and what is
  # installed: nothing can come from the network, and installed packages stay as they are
  # unless a bundled one needs a newer version.
  local apt_dir; apt_dir=$(mktemp -d)
  mkdir -p "$apt_dir/lists/partial"
  echo "deb [trusted=yes] file:$HERE/debs ./" > "$apt_dir/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
              -o "Dir::State::Lists=$apt_dir/lists" -o Acquire::Languages=none)
  apt-get update -qq "${opts[@]}" >/dev/null || fail "apt could not read the bundle's debs/ directory"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${opts[@]}" \
    $BUNDLE_DEBS >/dev/null 2>"$apt_dir/errors" || fail "apt could not install $BUNDLE_DEBS from the bundle: $(tail -1 "$apt_dir/errors")"
  rm -rf "$apt_dir"
}

layout() {
  HOME_DIR="$PREFIX/opt/tingjian"; ETC="$PREFIX/etc/tingjian"; DATA="$PREFIX/var/lib/tingjian"
  LOGS="$PREFIX/var/log/tingjian"; RELEASE="$HOME_DIR/releases/$BUNDLE_RELEASE"
  CEM="$HOME_DIR/current/venv/bin/cem"
  if [ "$SYSTEMD" = auto ]; then
    if [ -z "$PREFIX" ] && [ "$(id -u)" -eq 0 ] && [ -d /run/systemd/system ]; then SYSTEMD=yes; else SYSTEMD=no; fi
  fi
  RUN_AS=()
  if [ "$SYSTEMD" = yes ]; then RUN_AS=(runuser -u tingjian --); fi
}

install_release() {
  # A fresh release directory each time (a venv cannot be moved once made): an upgrade keeps
  # the previous one to roll back to, and a reinstall of the same release gets its own.
  [ -e "$RELEASE" ] && RELEASE="$RELEASE.$(date +%Y%m%d%H%M%S)"
  step "creating the virtual environment in $RELEASE (pip --no-index, wheels from the bundle)"
  mkdir -p "$RELEASE"
  python3 -m venv "$RELEASE/venv"
  # shellcheck disable=SC2046
  unset $(env | grep -o '^PIP_[A-Z_]*' || true)
  export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
  "$RELEASE/venv/bin/pip" install --quiet --no-index --find-links "$HERE/wheels" \
    --require-hashes -r "$HERE/wheels/requirements.txt"
  "$RELEASE/venv/bin/pip" install --quiet --no-index --no-deps "$HERE"/wheels/tingjian-*.whl
  cp -r "$HERE/app/migrations" "$HERE/app/config" "$HERE/text-models" "$HERE/bundle.env" "$RELEASE/"
}

write_config() {
  install -d -m 0755 "$ETC" "$LOGS"
  install -d -m 0700 "$DATA" "$DATA/text-models"
  [ -d "$ETC/text" ] || cp -r "$RELEASE/config/text" "$ETC/text"
  if [ ! -f "$ETC/tingjian.toml" ]; then
    step "writing $ETC/tingjian.toml"
    sed -e "s|^# data_dir = .*|data_dir = \"$DATA\"|" \
        -e "s|^# bind = .*|bind = \"$BIND\"|" \
        -e "s|^# migrations_dir = .*|migrations_dir = \"$HOME_DIR/current/migrations\"|" \
        -e "s|^# text_config_dir = .*|text_config_dir = \"$ETC/text\"|" \
        -e "s|^# text_models_dir = .*|text_models_dir = \"$DATA/text-models\"|" \
        "$RELEASE/config/tingjian.toml" > "$ETC/tingjian.toml"
  fi
  printf 'PREFIX="%s"\nSYSTEMD=%s\nCONFIG="%s"\nLOGS="%s"\n' "$PREFIX" "$SYSTEMD" \
    "$ETC/tingjian.toml" "$LOGS" > "$HOME_DIR/install.env"
  [ -f "$DATA/text-models/meta.json" ] || cp "$RELEASE"/text-models/* "$DATA/text-models/"
}

create_user() {
  [ "$SYSTEMD" = yes ] || return 0
  id tingjian >/dev/null 2>&1 ||
    useradd --system --home /var/lib/tingjian --shell /usr/sbin/nologin tingjian
  chown -R tingjian:tingjian "$DATA" "$LOGS"
}

migrate() {
  export TINGJIAN_CONFIG="$ETC/tingjian.toml"
  step "migrating the database"
  "${RUN_AS[@]}" env TINGJIAN_CONFIG="$TINGJIAN_CONFIG" "$CEM" migrate
  "${RUN_AS[@]}" env TINGJIAN_CONFIG="$TINGJIAN_CONFIG" "$CEM" text build-models --if-needed >/dev/null
}

start() {
  if [ "$SYSTEMD" = yes ]; then
    step "installing the systemd service tingjian"
    "$HERE/installer/render-unit.sh" "$HOME_DIR/current" "$HOME_DIR/current/venv" \
      > /etc/systemd/system/tingjian.service
    systemctl daemon-reload
    systemctl enable --now tingjian
  else
    step "starting Tingjian in the background (log: $LOGS/tingjian.log)"
    TINGJIAN_CONFIG="$ETC/tingjian.toml" setsid "$CEM" serve >>"$LOGS/tingjian.log" 2>&1 < /dev/null &
    echo $! > "$HOME_DIR/tingjian.pid"
  fi
}

wait_healthy() {
  local url="http://${BIND/0.0.0.0/127.0.0.1}"
  step "waiting for $url/healthz"
  "$HOME_DIR/current/venv/bin/python" - "$url/healthz" <<'EOF' || fail "Tingjian did not answer /healthz within 90 s: see its log"
import sys, time, urllib.request
deadline = time.monotonic() + 90
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=5) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit(1)
EOF
  echo "Tingjian $BUNDLE_VERSION is running. Open $url/setup to finish the setup wizard."
}

main() {
  verify_manifest
  verify_platform
  step "bundle verified: Tingjian $BUNDLE_VERSION for Debian $BUNDLE_DEBIAN $BUNDLE_ARCH"
  [ "$VERIFY_ONLY" = 1 ] && return 0
  install_debs
  layout
  install_release
  ln -sfn "releases/$(basename "$RELEASE")" "$HOME_DIR/current.new" && mv -T "$HOME_DIR/current.new" "$HOME_DIR/current"
  write_config
  create_user
  migrate
  [ "$START" = 1 ] || { echo "installed; start it with: TINGJIAN_CONFIG=$ETC/tingjian.toml $CEM serve"; return 0; }
  start
  wait_healthy
}

main
