"""GET /api/v1/metrics: the metrics of one org node over an inclusive local date range.

?node=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD[&survey=ID&touchpoint=KEY&channel=...&language=...]
for a signed-in user or an API token (both set g.user); outside the caller's scope: 404.
"""
from flask import Blueprint, abort, g, jsonify, request

from ..core.db import get_db
from ..org.scope import current_scope
from . import filters, service

bp = Blueprint("metrics_api", __name__, url_prefix="/api/v1")


@bp.get("/metrics")
def metrics():
    if g.get("user") is None:
        abort(401)
    db = get_db()
    try:
        chosen = filters.parse(db, request.args, current_scope("view"), required_dates=True)
    except LookupError:
        abort(404)
    body = service.summary(db, chosen["unit"], chosen["from"], chosen["to"],
                           survey_id=chosen["survey_id"], touchpoint=chosen["touchpoint"],
                           channel=chosen["channel"], language=chosen["language"])
    return jsonify({"ok": True, **body})
