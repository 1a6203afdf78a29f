"""The daily backup, run by the job runner. The schedule is data: one due row in
ops_schedule, claimed by a compare-and-set update that also moves it to the next day
(so a failing backup cannot loop); each run is recorded in backup_runs and only the
newest `backup_keep` archives stay."""
import contextlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ..core import clock, queue, settings
from ..core.db import connect, transaction
from . import status
from .backup import BackupError, create


def backup_dir(config):
    return Path(config["BACKUP_DIR"] or Path(config["DATA_DIR"]) / "backups")


def next_run(now, hour, timezone):
    """The next hour:00 in the organisation's time zone after `now` (UTC), as UTC ISO."""
    local = now.astimezone(ZoneInfo(timezone))
    due = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if due <= local:
        due += timedelta(days=1)
    return clock.iso(due.astimezone(ZoneInfo("UTC")))


def claim(db, config):
    """True when this runner won today's backup (the due time moves on either way)."""
    now = clock.utcnow()
    upcoming = next_run(now, config["BACKUP_HOUR"], settings.get(db, "org.timezone") or "UTC")
    with transaction(db):
        db.execute("INSERT INTO ops_schedule (name, next_at) VALUES ('backup', ?) "
                   "ON CONFLICT(name) DO NOTHING", (upcoming,))
        return db.execute("UPDATE ops_schedule SET next_at = ?, claimed_by = ?, claimed_at = ? "
                          "WHERE name = 'backup' AND next_at <= ?",
                          (upcoming, queue.worker_name(), clock.iso(now), clock.iso(now))).rowcount == 1


def backup_tick(app):
    config = app.config
    if config["BACKUP_HOUR"] < 0:
        return
    with contextlib.closing(connect(config["DATABASE"])) as db:
        if claim(db, config):
            run_backup(db, config, "scheduled")
            prune(backup_dir(config), config["BACKUP_KEEP"])


def run_backup(db, config, kind, archive=None):
    """One recorded backup; returns the backup_runs row (status ok or failed)."""
    stamp = clock.utcnow().strftime("%Y%m%dT%H%M%SZ")
    archive = Path(archive or backup_dir(config) / f"tingjian-{stamp}.tar")
    run_id = status.record_start(db, kind, str(archive))
    passphrase_file = config["BACKUP_PASSPHRASE_FILE"]
    try:
        secret = Path(passphrase_file).read_text().strip() if passphrase_file else None
        create(config["DATA_DIR"], archive, f"{archive}.keys" if secret else None, secret)
    except (BackupError, OSError) as exc:
        return status.record_end(db, run_id, error=str(exc))
    return status.record_end(db, run_id, size=archive.stat().st_size)


def prune(directory, keep):
    archives = sorted(Path(directory).glob("tingjian-*.tar"), reverse=True)
    for old in archives[keep:]:
        old.unlink(missing_ok=True)
        Path(f"{old}.keys").unlink(missing_ok=True)
