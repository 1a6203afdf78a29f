"""The backups' record (backup_runs): written by each backup, read by /healthz, /metrics,
`cem check` and the admin's overview through last_backup() and backup_health()."""
from ..core import audit, clock
from ..core.db import query_one, transaction

MAX_AGE_HOURS = 26   # a daily backup, with two hours' grace


def record_start(db, kind, archive):
    with transaction(db):
        return db.execute("INSERT INTO backup_runs (kind, started_at, status, archive) "
                          "VALUES (?, ?, 'running', ?)", (kind, clock.now_iso(), archive)).lastrowid


def record_end(db, run_id, size=None, error=None):
    """The result; a good backup is an export of personal data, so it is audited too."""
    with transaction(db):
        db.execute("UPDATE backup_runs SET finished_at = ?, status = ?, size_bytes = ?, error = ? "
                   "WHERE id = ?", (clock.now_iso(), "failed" if error else "ok", size, error, run_id))
        if not error:
            row = query_one(db, "SELECT kind, archive FROM backup_runs WHERE id = ?", (run_id,))
            audit.record(db, "backup.create", "backup", run_id, after={**row, "size_bytes": size})
    return query_one(db, "SELECT * FROM backup_runs WHERE id = ?", (run_id,))


def last_backup(db, status="ok"):
    return query_one(db, "SELECT * FROM backup_runs WHERE status = ? "
                         "ORDER BY finished_at DESC LIMIT 1", (status,))


def age_hours(row):
    if not row or not row["finished_at"]:
        return None
    return round((clock.utcnow() - clock.parse(row["finished_at"])).total_seconds() / 3600, 2)


def backup_health(db, scheduled=True):
    """{"ok", "last_ok_at", "age_hours", "last_failed_at", "last_error"}: ok while the newest
    good backup is younger than a day (or backups are not scheduled)."""
    good, bad = last_backup(db, "ok"), last_backup(db, "failed")
    age = age_hours(good)
    failed_since = bad and (not good or bad["finished_at"] > good["finished_at"])
    return {"ok": not scheduled or (age is not None and age < MAX_AGE_HOURS and not failed_since),
            "last_ok_at": good and good["finished_at"], "age_hours": age,
            "last_failed_at": bad and bad["finished_at"],
            "last_error": bad["error"] if failed_since else None}
