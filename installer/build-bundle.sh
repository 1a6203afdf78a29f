#!/usr/bin/env bash
# Build the offline bundle on a connected Debian machine of the target release and
# architecture (as root, after `apt-get update`):
#   bash installer/build-bundle.sh [--out DIR]
# writes DIR/tingjian-<version>-<debian>-<arch>.tar.gz (default DIR: dist) and its .sha256.
# The bundle holds the appliance's wheel, every dependency's wheel at the version and hash
# of requirements.lock, the Debian packages the appliance needs on a minimal Debian of this
# release (installer/bundle/deb_closure.py), the prebuilt text models, install-offline.sh,
# the licences and a MANIFEST with the SHA-256 of every file.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift ;;
    *) echo "unknown option $1 (use --out DIR)" >&2; exit 2 ;;
  esac
  shift
done
SYSTEM_PACKAGES="python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei fontconfig"

VERSION=$(python3 -c 'import configparser; c = configparser.ConfigParser(); c.read("setup.cfg"); print(c["metadata"]["version"])')
DEBIAN=$(. /etc/os-release; echo "$VERSION_CODENAME")
ARCH=$(dpkg --print-architecture)
COMMIT=$(git rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
NAME="tingjian-$VERSION-$DEBIAN-$ARCH"
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/$NAME"
mkdir -p "$STAGE"/{wheels,debs,app,licenses,installer,text-models} "$OUT"

[ -x .venv/bin/cem ] || bash installer/install.sh --no-start
echo "==> compiling the message catalogues and the text models"
.venv/bin/pybabel compile -d appliance/translations >/dev/null
.venv/bin/cem text build-models --if-needed --models-dir appliance/text/models --config-dir config/text >/dev/null

echo "==> wheels: the appliance and every pin of requirements.lock (hashes checked)"
rm -rf build/lib build/bdist.*
.venv/bin/python -m pip wheel --quiet --no-deps --wheel-dir "$STAGE/wheels" .
# The report templates (top-level reports/) ride inside the wheel (setup.py maps them).
.venv/bin/python -m zipfile -l "$STAGE"/wheels/tingjian-*.whl | grep -q "appliance/report_templates/executive.html" ||
  { echo "the appliance wheel lacks the report templates (setup.py)" >&2; exit 1; }
# Binary wheels where PyPI has them, built here from the hashed sdist where it has none
# (jieba, snownlp...): all for this machine's Python and architecture.
.venv/bin/python -m pip wheel --quiet --require-hashes -r requirements.lock --wheel-dir "$STAGE/wheels"
# The bundle's own pins carry the hashes of the wheel files it ships.
.venv/bin/python installer/bundle/pin_wheels.py "$STAGE/wheels" > "$STAGE/wheels/requirements.txt"

echo "==> Debian packages for a minimal $DEBIAN $ARCH: $SYSTEM_PACKAGES"
# shellcheck disable=SC2086
python3 installer/bundle/deb_closure.py $SYSTEM_PACKAGES > "$WORK/debs.txt"
(cd "$STAGE/debs" && xargs -a "$WORK/debs.txt" apt-get download -qq 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
[ "$(ls "$STAGE"/debs/*.deb | wc -l)" -eq "$(wc -l < "$WORK/debs.txt")" ] ||
  { echo "apt-get download did not fetch every package of $WORK/debs.txt" >&2; exit 1; }
python3 installer/bundle/deb_closure.py --index "$STAGE/debs"   # a local apt source

echo "==> migrations, configuration, text models, installer, licences"
cp -r migrations "$STAGE/app/migrations"
mkdir -p "$STAGE/app/config" && cp -r config/tingjian.toml config/text "$STAGE/app/config/"
cp appliance/text/models/* "$STAGE/text-models/"
cp installer/bundle/install-offline.sh "$STAGE/"
cp installer/tingjian.service installer/render-unit.sh installer/bundle/deb_closure.py "$STAGE/installer/"
cp requirements.lock "$STAGE/"
.venv/bin/python installer/bundle/licences.py "$STAGE"
cat > "$STAGE/bundle.env" <<EOF
BUNDLE_VERSION=$VERSION
BUNDLE_RELEASE=$VERSION-$COMMIT
BUNDLE_DEBIAN=$DEBIAN
BUNDLE_ARCH=$ARCH
BUNDLE_DEBS="$SYSTEM_PACKAGES"
BUNDLE_PYTHON=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
BUNDLE_BUILT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOF

echo "==> MANIFEST (SHA-256 of every file)"
(cd "$STAGE" && find . -type f ! -name MANIFEST -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > MANIFEST)
# MANIFEST and the installer first, so that even a truncated archive unpacks them and says so.
(cd "$WORK" && { printf '%s\n' "$NAME/MANIFEST" "$NAME/install-offline.sh" "$NAME/bundle.env";
  find "$NAME" -mindepth 1 ! -path "$NAME/MANIFEST" ! -path "$NAME/install-offline.sh" ! -path "$NAME/bundle.env"; } |
  tar --no-recursion --owner=0 --group=0 --numeric-owner -czf - -T -) > "$OUT/$NAME.tar.gz"
(cd "$OUT" && sha256sum "$NAME.tar.gz" > "$NAME.tar.gz.sha256")
echo "bundle: $OUT/$NAME.tar.gz ($(du -h "$OUT/$NAME.tar.gz" | cut -f1), $(wc -l < "$STAGE/MANIFEST") files, release $VERSION-$COMMIT)"
echo "sha256: $(cut -d' ' -f1 "$OUT/$NAME.tar.gz.sha256")"
