"""The audit log: who changed what, when, before and after; and every export of personal data.

Written by the service functions in the same transaction as the change they describe.
"""
import json

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


def label(action):
    """A person's words for an action code; domains add theirs to ACTION_LABELS."""
    return ACTION_LABELS.get(action, action)


def record(db, action, entity, entity_id="", unit_id=None, before=None, after=None, actor=None):
    actor = actor or (g.get("user") if has_request_context() else None)
    db.execute(
        "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, unit_id, "
        "before, after, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (clock.now_iso(), actor["id"] if actor else None,
         actor["username"] if actor else "system", action, entity, str(entity_id), unit_id,
         _json(before), _json(after), request.remote_addr if has_request_context() else ""))


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
