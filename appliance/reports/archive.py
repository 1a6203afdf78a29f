"""The report archive: PDFs under DATA_DIR/reports, rows in report_runs, kept for the
retention setting (reports.retention_days), downloaded by those whose scope holds the node."""
import os
from pathlib import Path

from ..core import audit, clock, settings
from ..core.db import query_all, transaction
from ..org.lookups import with_unit_fields

DEFAULT_RETENTION_DAYS = 365
SELECT = "SELECT r.* FROM report_runs r"


def folder(data_dir):
    path = Path(data_dir) / "reports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def store(data_dir, run, document):
    """Write the PDF atomically (a crash leaves no half file); returns its file name."""
    name = f"report-{run['id']}-{run['report_type']}-{run['date_from']}-{run['date_to']}.pdf"
    target = folder(data_dir) / name
    partial = target.with_suffix(".part")
    partial.write_bytes(document)
    os.replace(partial, target)
    return name


def file_path(data_dir, run):
    return folder(data_dir) / run["file_name"]


def get(db, run_id):
    """The run with its unit's code, name and path beside it, or None."""
    rows = with_unit_fields(db, query_all(db, f"{SELECT} WHERE r.id = ?", (run_id,)))
    return rows[0] if rows else None


def list_for(db, scope, limit=100):
    fragment, params = scope.sql("r.unit_id")
    return with_unit_fields(db, query_all(
        db, f"{SELECT} WHERE {fragment} ORDER BY r.id DESC LIMIT ?", [*params, limit]))


def get_for_user(db, run_id, scope):
    """The run if its node is inside the scope, else None (the view answers 404)."""
    run = get(db, run_id)
    return run if run and scope.contains_path(run["unit_path"]) else None


def record_download(db, run, actor):
    with transaction(db):
        audit.record(db, "report.download", "report_run", run["id"], run["unit_id"],
                     after={"file": run["file_name"]}, actor=actor)


def purge(db, data_dir):
    """Expire reports older than the retention: the file goes, the row says so."""
    days = int(settings.get(db, "reports.retention_days") or DEFAULT_RETENTION_DAYS)
    cutoff = clock.in_seconds(-days * 86400)
    for run in query_all(db, "SELECT * FROM report_runs WHERE status = 'ready' AND "
                             "finished_at < ? LIMIT 200", (cutoff,)):
        (folder(data_dir) / run["file_name"]).unlink(missing_ok=True)
        with transaction(db):
            db.execute("UPDATE report_runs SET status = 'expired' WHERE id = ?", (run["id"],))
