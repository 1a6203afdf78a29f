#!/usr/bin/env bash
# Install Tingjian on a Debian machine with Python 3.11 and start it on http://127.0.0.1:8000.
#   bash installer/install.sh            install, then start with the setup wizard
#   bash installer/install.sh --demo     install, seed the demo restaurant chain, then start
#   bash installer/install.sh --no-start install only (used by installer/test.sh and CI)
set -euo pipefail
cd "$(dirname "$0")/.."

START=1; DEMO=0; EXTRAS=""
for arg in "$@"; do
  case "$arg" in
    --no-start) START=0 ;;
    --demo) DEMO=1 ;;
    --test) EXTRAS="[test]" ;;
    *) echo "unknown option $arg (use --demo, --no-start)" >&2; exit 2 ;;
  esac
done

SYSTEM_PACKAGES="python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei fontconfig"
[ -n "$EXTRAS" ] && SYSTEM_PACKAGES="$SYSTEM_PACKAGES chromium poppler-utils"
source installer/lib.sh
install_system_packages $SYSTEM_PACKAGES

PYTHON=$(find_python)
if [ ! -x .venv/bin/python ]; then
  echo "==> creating the virtual environment (.venv) with $PYTHON"
  "$PYTHON" -m venv .venv
fi
echo "==> installing Python packages"
.venv/bin/python -m pip install --quiet --upgrade pip setuptools wheel
# Every dependency at the version and hash of the lock file (pip-compile from setup.cfg),
# then the appliance itself without resolving anything again.
LOCK=requirements.lock
[ -n "$EXTRAS" ] && LOCK=requirements-test.lock
.venv/bin/python -m pip install --quiet --require-hashes -r "$LOCK"
.venv/bin/python -m pip install --quiet --no-deps -e .

echo "==> compiling the message catalogues"
.venv/bin/pybabel compile -d appliance/translations >/dev/null

if .venv/bin/cem text --help >/dev/null 2>&1; then
  echo "==> building the offline text models (deterministic, no network)"
  .venv/bin/cem text build-models --if-needed
fi

echo "==> preparing the database"
.venv/bin/cem migrate
if [ "$DEMO" = 1 ]; then
  .venv/bin/cem demo --responses 20000   # a year of feedback; the job runner analyses its verbatims
fi

if [ "$START" = 1 ]; then
  echo "==> starting Tingjian on http://${TINGJIAN_BIND:-127.0.0.1:8000} (Ctrl-C to stop)"
  exec .venv/bin/cem serve
fi
