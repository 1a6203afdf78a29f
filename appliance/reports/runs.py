"""The schedule is data: due subscriptions become report runs, claimed by compare-and-set.

tick(app) (the job runner's "reports.tick") plans what is due and renders queued runs;
one runner wins each claim, so two runners or a restart never render or send twice:
- plan_due: a due subscription's next_run_at moves forward by compare-and-set; in the same
  transaction its runs (one per period and recipient scope, run_key unique) and their
  deliveries (delivery_key unique) are written.
- render_next: a queued run (or one whose renderer died: stale claim) is claimed, rendered,
  archived, and in one transaction marked ready and its deliveries queued (dedupe keys).
"""
import logging
import time
from datetime import timedelta

from ..core import clock, localtime, queue, settings
from ..core.db import query_all, query_one, transaction
from ..org import units as units_service
from . import archive, schedule, subscriptions

log = logging.getLogger(__name__)
STALE_SECONDS = 900
MAX_ATTEMPTS = 3


def plan_due(db, limit=20):
    """Turn due subscriptions into runs and deliveries; returns runs created."""
    now = clock.now_iso()
    due = query_all(db, "SELECT * FROM report_subscriptions WHERE active = 1 AND next_run_at <= ? "
                        "ORDER BY next_run_at LIMIT ?", (now, limit))
    return sum(_plan_one(db, sub) for sub in due)


def _plan_one(db, sub):
    following = clock.iso(schedule.next_run(sub["schedule"], clock.utcnow(),
                                            localtime.zone_name(db)))
    date_from, date_to = schedule.period(sub["period"], localtime.today(db))
    unit = units_service.get_unit(db, sub["unit_id"])
    recipients = subscriptions.recipients(db, sub["id"])
    with transaction(db):
        claimed = db.execute("UPDATE report_subscriptions SET next_run_at = ? "
                             "WHERE id = ? AND next_run_at = ?",
                             (following, sub["id"], sub["next_run_at"])).rowcount
        if not claimed:
            return 0   # another runner planned it
        return _write_runs(db, sub, unit, recipients, date_from, date_to)


def _write_runs(db, sub, unit, recipients, date_from, date_to):
    created = 0
    for recipient in recipients:
        for node_id in subscriptions.nodes_for(recipient, unit):
            node = {"id": node_id}
            run_key = f"sub:{sub['id']}:{date_from}:{date_to}:{node['id']}"
            run_id = create_run(db, run_key, sub["report_type"], node, date_from, date_to,
                                sub["language"], subscription_id=sub["id"])
            created += run_id is not None
            run = query_one(db, "SELECT id FROM report_runs WHERE run_key = ?", (run_key,))
            db.execute("INSERT INTO report_deliveries (delivery_key, run_id, recipient_id, "
                       "address_enc, language, status, created_at) VALUES (?, ?, ?, ?, ?, "
                       "'pending', ?) ON CONFLICT(delivery_key) DO NOTHING",
                       (f"{run_key}:{recipient['id']}", run["id"], recipient["id"],
                        subscriptions.keyring().encrypt(recipient["email"]),
                        recipient["language"] or sub["language"], clock.now_iso()))
    return created


def create_run(db, run_key, kind, unit, date_from, date_to, language, subscription_id=None,
               requested_by=None, survey_id=None):
    """A queued run (inside the caller's transaction); None if run_key exists already."""
    cursor = db.execute(
        "INSERT INTO report_runs (run_key, subscription_id, report_type, unit_id, survey_id, "
        "date_from, date_to, language, status, requested_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT(run_key) DO NOTHING",
        (run_key, subscription_id, kind, unit["id"], survey_id, str(date_from), str(date_to),
         language, requested_by, clock.now_iso()))
    return cursor.lastrowid if cursor.rowcount else None


def claim_run(db, worker):
    stale = clock.in_seconds(-STALE_SECONDS)
    with transaction(db):
        rows = query_all(db, """
            UPDATE report_runs SET status = 'rendering', claimed_by = ?, claimed_at = ?,
                   attempts = attempts + 1, progress = 5
            WHERE id = (SELECT id FROM report_runs
                        WHERE status = 'queued' OR (status = 'rendering' AND claimed_at < ?)
                        ORDER BY id LIMIT 1)
            RETURNING *""", (worker, clock.now_iso(), stale))
    return rows[0] if rows else None


def render_next(db, data_dir, worker=None):
    """Claim, render and archive one run; returns its final status or None if none was due."""
    run = claim_run(db, worker or queue.worker_name())
    if run is None:
        return None
    try:
        document = _render(db, run)
        name = archive.store(data_dir, run, document)
    except Exception as exc:
        log.exception("report run %s failed", run["id"])
        return _failed(db, run, exc)
    with transaction(db):
        db.execute("UPDATE report_runs SET status = 'ready', progress = 100, file_name = ?, "
                   "size = ?, error = NULL, finished_at = ? WHERE id = ? AND claimed_by = ?",
                   (name, len(document), clock.now_iso(), run["id"], run["claimed_by"]))
        for delivery in query_all(db, "SELECT id, delivery_key FROM report_deliveries "
                                      "WHERE run_id = ? AND status = 'pending'", (run["id"],)):
            queue.enqueue(db, "reports.deliver", {"delivery_id": delivery["id"]},
                          dedupe_key=f"report:{delivery['delivery_key']}")
    return "ready"


def _render(db, run):
    from . import render
    unit = units_service.get_unit(db, run["unit_id"])

    def progress(percent):
        with transaction(db):
            db.execute("UPDATE report_runs SET progress = ? WHERE id = ?", (percent, run["id"]))
    document, _report = render.build(db, run["report_type"], unit, run["date_from"],
                                     run["date_to"], run["language"], progress=progress,
                                     survey_id=run["survey_id"])
    return document


def _failed(db, run, exc):
    final = run["attempts"] >= MAX_ATTEMPTS
    with transaction(db):
        db.execute("UPDATE report_runs SET status = ?, error = ?, progress = 0 WHERE id = ?",
                   ("failed" if final else "queued", f"{type(exc).__name__}: {exc}"[:2000],
                    run["id"]))
    return "failed" if final else "retry"


def tick(app, budget_seconds=50):
    """The job runner's tick: plan what is due, render queued runs for up to budget_seconds,
    purge the archive past its retention."""
    from ..core.jobs import _database
    with app.app_context(), _database(app) as db:
        plan_due(db)
        started = time.monotonic()
        while time.monotonic() - started < budget_seconds:
            if render_next(db, app.config["DATA_DIR"]) is None:
                break
        archive.purge(db, app.config["DATA_DIR"])


def retention_cutoff(db):
    days = int(settings.get(db, "reports.retention_days") or archive.DEFAULT_RETENTION_DAYS)
    return clock.iso(clock.utcnow() - timedelta(days=days))
