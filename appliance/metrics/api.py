"""GET /api/v1/metrics: the metrics of one org node over an inclusive local date range.

?node=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD[&survey=ID&touchpoint=KEY&channel=...&language=...
&segment=FIELD:VALUE]
for a signed-in user or an API token (both set g.user) holding read_metrics; outside the
caller's scope: 404. POST /api/v1/odata needs push_odata (admins and programme managers; a
token once integrations offers it).
"""
from flask import Blueprint, abort, g, jsonify, request
from flask_babel import lazy_gettext as _l

from ..core import json_input
from ..core.db import get_db
from ..core.errors import ValidationError
from ..org.scope import current_scope
from . import filters, periods, service
from . import index_trend as trend

bp = Blueprint("metrics_api", __name__, url_prefix="/api/v1")


def _chosen(db):
    """The node, dates and filters of the query string, for a caller holding read_metrics:
    401 without a caller, 404 outside its scope."""
    if g.get("user") is None:
        abort(401)
    try:
        return filters.parse(db, request.args, current_scope("read_metrics"), required_dates=True)
    except LookupError:
        abort(404)


@bp.get("/metrics")
def metrics():
    db = get_db()
    chosen = _chosen(db)
    body = service.summary(db, chosen["unit"], chosen["from"], chosen["to"],
                           survey_id=chosen["survey_id"], touchpoint=chosen["touchpoint"],
                           channel=chosen["channel"], language=chosen["language"],
                           segment=chosen["segment"])
    return jsonify({"ok": True, **body})


@bp.get("/metrics/index-trend")
def index_trend():
    """The indicator tree's top index by day, week or month (?grain=, default by length)."""
    db = get_db()
    chosen = _chosen(db)
    grain = request.args.get("grain") or periods.default_grain(chosen["from"], chosen["to"])
    if grain not in trend.GRAINS:
        raise ValidationError({"grain": _l("Grain must be day, week or month.")})
    body = trend.index_trend(db, chosen["unit"], chosen["from"], chosen["to"], grain,
                             chosen["survey_id"])
    return jsonify({"ok": True, "node": chosen["unit"]["code"], "from": str(chosen["from"]),
                    "to": str(chosen["to"]), **body})


@bp.post("/odata")
def push_odata():
    """{"values": [{"unit": CODE, "date": "YYYY-MM-DD", "metric": KEY, "value": n}]}: all or
    nothing, bad rows listed in the envelope's errors."""
    from . import odata_import
    if g.get("user") is None:
        abort(401)
    body = json_input.Body(json_input.read(request))
    values = body.items("values")
    body.check()
    rows = [{k: "" if v.get(k) is None else str(v.get(k)) for k in ("unit", "date", "metric", "value")}
            for v in values]
    written = odata_import.import_rows(get_db(), rows, current_scope("push_odata"), source="api")
    return jsonify({"ok": True, "imported": written}), 201
