"""The admins' API tokens page: create (shown once), list with last use, revoke."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.roles import require
from ..org import units as units_service
from ..org.scope import current_scope, require_in_scope
from . import TOKEN_CAPABILITIES
from . import tokens as tokens_service

bp = Blueprint("integrations", __name__, url_prefix="/integrations")
CAPABILITY_LABELS = {
    "submit_responses": _l("Submit responses (POST /api/v1/responses)"),
    "read_metrics": _l("Read metrics (GET /api/v1/metrics)"),
    "read_tickets": _l("Read tickets (GET /api/v1/tickets)"),
    "trigger_surveys": _l("Trigger surveys (POST /api/v1/triggers)"),
    "manage_reports": _l("Manage report subscriptions (/api/v1/reports/subscriptions)"),
}


@bp.route("/tokens", methods=["GET", "POST"])
@require("manage_tokens")
def tokens():
    errors, created = {}, None
    if request.method == "POST":
        unit = units_service.get_unit(get_db(), request.form.get("unit_id", type=int) or -1)
        require_in_scope(unit["path"] if unit else None, "manage_tokens")
        try:
            row, raw = tokens_service.create_token(get_db(), request.form.get("name", "")[:200],
                                                   unit, request.form.getlist("capabilities"))
            created = {"row": row, "token": raw}
        except ValidationError as exc:
            errors = exc.errors
    return _page(errors, created), 400 if errors else 200


def _page(errors, created):
    scope = current_scope("manage_tokens")
    return render_template("integrations/tokens.html", errors=errors, created=created,
                           tokens=tokens_service.list_tokens(get_db(), scope),
                           units=units_service.list_units(get_db(), scope),
                           capabilities=[(c, CAPABILITY_LABELS[c]) for c in TOKEN_CAPABILITIES],
                           form=request.form if errors else {})


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@require("manage_tokens")
def revoke(token_id):
    token = tokens_service.get_token(get_db(), token_id)
    if token is None:
        abort(404)
    require_in_scope(token["unit_path"], "manage_tokens")
    tokens_service.revoke_token(get_db(), token)
    flash(_("Token %(name)s revoked; calls with it are refused from now on.", name=token["name"]),
          "success")
    return redirect(url_for("integrations.tokens"))
