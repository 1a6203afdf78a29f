"""/text: hot words, what changed, sentiment and tags over time, sensitive hits, verbatims;
/text/items/<id>: one verbatim, where an analyst corrects its sentiment or tags."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core.db import get_db
from ..core.i18n import current_language
from ..core.security import has_capability, require
from ..org import units as units_service
from ..org.scope import current_scope
from ..surveys import access as survey_access
from ..surveys import service as surveys
from . import charts, display_names, labels, page_filters, queries, store

bp = Blueprint("text", __name__, url_prefix="/text")


def scoped_filters():
    filters = page_filters.read_filters(request.args)
    if filters["unit_id"]:
        unit = units_service.get_unit(get_db(), filters["unit_id"])
        if unit is None or not current_scope("view").contains_path(unit["path"]):
            abort(404)
        filters["unit_path"] = unit["path"]
    return filters


@bp.route("/")
@require("view")
def index():
    db, scope, filters = get_db(), current_scope("view"), scoped_filters()
    names = display_names.tag_names(current_language())
    months = page_filters.months_between(filters["date_from"], filters["date_to"])
    total = queries.count_items(db, scope, filters)
    previous = {"date_from": filters["previous_from"], "date_to": filters["previous_to"]}
    baseline = queries.term_counts(db, scope, filters, "word", limit=400, **previous)
    current = queries.term_counts(db, scope, filters, "word", limit=400)
    tags = queries.term_counts(db, scope, filters, "tag", limit=20)
    by_month = queries.sentiment_by_month(db, scope, filters)
    rows, more = queries.verbatims(db, scope, filters, filters["page"])
    return render_template(
        "text/index.html", filters=filters, total=total, names=names, months=months,
        query=page_filters.query_of(filters), q=page_filters.query_of,
        cloud=charts.word_cloud(current[:60]),
        rising=queries.rising(current, total, baseline,
                               queries.count_items(db, scope, filters, **previous)),
        shares=_shares(by_month), columns=charts.sentiment_columns(by_month, months),
        tag_rows=charts.tag_rows(tags, queries.tags_by_month(db, scope, filters), months,
                                    names),
        hits=queries.sensitive_hits(db, scope, filters), rows=rows, more=more,
        units=unit_choices(db, scope, filters),
        surveys=survey_access.list_surveys_for_user(db, g.user),
        sources=queries.distinct_values(db, scope, "source"),
        channels=queries.distinct_values(db, scope, "channel"),
        categories=display_names.CATEGORIES)


def unit_choices(db, scope, filters):
    """The unit picker: the way down to the chosen unit and the units just below it (or
    below the top of the scope), not the whole tree (a thousand stores)."""
    from ..org import lookups
    tops = lookups.units_by_id(db, lookups.top_unit_ids(db, scope))
    chosen = lookups.units_by_id(db, [filters["unit_id"]]) if filters["unit_id"] else {}
    chain = {}
    for unit in chosen.values():
        ids = [int(x) for x in unit["path"].strip("/").split("/") if x]
        chain = {u["id"]: u for u in lookups.units_by_id(db, ids).values()
                 if scope.contains_path(u["path"])}
    base = chosen or tops
    below = lookups.children_in_scope(db, scope, base)
    rows = {**tops, **chain, **{u["id"]: u for u in below}}
    return units_service.tree_sorted(list(rows.values()))


def _shares(by_month):
    totals = {s: sum(m[s] for m in by_month) for s in queries.SENTIMENTS}
    count = sum(totals.values())
    return {s: {"n": n, "share": n / count if count else 0} for s, n in totals.items()}


def get_item_for_user(item_id, capability="view", write=False):
    """The text item, or 404 outside the user's scope for the capability (write: label)."""
    capability = "label_text" if write else capability
    item = queries.get_item(get_db(), current_scope(capability), item_id)
    if item is None:
        abort(404)
    return item


@bp.route("/items/<int:item_id>")
@require("view")
def item(item_id):
    found = get_item_for_user(item_id)
    return _render_item(found)


def _render_item(found, error=None, status=200):
    db = get_db()
    may_label = has_capability(g.user, "label_text") and \
        current_scope("label_text").contains_path(found["unit_path"])
    history = store.labels_of(db, found["id"])
    survey = surveys.get_survey(db, found["survey_id"]) if found["survey_id"] else None
    return render_template("text/item.html", item=found, may_label=may_label, error=error,
                           history=history, names=display_names.tag_names(current_language()),
                           survey=survey, categories=display_names.CATEGORIES), status


@bp.route("/items/<int:item_id>/label", methods=["POST"])
@require("label_text")
def label(item_id):
    found = get_item_for_user(item_id, write=True)
    field = request.form.get("field", "")
    value = request.form.get("value", "").strip()[:80]
    present = request.form.get("present", "1") != "0"
    known = set(display_names.tag_names(current_language())) | {t["tag"] for t in found["tags"]}
    try:
        labels.correct(get_db(), found, field, value, present, g.user, known)
    except labels.BadLabel as bad:
        message = {"sentiment": _("Choose positive, neutral or negative."),
                   "tag": _("Choose a tag from the taxonomy.")}.get(
            str(bad), _("Choose what to correct: the sentiment or a tag."))
        return _render_item(found, error=message, status=400)
    flash(_("Correction saved; it will also teach the tag model at its next training."),
          "success")
    return redirect(url_for("text.item", item_id=item_id))
