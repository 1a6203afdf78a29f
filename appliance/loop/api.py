"""GET /api/v1/tickets[?unit=CODE&status=...&limit=N&before=ID]: tickets in the caller's
scope (PRODUCT.md), newest first; `before` pages on past the last id of the previous page."""
from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _

from ..core.db import get_db
from ..core.errors import ValidationError
from ..org import units as units_service
from ..org.scope import current_scope
from . import queries

bp = Blueprint("tickets_api", __name__, url_prefix="/api/v1")
STATUSES = ("open", "acknowledged", "in_progress", "resolved", "closed", "active")


@bp.get("/tickets")
def list_tickets():
    if g.get("user") is None:
        from flask import abort
        abort(401)
    db, scope = get_db(), current_scope("view")
    unit, status = request.args.get("unit", "").strip(), request.args.get("status", "").strip()
    errors = {}
    if status and status not in STATUSES:
        errors["status"] = _("Status is one of: %(s)s.", s=", ".join(STATUSES))
    if unit:
        found = units_service.get_unit_by_code(db, unit[:40])
        if found is None or not scope.contains_path(found["path"]):
            errors["unit"] = _("No unit %(code)s in your part of the organisation.", code=unit[:40])
    limit = _number(request.args.get("limit", "500"), 1, 1000, "limit", errors)
    before = _number(request.args.get("before", "") or "0", 0, 2**62, "before", errors)
    if errors:
        raise ValidationError(errors, message=_("Some parameters need correcting."))
    return jsonify({"ok": True, "tickets": queries.api_rows(db, scope, unit, status, limit,
                                                            before)})


def _number(text, low, high, name, errors):
    if not text.isdigit() or not low <= int(text) <= high:
        errors[name] = _("Enter a number from %(lo)s to %(hi)s.", lo=low, hi=high)
        return None
    return int(text)
