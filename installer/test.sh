#!/usr/bin/env bash
# Run the whole test suite: installs what the tests need (Python test packages,
# Debian's chromium for the browser journeys, poppler-utils), then pytest.
#   bash installer/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/install.sh --no-start --test
exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"
