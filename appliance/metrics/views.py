"""Pages: the role dashboards (also each role's home page), exports, the journey map."""
import io
import json

from flask import Blueprint, Response, abort, g, render_template, request, url_for

from ..collection import export
from ..core.db import get_db
from ..core.security import login_required
from . import charts, dashboard, tables

bp = Blueprint("metrics", __name__)
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def dashboard_context(args):
    try:
        ctx = dashboard.build(get_db(), g.user, args)
    except LookupError:
        abort(404)
    ctx["tables"] = tables.for_context(ctx)
    ctx["charts_json"] = safe_json(charts.for_context(ctx))
    ctx["query"] = {k: v for k, v in args.items() if v}
    return ctx


def safe_json(value):
    """JSON for a <script type="application/json"> tag: no "</script>" can close it."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def link(endpoint="metrics.dashboard", **changes):
    """The current filters with some changed (drill-down keeps the rest)."""
    merged = {k: v for k, v in request.args.items() if v}
    merged.update({k: v for k, v in changes.items()})
    return url_for(endpoint, **{k: v for k, v in merged.items() if v not in (None, "")})


@bp.get("/dashboard")
@login_required
def dashboard_page():
    return render_template("metrics/dashboard.html", d=dashboard_context(request.args))


@bp.get("/dashboard/export")
@login_required
def export_table():
    ctx = dashboard_context(request.args)
    table = ctx["tables"].get(request.args.get("table", ""))
    fmt = request.args.get("format", "csv")
    if table is None or fmt not in FORMATS:
        abort(404)
    rows = [[export.safe_cell(c) for c in row] for row in table["rows"]]
    name = f"{request.args.get('table')}-{ctx['unit']['code']}-{ctx['chosen']['from']}-{ctx['chosen']['to']}.{fmt}"
    body = _table_file(fmt, request.args.get("table"), table["headers"], rows)
    return Response(body, mimetype=FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _table_file(fmt, title, head, rows):
    """The table as CSV text or XLSX bytes, written by collection's formula-safe writers."""
    if fmt == "csv":
        out = io.StringIO()
        export.write_csv(out, head, rows)
        return out.getvalue()
    out = io.BytesIO()
    export.write_xlsx(out, [(title[:31] or "table", head, rows)])
    return out.getvalue()


@bp.get("/journeys")
@login_required
def journeys_page():
    args = request.args.to_dict()
    args["view"] = "executive"
    return render_template("metrics/journeys.html", d=dashboard_context(args))


def touchpoint_options():
    """[[key, "名称 · stage"]] for the designer's touchpoint picker."""
    from . import journeys
    english = str(__import__("flask_babel").get_locale() or "").startswith("en")
    return [[t["key"], (t["name_en"] or t["name_zh"]) if english else t["name_zh"]]
            for t in journeys.all_touchpoints(get_db())]


def survey_metrics(survey):
    """The survey page's figures: responses, completion rate and the main metrics."""
    from . import survey_stats
    return survey_stats.for_survey(get_db(), survey)


def init_app(app):
    app.jinja_env.globals.update(metrics_link=link, metrics_dashboard=dashboard_context,
                                 metrics_touchpoints=touchpoint_options,
                                 metrics_survey=survey_metrics)


@bp.route("/odata", methods=["GET", "POST"])
@login_required
def odata_page():
    from flask import flash, redirect
    from flask_babel import gettext as _
    from ..core.security import has_capability
    from ..org.scope import current_scope
    from . import odata, odata_import
    if not has_capability(g.user, "manage_indicators"):
        abort(403)
    db = get_db()
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            from ..core.errors import ValidationError
            raise ValidationError({"file": _("Choose a CSV or XLSX file.")})
        rows = odata_import.read_file(upload.read(), upload.filename)
        written = odata_import.import_rows(db, rows, current_scope("manage_indicators"))
        flash(_("%(n)s values imported.", n=written), "success")
        return redirect(url_for("metrics.odata_page"))
    return render_template("metrics/odata.html", metrics=odata.summary(db))
