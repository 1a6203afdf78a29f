"""`cem upgrade` over a temporary installation (the layout install-offline.sh makes under
--prefix: opt/tingjian/releases/*, current, etc/tingjian, var/lib/tingjian): an upgrade whose
new migration fails mid-way puts the previous release back as current, restores the
pre-upgrade backup and starts it again; a good upgrade prunes all but the newest releases,
never the running one.

The bundle is a minimal one: its install-offline.sh does what the real one does to the
layout (a new release directory, `current` switched to it, `cem migrate`) but reuses the
checkout's virtual environment instead of installing wheels, so the test needs no bundle
build (bench/offline_install.py proves the real bundle end to end)."""
import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import click
import pytest

from appliance.core import db, settings
from appliance.ops import releases, upgrade
from helpers import free_port

REPO = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)
INSTALLER = """#!/usr/bin/env bash
# the bundle's installer, reduced to what it does to the layout (see the module docstring)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); PREFIX=""
while [ $# -gt 0 ]; do case "$1" in --prefix) PREFIX="$2"; shift ;; esac; shift; done
HOME_DIR="$PREFIX/opt/tingjian"; RELEASE="$HOME_DIR/releases/$(cat "$HERE/RELEASE")"
mkdir -p "$RELEASE/venv" && cp "{venv}/pyvenv.cfg" "$RELEASE/venv/" && ln -s "{venv}/bin" "$RELEASE/venv/bin"
cp -r "$HERE/app/migrations" "$RELEASE/"
ln -sfn "releases/$(basename "$RELEASE")" "$HOME_DIR/current.new" && mv -T "$HOME_DIR/current.new" "$HOME_DIR/current"
TINGJIAN_CONFIG="$PREFIX/etc/tingjian/tingjian.toml" "$HOME_DIR/current/venv/bin/cem" migrate
"""


def make_release(home, name, age):
    release = home / "releases" / name
    (release / "venv").mkdir(parents=True)
    shutil.copy(VENV / "pyvenv.cfg", release / "venv" / "pyvenv.cfg")
    (release / "venv" / "bin").symlink_to(VENV / "bin")
    shutil.copytree(REPO / "migrations", release / "migrations")
    os.utime(release / "venv" / "pyvenv.cfg", (age, age))
    return release


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """An installation under tmp_path at release r1, migrated, with a marker in its data."""
    home, etc, data = tmp_path / "opt/tingjian", tmp_path / "etc/tingjian", tmp_path / "var/lib/tingjian"
    for directory in (etc, data, tmp_path / "var/log/tingjian"):
        directory.mkdir(parents=True)
    make_release(home, "r1", time.time() - 3600)
    (home / "current").symlink_to("releases/r1")
    bind = f"127.0.0.1:{free_port()}"
    (etc / "tingjian.toml").write_text(textwrap.dedent(f"""\
        data_dir = "{data}"
        bind = "{bind}"
        migrations_dir = "{home}/current/migrations"
        workers = 1
        jobs = false
        """))
    monkeypatch.setenv("TINGJIAN_CONFIG", str(etc / "tingjian.toml"))
    env = {"PREFIX": str(tmp_path), "SYSTEMD": "no", "CONFIG": str(etc / "tingjian.toml"),
           "LOGS": str(tmp_path / "var/log/tingjian")}
    cfg = upgrade.load_config()
    with contextlib.closing(db.connect(db.database_path(data))) as database:
        db.migrate(database, home / "current" / "migrations")
        settings.set_many(database, {"org.name": "before-the-upgrade"})
    yield home, env, cfg
    stop_started(home)


def stop_started(home):
    """End the Tingjian the upgrade started (its own session), if any."""
    with contextlib.suppress(OSError, ValueError):
        pid = int((home / "tingjian.pid").read_text())
        os.killpg(pid, signal.SIGTERM)
        os.waitpid(pid, 0)


def bundle(tmp_path, release, extra_migrations):
    directory = tmp_path / f"bundle-{release}"
    shutil.copytree(REPO / "migrations", directory / "app" / "migrations")
    for name, sql in extra_migrations.items():
        (directory / "app" / "migrations" / name).write_text(sql)
    (directory / "RELEASE").write_text(release)
    script = directory / "install-offline.sh"
    script.write_text(INSTALLER.replace("{venv}", str(VENV)))
    script.chmod(0o755)
    return directory


def stored(cfg):
    connection = sqlite3.connect(db.database_path(cfg["DATA_DIR"]))
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        name = connection.execute("SELECT value FROM settings WHERE name = 'org.name'").fetchone()
        return tables, name[0] if name else None
    finally:
        connection.close()


def test_an_upgrade_whose_migration_fails_midway_rolls_back_to_the_previous_release(
        tmp_path, installed):
    home, env, cfg = installed
    broken = bundle(tmp_path, "r2", {
        "0998_probe.sql": "CREATE TABLE upgrade_probe (id INTEGER);\n"
                          "UPDATE settings SET value = '\"changed\"' WHERE name = 'org.name';",
        "0999_fails.sql": "INSERT INTO no_such_table VALUES (1);"})
    with pytest.raises(click.ClickException) as failure:
        upgrade.perform(home, env, cfg, broken)
    assert "rolled back to releases/r1" in failure.value.message
    assert "running again" in failure.value.message
    assert os.readlink(home / "current") == "releases/r1"
    tables, name = stored(cfg)
    assert "upgrade_probe" not in tables                # the half-done upgrade is undone
    assert name is not None and "before-the-upgrade" in name
    assert (home / "releases" / "r2").exists()          # left to look at, not current


def test_a_good_upgrade_keeps_the_current_and_the_previous_release(tmp_path, installed):
    home, env, cfg = installed
    make_release(home, "r0", time.time() - 7200)
    upgrade.perform(home, env, cfg, bundle(tmp_path, "r2", {}), keep=2)
    assert os.readlink(home / "current") == "releases/r2"
    assert sorted(p.name for p in (home / "releases").iterdir()) == ["r1", "r2"]
    assert "before-the-upgrade" in stored(cfg)[1]


def test_pruning_never_removes_the_current_or_the_running_release(tmp_path):
    home = tmp_path / "opt/tingjian"
    for age, name in enumerate(["old-running", "r1", "r2", "r3"]):
        make_release(home, name, 1_000_000 + age)
    (home / "current").symlink_to("releases/r3")
    sleeper = subprocess.Popen([str(home / "releases/old-running/venv/bin/python"), "-c",
                                "import time; print('up', flush=True); time.sleep(60)"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert sleeper.stdout.readline() == "up\n"       # running from that release now
        (home / "tingjian.pid").write_text(f"{sleeper.pid}\n")
        assert sorted(releases.prune(home, keep=1)) == ["r1", "r2"]
    finally:
        sleeper.kill()
        sleeper.wait()
        sleeper.stdout.close()
    assert sorted(p.name for p in (home / "releases").iterdir()) == ["old-running", "r3"]
