"""The systemd unit as install-offline.sh writes it (installer/render-unit.sh over an install
root): it runs as the tingjian user, its ExecStart names the installed `cem`, it carries the
hardening options, and `systemd-analyze verify` (where systemd is installed) accepts it."""
import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HARDENING = {"NoNewPrivileges": "true", "ProtectSystem": "full", "ProtectHome": "read-only",
             "PrivateTmp": "true", "PrivateDevices": "true", "ProtectKernelTunables": "true",
             "ProtectKernelModules": "true", "ProtectControlGroups": "true",
             "RestrictSUIDSGID": "true", "RestrictNamespaces": "true", "LockPersonality": "true",
             "CapabilityBoundingSet": "", "UMask": "0027"}


@pytest.fixture
def unit_file(tmp_path):
    """The unit rendered for an install root laid out as install-offline.sh lays it out."""
    home = tmp_path / "opt/tingjian"
    (home / "releases/r1/venv").mkdir(parents=True)
    (home / "releases/r1/venv/bin").symlink_to(Path(sys.prefix) / "bin")
    (home / "current").symlink_to("releases/r1")
    rendered = subprocess.run([str(REPO / "installer/render-unit.sh"), str(home / "current"),
                               str(home / "current/venv")], capture_output=True, text=True,
                              check=True).stdout
    path = tmp_path / "tingjian.service"
    path.write_text(rendered)
    return home, path


def parsed(path):
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str
    unit.read(path)
    return unit


def test_the_service_runs_the_installed_cem_as_the_tingjian_user(unit_file):
    home, path = unit_file
    service = parsed(path)["Service"]
    assert service["User"] == "tingjian" and service["Group"] == "tingjian"
    program, argument = service["ExecStart"].split()
    assert program == f"{home}/current/venv/bin/cem" and argument == "serve"
    assert os.access(program, os.X_OK)
    assert service["ExecStartPre"] == f"{home}/current/venv/bin/cem migrate"
    assert service["WorkingDirectory"] == f"{home}/current"
    assert service["Environment"] == "TINGJIAN_CONFIG=/etc/tingjian/tingjian.toml"
    assert service["Restart"] == "on-failure"
    assert parsed(path)["Install"]["WantedBy"] == "multi-user.target"
    assert "@" not in path.read_text().split("[Unit]", 1)[1]     # every placeholder filled


def test_the_service_is_hardened(unit_file):
    service = parsed(unit_file[1])["Service"]
    assert {name: service.get(name) for name in HARDENING} == HARDENING
    assert set(service["RestrictAddressFamilies"].split()) == {"AF_UNIX", "AF_INET", "AF_INET6"}


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_analyze_verifies_the_unit(unit_file):
    result = subprocess.run(["systemd-analyze", "verify", str(unit_file[1])],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "tingjian.service" not in result.stderr, result.stderr


def test_the_unit_for_a_checkout_points_at_its_virtual_environment(tmp_path):
    rendered = subprocess.run([str(REPO / "installer/render-unit.sh"), "/opt/tingjian",
                               "/opt/tingjian/.venv"], capture_output=True, text=True,
                              check=True).stdout
    assert "ExecStart=/opt/tingjian/.venv/bin/cem serve" in rendered
    assert "WorkingDirectory=/opt/tingjian\n" in rendered


def test_the_offline_installer_renders_the_unit_with_these_paths():
    script = (REPO / "installer/bundle/install-offline.sh").read_text()
    assert '"$HERE/installer/render-unit.sh" "$HOME_DIR/current" "$HOME_DIR/current/venv"' in script
    assert "render-unit.sh" in (REPO / "installer/build-bundle.sh").read_text()
