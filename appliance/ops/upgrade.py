"""`cem upgrade BUNDLE`: upgrade an installation made by install-offline.sh, in place.

Verify the bundle (manifest, Debian release, architecture), stop the service, take a
backup, install the new release beside the old one (a new virtual environment under
releases/, `current` switched to it, migrations applied), start, wait for /healthz.
On any failure after the stop: `current` goes back to the previous release, the database
comes back from the backup, the previous version is started again, and it says so.
"""
import contextlib
import os
import signal
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

import click

from ..core import clock, db
from . import releases
from .commands import load_config
from .backup import BackupError
from .restore import restore
from .schedule import run_backup


class UpgradeFailed(Exception):
    pass


def installation():
    """(home, install.env values) of the installation this `cem` runs from."""
    home = Path(sys.prefix).resolve().parents[2]
    env_file = home / "install.env"
    if not env_file.exists():
        raise click.ClickException("cem upgrade upgrades an installation made by install-offline.sh; "
                                   "in a development checkout run `git pull` and installer/install.sh")
    values = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    return home, {k: v.strip('"') for k, v in values.items()}


def unpack(bundle, home):
    staging = home / "staging"
    subprocess.run(["rm", "-rf", str(staging)], check=True)
    staging.mkdir()
    try:
        with tarfile.open(bundle, "r:gz") as tar:
            tar.extractall(staging, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise click.ClickException(f"{bundle} is damaged or truncated ({exc}): copy it again") from None
    found = [p for p in staging.iterdir() if (p / "install-offline.sh").exists()]
    if not found:
        raise click.ClickException(f"{bundle} is not a Tingjian bundle (no install-offline.sh)")
    result = subprocess.run([str(found[0] / "install-offline.sh"), "--verify-only"],
                            capture_output=True, text=True)
    if result.returncode:
        raise click.ClickException(result.stderr.strip() or "the bundle did not verify")
    return found[0]


def stop(home, env):
    if env.get("SYSTEMD") == "yes":
        subprocess.run(["systemctl", "stop", "tingjian"], check=True)
        return
    pid_file = home / "tingjian.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text())
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and _running(pid):
            time.sleep(0.2)   # waiting on another process's exit: no signal to wait on
        if _running(pid):
            raise UpgradeFailed(f"Tingjian (pid {pid}) did not stop within 40 s")


def _running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def start(home, env):
    if env.get("SYSTEMD") == "yes":
        subprocess.run(["systemctl", "start", "tingjian"], check=True)
        return
    # spawned in its own session, outliving this command: no Popen object left to reap it
    cem = str(home / "current/venv/bin/cem")
    log = os.open(Path(env["LOGS"]) / "tingjian.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        pid = os.posix_spawn(cem, [cem, "serve"], {**os.environ, "TINGJIAN_CONFIG": env["CONFIG"]},
                             file_actions=[(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                                           (os.POSIX_SPAWN_DUP2, log, 1), (os.POSIX_SPAWN_DUP2, log, 2)],
                             setsid=True)
    finally:
        os.close(log)
    (home / "tingjian.pid").write_text(f"{pid}\n")


def wait_healthy(bind, seconds=90):
    url = f"http://{bind.replace('0.0.0.0', '127.0.0.1')}/healthz"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        time.sleep(0.5)   # polling the new server: it has no way to tell us it is up
    raise UpgradeFailed(f"{url} did not answer 200 within {seconds} s")


def install(bundle_dir, env, bind):
    command = [str(bundle_dir / "install-offline.sh"), "--no-start", "--bind", bind]
    if env.get("PREFIX"):
        command += ["--prefix", env["PREFIX"]]
    if env.get("SYSTEMD") != "yes":
        command.append("--no-systemd")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise UpgradeFailed(result.stderr.strip().splitlines()[-1] if result.stderr.strip()
                            else "install-offline.sh failed")


@click.command()
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False))
@click.option("--keep", type=click.IntRange(min=1), default=releases.DEFAULT_KEEP,
              envvar="TINGJIAN_KEEP_RELEASES", show_default=True,
              help="Releases to keep after a successful upgrade (the current one included).")
def upgrade(bundle, keep):
    """Upgrade from an offline bundle; on failure roll back to the previous release and backup."""
    home, env = installation()
    os.environ.setdefault("TINGJIAN_CONFIG", env["CONFIG"])
    cfg = load_config()
    perform(home, env, cfg, unpack(bundle, home), keep)


def perform(home, env, cfg, bundle_dir, keep=releases.DEFAULT_KEEP):
    """Stop, back up, install the unpacked bundle, start, check /healthz; roll back on failure
    (click.ClickException saying so); on success prune the old releases."""
    previous = os.readlink(home / "current")
    click.echo(f"upgrading {previous} with {bundle_dir.name}")
    try:
        stop(home, env)
    except (UpgradeFailed, subprocess.CalledProcessError) as exc:
        raise click.ClickException(f"no upgrade: could not stop Tingjian ({exc}); nothing changed") from None
    archive = Path(cfg["DATA_DIR"]) / "backups" / f"pre-upgrade-{clock.utcnow():%Y%m%dT%H%M%S%fZ}.tar"
    with contextlib.closing(db.connect(db.database_path(cfg["DATA_DIR"]))) as database:
        backup = run_backup(database, cfg, "upgrade", archive)
    if backup["status"] != "ok":
        start(home, env)
        raise click.ClickException(f"no upgrade: the backup failed ({backup['error']}); "
                                   f"{previous} started again")
    click.echo(f"backed up to {archive}")
    try:
        install(bundle_dir, env, cfg["BIND"])
        start(home, env)
        wait_healthy(cfg["BIND"])
    except (UpgradeFailed, subprocess.CalledProcessError, OSError) as exc:
        outcome = roll_back(home, env, cfg, previous, archive)
        raise click.ClickException(f"upgrade failed ({exc}); rolled back to {previous} and {outcome}") from None
    click.echo(f"upgraded to {os.readlink(home / 'current')}; /healthz answers 200; "
               f"{releases.describe(releases.prune(home, keep))}")


def roll_back(home, env, cfg, previous, archive):
    with contextlib.suppress(UpgradeFailed, subprocess.CalledProcessError, OSError):
        stop(home, env)
    link = home / "current.rollback"
    link.unlink(missing_ok=True)
    link.symlink_to(previous)
    link.replace(home / "current")
    try:
        restore(archive, cfg["DATA_DIR"], home / "current" / "migrations")
        outcome = f"the backup {archive}"
    except BackupError as exc:
        outcome = f"NOT to the backup {archive} ({exc}): restore it with cem restore"
    start(home, env)
    try:
        wait_healthy(cfg["BIND"])
    except UpgradeFailed as exc:
        return f"{outcome}, but it does not answer yet ({exc}): see its log"
    return f"{outcome}, running again"
