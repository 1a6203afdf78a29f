"""The programme manager's editors: the indicator tree and the journeys, as rows of a form
(no code). Views parse the rows and call indicators.save / journeys.save_journey."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.security import has_capability, login_required
from . import catalog, indicators, journeys, queries, tree

bp = Blueprint("metrics_editors", __name__)
NODE_FIELDS = ("key", "parent", "name_zh", "name_en", "weight", "metric", "survey_id",
               "question", "choice", "odata", "low", "high", "target", "amber")
TP_FIELDS = ("stage", "stage_zh", "stage_en", "key", "name_zh", "name_en", "target")
NUMBERS = ("target", "amber", "low", "high")


def _guard():
    if not has_capability(g.user, "manage_indicators"):
        abort(403)


def _rows(fields):
    columns = {f: request.form.getlist(f) for f in fields}
    count = max((len(v) for v in columns.values()), default=0)
    rows = [{f: (columns[f][i].strip() if i < len(columns[f]) else "") for f in fields}
            for i in range(count)]
    return [r for r in rows if r["key"]]


def _numbers(row, errors):
    for name in NUMBERS:
        if row.get(name, "") == "":
            row.pop(name, None)
            continue
        try:
            row[name] = float(row[name])
        except ValueError:
            errors[name] = _("%(field)s of %(key)s must be a number.", field=name, key=row["key"])
    return row


@bp.route("/indicators", methods=["GET", "POST"])
@login_required
def indicators_page():
    _guard()
    db = get_db()
    errors, nodes = {}, None
    if request.method == "POST":
        nodes = [{k: v for k, v in _numbers(row, errors).items() if v != ""}
                 for row in _rows(NODE_FIELDS)]
        if not errors:
            try:
                version = indicators.save(db, nodes, actor=g.user)
                flash(_("Indicator system saved as version %(v)s.", v=version), "success")
                return redirect(url_for("metrics_editors.indicators_page"))
            except ValidationError as exc:
                errors = exc.errors
    current = indicators.current(db)
    if nodes is None:
        nodes = current["document"]["nodes"] if current else []
    root = tree.units(db)
    surveys = queries.surveys_with_data(db, min(root, key=lambda i: root[i]["depth"])) if root else []
    return render_template("metrics/indicators.html", nodes=nodes, errors=errors,
                           current=current, metrics=indicators.METRICS,
                           surveys=[(s, catalog.survey_name(db, s)) for s in surveys]), \
        400 if errors else 200


@bp.route("/journeys/edit", methods=["GET", "POST"])
@login_required
def journey_editor():
    _guard()
    db = get_db()
    errors, rows = {}, None
    if request.method == "POST":
        rows = _rows(TP_FIELDS)
        definition = _definition(rows, errors)
        if not errors:
            try:
                journeys.save_journey(db, definition, actor=g.user)
                flash(_("Journey saved."), "success")
                return redirect(url_for("metrics.journeys_page"))
            except ValidationError as exc:
                errors = exc.errors
    found = journeys.list_journeys(db)
    journey = found[0] if found else None
    if rows is None:
        rows = [{"stage": s["key"], "stage_zh": s["name_zh"], "stage_en": s["name_en"], **t}
                for s in (journey["stages"] if journey else []) for t in s["touchpoints"]]
    return render_template("metrics/journey_edit.html", journey=journey, rows=rows,
                           errors=errors, form=request.form), 400 if errors else 200


def _definition(rows, errors):
    stages = {}
    for row in rows:
        _numbers(row, errors)
        stage = stages.setdefault(row["stage"] or "stage", {
            "key": row["stage"] or "stage", "name_zh": row["stage_zh"] or row["stage"],
            "name_en": row["stage_en"], "touchpoints": []})
        stage["touchpoints"].append({"key": row["key"], "name_zh": row["name_zh"] or row["key"],
                                     "name_en": row["name_en"], "target": row.get("target")})
    return {"key": request.form.get("journey_key", "").strip(),
            "name_zh": request.form.get("journey_zh", "").strip(),
            "name_en": request.form.get("journey_en", "").strip(), "stages": list(stages.values())}
