"""POST /api/v1/triggers: an integrating system (POS, CRM) reports a transaction.

Body: {"wave_id": n, "unit": "EAST-01", "transaction_id": "...", "transaction_time":
"2026-12-01T10:00:00+08:00", "contact": {"email"|"phone", "name", "language", "timezone"},
"order_id": optional}. Authenticated by an integration API token scoped to a unit subtree
(or a signed-in user): g.user and its scope for trigger_surveys. Answers 202 with the
decision (scheduled, sampled_out, recently_asked, opted_out), or the error envelope.
"""
from flask import Blueprint, abort, g, jsonify, request
from flask_babel import gettext as _

from ..core import json_input
from ..core.db import get_db
from ..core.errors import ApiError, ValidationError
from ..org import units as units_service
from ..org.scope import current_scope
from . import triggers, waves

bp = Blueprint("distribution_api", __name__, url_prefix="/api/v1")
MAX_BODY_BYTES = 16 * 1024
CONTACT_FIELDS = ("name", "email", "phone", "language", "timezone")


def _fail(status, message, field=None):
    """Refuse the call: the error boundary (core.errors) renders the envelope."""
    raise ApiError(status, message, [{"field": field, "message": message}] if field else [])


def _text(payload, name, required=True, limit=100):
    value = payload.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise ValidationError({name: _("%(name)s: text of at most %(n)s characters is required.",
                                       name=name, n=limit)})
    return value.strip()


@bp.post("/triggers")
def trigger():
    if g.get("user") is None:
        return _fail(401, _("An integration API token is required (Authorization: Bearer …)."))
    scope = current_scope("trigger_surveys")
    if scope.is_empty:
        abort(403)
    request.max_content_length = MAX_BODY_BYTES
    payload = json_input.read(request)
    if not isinstance(payload, dict) or not isinstance(payload.get("contact"), dict):
        return _fail(400, _("The body must be a JSON object with wave_id, unit, transaction_id, "
                            "transaction_time and contact."))
    db = get_db()
    wave_id = payload.get("wave_id")
    wave = waves.get_wave(db, scope, wave_id) if isinstance(wave_id, int) and \
        not isinstance(wave_id, bool) else None
    if wave is None or wave["schedule"] != "trigger":
        return _fail(404, _("No triggered wave %(id)s in your part of the organisation.",
                            id=str(wave_id)[:20]), "wave_id")
    if wave["status"] != "active":
        return _fail(409, _("The wave is paused."), "wave_id")
    code = _text(payload, "unit", limit=40)
    unit = units_service.get_unit_by_code(db, code)
    if unit is None or not scope.contains_path(unit["path"]) or \
            not unit["path"].startswith(wave["unit_path"]):
        return _fail(404, _("Unknown unit %(code)s (or outside your part of the organisation).",
                            code=code), "unit")
    fields = {k: v for k, v in payload["contact"].items() if k in CONTACT_FIELDS}
    if not all(isinstance(v, str) and len(v) <= 200 for v in fields.values()):
        return _fail(400, _("contact: its fields are text."), "contact")
    transaction_id = _text(payload, "transaction_id")
    moment = triggers.parse_time(payload.get("transaction_time"), waves.org_zone(db))
    try:
        outcome = triggers.receive(db, wave, unit, fields, transaction_id, moment,
                                   _text(payload, "order_id", required=False))
    except triggers.Repeated as repeated:
        return _fail(409, _("Transaction %(id)s was already received (%(decision)s); it is "
                            "never sent twice.", id=transaction_id,
                            decision=repeated.earlier["decision"]), "transaction_id")
    return jsonify({"ok": True, **outcome}), 202
