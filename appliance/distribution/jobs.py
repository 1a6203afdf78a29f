"""The job runner's ticks (declared in DOMAIN.jobs): thin loops over due rows."""
import contextlib

from ..core import clock
from ..core.db import connect, transaction
from . import sending, waves


def _database(app):
    return contextlib.closing(connect(app.config["DATABASE"]))


def start_due_waves(app):
    """Due waves become runs; runs get their invitations, a batch a transaction."""
    with app.app_context(), _database(app) as db:
        waves.claim_due_runs(db)
        waves.build_pending_runs(db)


def send_due(app):
    with app.app_context(), _database(app) as db:
        sending.send_due(db)


def schedule_reminders(app):
    with app.app_context(), _database(app) as db:
        queue_reminders(db)


def queue_reminders(db, now=None, limit=5000):
    """Sent, unanswered invitations whose reminder is due go back to the sender (the
    compare-and-set on next_reminder_at makes each reminder happen once)."""
    moment = clock.iso(now or clock.utcnow())
    rows = db.execute("SELECT i.id, i.next_reminder_at FROM invitations i WHERE "
                      "i.next_reminder_at <= ? AND i.status = 'sent' AND i.responded_at IS NULL "
                      "LIMIT ?", (moment, limit)).fetchall()
    with transaction(db):
        for row in rows:
            db.execute("UPDATE invitations SET status = 'scheduled', due_at = ?, "
                       "next_reminder_at = NULL, reminders_sent = reminders_sent + 1 "
                       "WHERE id = ? AND next_reminder_at = ?", (clock.now_iso(), row[0], row[1]))
    return len(rows)
