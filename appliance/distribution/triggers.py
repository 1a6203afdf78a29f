"""Event-triggered invitations: a transaction reported by an integrating system becomes an
invitation after the wave's delay, inside its allowed hours, for a sample of transactions,
once per transaction id and at most once per contact per N days."""
import hashlib
import sqlite3
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from ..core import clock
from ..core.db import query_one, transaction
from ..core.errors import ValidationError
from . import contacts, keys, timing, waves


class Repeated(Exception):
    def __init__(self, earlier):
        super().__init__(earlier["decision"])
        self.earlier = earlier


def sampled(transaction_id, percent):
    """Deterministic: the same transaction is always in or always out of the sample."""
    bucket = int(hashlib.sha256(transaction_id.encode()).hexdigest()[:8], 16) % 10_000
    return bucket < percent * 100


def parse_time(text, zone):
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError({"transaction_time": _(
            "transaction_time: an ISO 8601 time such as 2026-12-01T10:00:00+08:00.")}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(timezone.utc)


def contact_for(db, unit, fields):
    """The contact matching the email or phone, created under the unit if new."""
    errors = contacts.check_fields(fields)
    if errors:
        raise ValidationError({f"contact.{k}": v for k, v in errors.items()})
    found = contacts.find_by_identity(db, fields.get("email", ""), fields.get("phone", ""))
    if found:
        return found
    row = {**contacts.sealed_row(fields, keys.keyring(), keys.blind_key()), "unit_id": unit["id"],
           "created_at": clock.now_iso(), "updated_at": clock.now_iso()}
    contact_id = db.execute(f"INSERT INTO contacts ({', '.join(row)}) VALUES "
                            f"({', '.join('?' * len(row))})", list(row.values())).lastrowid
    return query_one(db, "SELECT * FROM contacts WHERE id = ?", (contact_id,))


def decide(db, wave, contact, transaction_id):
    if db.execute("SELECT 1 FROM contact_optouts c JOIN channels ch ON ch.kind = c.channel "
                  "WHERE c.contact_id = ? AND ch.id = ?", (contact["id"], wave["channel_id"])
                  ).fetchone():
        return "opted_out"
    if not sampled(transaction_id, wave["sampling_percent"]):
        return "sampled_out"
    if wave["per_contact_days"] and db.execute(
            "SELECT 1 FROM invitations WHERE wave_id = ? AND contact_id = ? AND created_at >= ?",
            (wave["id"], contact["id"], clock.in_seconds(-86400 * wave["per_contact_days"]))
    ).fetchone():
        return "recently_asked"
    return "scheduled"


def send_time(wave, contact, moment, zone):
    due = max(moment + timedelta(minutes=wave["delay_minutes"]), clock.utcnow())
    start, end = timing.parse_hhmm(wave["window_start"]), timing.parse_hhmm(wave["window_end"])
    return timing.next_inside(due, contact["timezone"] or zone, start, end)


def receive(db, wave, unit, fields, transaction_id, moment, order_id=""):
    """Record the trigger and its decision (one transaction). Raises Repeated."""
    zone = waves.org_zone(db)
    try:
        with transaction(db):
            earlier = query_one(db, "SELECT * FROM triggers WHERE wave_id = ? AND "
                                    "transaction_id = ?", (wave["id"], transaction_id))
            if earlier:
                raise Repeated(earlier)
            contact = contact_for(db, unit, fields)
            decision = decide(db, wave, contact, transaction_id)
            invitation_id, due = None, None
            if decision == "scheduled":
                due = clock.iso(send_time(wave, contact, moment, zone))
                invitation_id = waves.insert_invitations(
                    db, wave, None, [{"id": contact["id"], "unit_id": unit["id"]}], due,
                    {"order_id": order_id, "transaction_id": transaction_id})[0]
            db.execute("INSERT INTO triggers (wave_id, transaction_id, contact_id, unit_id, "
                       "transaction_at, decision, invitation_id, received_at) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?, ?)",
                       (wave["id"], transaction_id, contact["id"], unit["id"], clock.iso(moment),
                        decision, invitation_id, clock.now_iso()))
    except sqlite3.IntegrityError:   # the same transaction id committed by a parallel call
        raise Repeated(query_one(db, "SELECT * FROM triggers WHERE wave_id = ? AND "
                                     "transaction_id = ?", (wave["id"], transaction_id))) from None
    return {"decision": decision, "invitation_id": invitation_id, "send_at": due}
