"""The audit log: who changed what, when, before and after; and every export of personal data.

Written by the service functions in the same transaction as the change they describe.
An action a domain declares in DOMAIN.audit_coalesce (e.g. the designer's autosave,
survey.draft_save: 30 minutes) writes one row per editing session: a save by the same
actor on the same object within that many minutes of the last one updates that row
(its time and "after"; "before" stays the state the session started from).
"""
import json
from datetime import timedelta

from flask import g, has_request_context, request
from flask_babel import lazy_gettext as _l

from . import clock

ACTION_LABELS = {
    "auth.login": _l("signed in"), "auth.lockout": _l("account locked"),
    "unit.create": _l("created unit"), "unit.update": _l("changed unit"),
    "user.create": _l("created user"), "user.update": _l("changed user"),
    "user.password_reset": _l("reset password"), "setup.complete": _l("completed setup"),
    "export.units": _l("exported units"), "settings.smtp": _l("changed the email relay"),
    "settings.preferences": _l("changed the preferences"),
}
COALESCE = {}   # action code -> minutes; filled from the domains by Registry.activate()


def label(action):
    """A person's words for an action code; domains add theirs to ACTION_LABELS."""
    return ACTION_LABELS.get(action, action)


def record(db, action, entity, entity_id="", unit_id=None, before=None, after=None, actor=None):
    actor = actor or (g.get("user") if has_request_context() else None)
    user_id, username = (actor["id"], actor["username"]) if actor else (None, "system")
    if action in COALESCE and _extend_session(db, action, entity, entity_id, username, after):
        return
    db.execute(
        "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, unit_id, "
        "before, after, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (clock.now_iso(), user_id, username, action, entity, str(entity_id), unit_id,
         _json(before), _json(after), _address()))


def entries(db, where, params, limit, offset=0):
    """The trail, newest first, for a WHERE fragment over the alias `a` (unit_id, action, at):
    the reader (org's audit log page) builds the scope, this module owns the table."""
    rows = db.execute(f"SELECT a.* FROM audit_log a WHERE {where} ORDER BY a.at DESC, a.id DESC "
                      f"LIMIT {int(limit)} OFFSET {int(offset)}", params).fetchall()
    return [dict(row) for row in rows]


def _extend_session(db, action, entity, entity_id, username, after):
    since = clock.iso(clock.utcnow() - timedelta(minutes=COALESCE[action]))
    row = db.execute("SELECT id FROM audit_log WHERE action = ? AND entity = ? AND entity_id = ? "
                     "AND username = ? AND at >= ? ORDER BY id DESC LIMIT 1",
                     (action, entity, str(entity_id), username, since)).fetchone()
    if row is None:
        return False
    db.execute("UPDATE audit_log SET at = ?, after = ?, ip = ? WHERE id = ?",
               (clock.now_iso(), _json(after), _address(), row[0]))
    return True


def _address():
    return (request.remote_addr or "") if has_request_context() else ""


def record_export(db, action, entity, after, unit_id=None):
    """An export (of personal data or not) is audited in a transaction of its own."""
    from .db import transaction
    with transaction(db):
        record(db, action, entity, "", unit_id, after=after)


def _json(value):
    if value is None:
        return None
    return json.dumps(_redact(value), ensure_ascii=False, default=str, sort_keys=True)


def _redact(value):
    """Never write secrets or ciphertexts into the audit trail."""
    if isinstance(value, dict):
        return {k: ("***" if k.endswith(("_hash", "_enc", "password")) else v)
                for k, v in value.items()}
    return value
