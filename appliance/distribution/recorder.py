"""Writes what happened to each claimed invitation, a few at a time, in the transaction that
marks the next message as leaving (see sending.py)."""
from datetime import timedelta

from ..core import clock, events

LOG = "INSERT INTO delivery_log (invitation_id, at, event, detail) VALUES (?, ?, ?, ?)"
MINE = "AND status = 'sending' AND claimed_by = ?"


class Recorder:
    def __init__(self, db, worker):
        self.db, self.worker, self.pending = db, worker, []

    def add(self, outcome, row, detail="", due=None):
        self.pending.append((outcome, row, detail or "", due))

    def flush(self, committing=None):
        from ..core.db import transaction
        if not self.pending and committing is None:
            return
        with transaction(self.db):
            for outcome, row, detail, due in self.pending:
                getattr(self, f"_{outcome}")(row, detail, due)
            self.pending = []
            if committing is not None:
                self.db.execute(f"UPDATE invitations SET committing_at = ? WHERE id = ? {MINE}",
                                (clock.now_iso(), committing, self.worker))

    def _set(self, row, assignments, params, event, detail):
        changed = self.db.execute(f"UPDATE invitations SET {assignments} WHERE id = ? {MINE}",
                                  [*params, row["id"], self.worker]).rowcount
        if changed and event:
            self.db.execute(LOG, (row["id"], clock.now_iso(), event, detail))
        return changed

    def _sent(self, row, answer, _due):
        reminder = row["sent_at"] is not None
        more = row["reminder_days"] and row["reminders_sent"] < row["reminder_max"]
        follow = clock.iso(clock.utcnow() + timedelta(days=row["reminder_days"])) if more else None
        now = clock.now_iso()
        changed = self._set(row, "status = 'sent', sent_at = ?, committing_at = NULL, "
                                 "last_error = '', next_reminder_at = ?", (now, follow),
                            "reminded" if reminder else "sent", answer)
        if changed and not reminder:
            publish_sent(self.db, row, now)

    def _retry(self, row, answer, due):
        self._set(row, "status = 'scheduled', due_at = ?, committing_at = NULL, last_error = ?",
                  (due, answer), "retry", answer)

    def _failed(self, row, answer, _due):
        self._set(row, "status = 'failed', committing_at = NULL, last_error = ?", (answer,),
                  "failed", answer)

    def _deferred(self, row, detail, due):
        self._set(row, "status = 'scheduled', due_at = ?, attempts = attempts - 1", (due,),
                  "deferred", detail)

    def _answered(self, row, _detail, _due):
        self._set(row, "status = 'sent', next_reminder_at = NULL, attempts = attempts - 1", (),
                  None, "")

    def _outcome(self, row, status, detail):
        self._set(row, f"status = '{status}', next_reminder_at = NULL", (), status, detail)

    def _opted_out(self, row, detail, _due):
        self._outcome(row, "opted_out", detail)

    def _skipped(self, row, detail, _due):
        self._outcome(row, "skipped", detail)

    def _erased(self, row, detail, _due):
        self._outcome(row, "erased", detail)


def publish_sent(db, row, sent_at):
    """invitation.sent: the metrics domain counts invitations sent for response rates."""
    events.publish(db, "invitation.sent", {"invitation_id": row["id"],
                                           "survey_id": row["survey_id"],
                                           "unit_id": row["unit_id"], "sent_at": sent_at})
