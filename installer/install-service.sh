#!/usr/bin/env bash
# Run Tingjian as a systemd service from /opt/tingjian (after installer/install.sh --no-start).
# Creates the tingjian user, /etc/tingjian/tingjian.toml and /var/lib/tingjian, then starts it.
set -euo pipefail
cd "$(dirname "$0")/.."
id tingjian >/dev/null 2>&1 || useradd --system --home /var/lib/tingjian --shell /usr/sbin/nologin tingjian
install -d -o tingjian -g tingjian -m 0750 /var/lib/tingjian
install -d -m 0755 /etc/tingjian
if [ ! -f /etc/tingjian/tingjian.toml ]; then
  sed -e 's|^# data_dir = .*|data_dir = "/var/lib/tingjian"|' \
      -e "s|^# bind = .*|bind = \"${TINGJIAN_BIND:-127.0.0.1:8000}\"|" \
      -e "s|^# migrations_dir = .*|migrations_dir = \"$(pwd)/migrations\"|" \
      config/tingjian.toml > /etc/tingjian/tingjian.toml
fi
sed "s|/opt/tingjian|$(pwd)|g" installer/tingjian.service > /etc/systemd/system/tingjian.service
systemctl daemon-reload
systemctl enable --now tingjian
echo "Tingjian runs as a service: systemctl status tingjian"
