"""What the collection domain tells us about invitations: opened (invitation.opened) and
answered (response.accepted, read through collection's responses_by_ids)."""
from ..core import clock, events
from ..core.db import query_all, transaction
from ..collection import responses_query

LOG = "INSERT INTO delivery_log (invitation_id, at, event, detail) VALUES (?, ?, ?, ?)"


def _invitations(db, link_ids):
    link_ids = [i for i in link_ids if i]
    if not link_ids:
        return {}
    rows = query_all(db, f"SELECT id, link_id, unit_id, opened_at, responded_at FROM invitations WHERE "
                         f"link_id IN ({','.join('?' * len(link_ids))})", link_ids)
    return {row["link_id"]: row for row in rows}


def on_responses(db, payloads):
    responses = responses_query.responses_by_ids(db, [p["response_id"] for p in payloads])
    found = _invitations(db, [r["link_id"] for r in responses.values()])
    if not found:
        return
    with transaction(db):
        for response in responses.values():
            invitation = found.get(response["link_id"])
            if invitation is None or invitation["responded_at"]:
                continue
            moment = response["submitted_at"] or clock.now_iso()
            db.execute("UPDATE invitations SET responded_at = ?, nps = ?, next_reminder_at = NULL, "
                       "opened_at = COALESCE(opened_at, ?) WHERE id = ?",
                       (moment, response["nps"], moment, invitation["id"]))
            db.execute(LOG, (invitation["id"], moment, "responded", ""))
            events.publish(db, "invitation.responded", {
                "invitation_id": invitation["id"], "survey_id": response["survey_id"],
                "unit_id": invitation["unit_id"], "responded_at": moment})


def on_opened(db, payloads):
    found = _invitations(db, [p["link_id"] for p in payloads])
    now = clock.now_iso()
    with transaction(db):
        for invitation in found.values():
            if db.execute("UPDATE invitations SET opened_at = ? WHERE id = ? AND opened_at IS NULL",
                          (now, invitation["id"])).rowcount:
                db.execute(LOG, (invitation["id"], now, "opened", ""))
