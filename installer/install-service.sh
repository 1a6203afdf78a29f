#!/usr/bin/env bash
# Run Tingjian as a systemd service from /opt/tingjian (after installer/install.sh --no-start).
# Creates the tingjian user, /etc/tingjian/tingjian.toml and /var/lib/tingjian, then starts it.
set -euo pipefail
cd "$(dirname "$0")/.."
id tingjian >/dev/null 2>&1 || useradd --system --home /var/lib/tingjian --shell /usr/sbin/nologin tingjian
install -d -o tingjian -g tingjian -m 0750 /var/lib/tingjian /var/lib/tingjian/text-models
install -d -m 0755 /etc/tingjian
if [ ! -f /etc/tingjian/tingjian.toml ]; then
  sed -e 's|^# data_dir = .*|data_dir = "/var/lib/tingjian"|' \
      -e "s|^# bind = .*|bind = \"${TINGJIAN_BIND:-127.0.0.1:8000}\"|" \
      -e "s|^# migrations_dir = .*|migrations_dir = \"$(pwd)/migrations\"|" \
      -e 's|^# text_models_dir = .*|text_models_dir = "/var/lib/tingjian/text-models"|' \
      config/tingjian.toml > /etc/tingjian/tingjian.toml
fi
# The service's text models live in its data directory, where `cem text train` (run as
# tingjian) may write the models it learns from the analysts' corrections. Built offline
# from the corpora in the virtual environment; run again after an upgrade, it rebuilds
# only when the code or corpora changed and keeps the enterprise's labels.
grep -q '^text_models_dir' /etc/tingjian/tingjian.toml ||
  echo 'text_models_dir = "/var/lib/tingjian/text-models"' >> /etc/tingjian/tingjian.toml
runuser -u tingjian -- env TINGJIAN_CONFIG=/etc/tingjian/tingjian.toml \
  .venv/bin/cem text build-models --if-needed
installer/render-unit.sh "$(pwd)" "$(pwd)/.venv" > /etc/systemd/system/tingjian.service
systemctl daemon-reload
systemctl enable --now tingjian
echo "Tingjian runs as a service: systemctl status tingjian"
