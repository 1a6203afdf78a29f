"""The delivery log read back: per wave (counts, response rate by unit and channel) and per
invitation (its events)."""
from ..core.db import query_all
from ..org import lookups

STATUSES = ("scheduled", "sending", "sent", "failed", "opted_out", "skipped", "erased")
PAGE_SIZE = 50


def wave_counts(db, wave_id):
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({r["status"]: r["n"] for r in query_all(
        db, "SELECT status, COUNT(*) AS n FROM invitations WHERE wave_id = ? GROUP BY status",
        (wave_id,))})
    row = db.execute("SELECT COUNT(*), SUM(opened_at IS NOT NULL), SUM(responded_at IS NOT NULL) "
                     "FROM invitations WHERE wave_id = ? AND sent_at IS NOT NULL",
                     (wave_id,)).fetchone()
    counts.update(delivered=row[0], opened=row[1] or 0, responded=row[2] or 0,
                  rate=(row[2] or 0) / row[0] if row[0] else None)
    return counts


def rates_by(db, wave_id, column):
    """Response rate of sent invitations grouped by unit or channel."""
    group = {"unit": "unit_id", "channel": "channel"}[column]
    rows = query_all(db, f"SELECT {group} AS label, COUNT(*) AS sent, "
                         f"SUM(responded_at IS NOT NULL) AS responded FROM invitations "
                         f"WHERE wave_id = ? AND sent_at IS NOT NULL GROUP BY {group} "
                         f"ORDER BY sent DESC LIMIT 100", (wave_id,))
    if column == "unit":
        for row in lookups.with_unit_fields(db, rows, key="label"):
            row["label"] = f"{row['unit_code']} {row['unit_name']}"
    for row in rows:
        row["rate"] = row["responded"] / row["sent"] if row["sent"] else 0
    return rows


def invitations(db, wave_id, status="", page=1):
    where, params = "i.wave_id = ?", [wave_id]
    if status in STATUSES:
        where += " AND i.status = ?"
        params.append(status)
    rows = query_all(db, f"SELECT i.* FROM invitations i WHERE {where} ORDER BY i.id DESC "
                         f"LIMIT ? OFFSET ?", params + [PAGE_SIZE + 1, (max(page, 1) - 1) * PAGE_SIZE])
    return lookups.with_unit_fields(db, rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE


def events_of(db, invitation_id):
    return query_all(db, "SELECT * FROM delivery_log WHERE invitation_id = ? ORDER BY id",
                     (invitation_id,))


def retry_failed(db, wave_id):
    """An admin sends a wave's failed invitations again (their attempts start over)."""
    from ..core import audit, clock
    from ..core.db import transaction
    with transaction(db):
        changed = db.execute("UPDATE invitations SET status = 'scheduled', attempts = 0, due_at = ? "
                             "WHERE wave_id = ? AND status = 'failed'",
                             (clock.now_iso(), wave_id)).rowcount
        audit.record(db, "invitation.retry", "wave", wave_id, after={"invitations": changed})
    return changed
