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
from ..core.errors import ApiError
from ..org import units as units_service
from ..org.scope import current_scope
from . import triggers, waves

bp = Blueprint("distribution_api", __name__, url_prefix="/api/v1")
MAX_BODY_BYTES = 16 * 1024
CONTACT_FIELDS = ("name", "email", "phone", "language", "timezone")


def _fail(status, message, field=None):
    """Refuse the call: the error boundary (core.errors) renders the envelope."""
    raise ApiError(status, message, [{"field": field, "message": message}] if field else [])


def _read_body():
    """The trigger's fields, or a 400 envelope naming each one that does not fit."""
    body = json_input.Body(json_input.read(request))
    fields = {"wave_id": body.integer("wave_id", minimum=1, maximum=2**63 - 1),
              "unit": (body.text("unit", max_length=40) or "").strip(),
              "transaction_id": (body.text("transaction_id", max_length=100) or "").strip(),
              "order_id": (body.text("order_id", required=False, max_length=100) or "").strip(),
              "transaction_time": body.data.get("transaction_time")}
    contact = body.mapping("contact")
    fields["contact"] = {k: v for k, v in contact.items() if k in CONTACT_FIELDS}
    if not all(isinstance(v, str) and len(v) <= 200 for v in fields["contact"].values()):
        body.error("contact", _("Each contact field is text of at most 200 characters."))
    body.check()
    return fields


@bp.post("/triggers")
def trigger():
    if g.get("user") is None:
        return _fail(401, _("An integration API token is required (Authorization: Bearer …)."))
    scope = current_scope("trigger_surveys")
    if scope.is_empty:
        abort(403)
    request.max_content_length = MAX_BODY_BYTES
    body = _read_body()
    db = get_db()
    wave = waves.get_wave(db, scope, body["wave_id"])
    if wave is None or wave["schedule"] != "trigger":
        return _fail(404, _("No triggered wave %(id)s in your part of the organisation.",
                            id=body["wave_id"]), "wave_id")
    if wave["status"] != "active":
        return _fail(409, _("The wave is paused."), "wave_id")
    unit = units_service.get_unit_by_code(db, body["unit"])
    if unit is None or not scope.contains_path(unit["path"]) or \
            not unit["path"].startswith(wave["unit_path"]):
        return _fail(404, _("Unknown unit %(code)s (or outside your part of the organisation).",
                            code=body["unit"]), "unit")
    moment = triggers.parse_time(body["transaction_time"], waves.org_zone(db))
    try:
        outcome = triggers.receive(db, wave, unit, body["contact"], body["transaction_id"],
                                   moment, body["order_id"])
    except triggers.Repeated as repeated:
        return _fail(409, _("Transaction %(id)s was already received (%(decision)s); it is "
                            "never sent twice.", id=body["transaction_id"],
                            decision=repeated.earlier["decision"]), "transaction_id")
    return jsonify({"ok": True, **outcome}), 202
