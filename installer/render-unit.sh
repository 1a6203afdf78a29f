#!/usr/bin/env bash
# Print the systemd unit for Tingjian installed in APP_DIR with its virtual environment VENV:
#   installer/render-unit.sh APP_DIR VENV > /etc/systemd/system/tingjian.service
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 APP_DIR VENV" >&2; exit 2; }
case "$1$2" in *'|'*|*'&'*|*'\'*) echo "render-unit: no | & or \\ in paths" >&2; exit 2 ;; esac
sed -e "s|@APP_DIR@|$1|g" -e "s|@VENV@|$2|g" "$(dirname "$0")/tingjian.service"
