"""The alert rules editor (with its test button) and the notification list."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..collection import responses_query
from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.i18n import current_language
from ..core.security import require
from ..org import units as units_service
from ..org import users as users_service
from ..org.scope import current_scope
from ..surveys import access as survey_access
from ..text import display_names as text_words
from . import alerting, conditions, notify, rules, sla

bp = Blueprint("alerts", __name__, url_prefix="/alerts")


def get_rule_for_user(rule_id):
    rule = rules.get_rule(get_db(), current_scope("manage_alerts"), rule_id)
    if rule is None:
        abort(404)
    return rule


@bp.route("/rules")
@require("manage_alerts")
def index():
    language = current_language()
    found = rules.list_rules(get_db(), current_scope("manage_alerts"))
    return render_template("loop/rules.html", rules=found,
                           words={r["id"]: rules.in_words(r, language) for r in found},
                           priority_labels=sla.PRIORITY_LABELS)


def _editor(rule, errors=None, status=200, form=None):
    db, scope = get_db(), current_scope("manage_alerts")
    names = {u["id"]: u["username"] for u in users_service.list_users(db, scope)}
    if form is None:
        form = MultiDict(rules.prefill(rule))
        form["recipient_users"] = ", ".join(names.get(i, "") for i in rule["recipient_users"])
    return render_template(
        "loop/rule_form.html", rule=rule, errors=errors or {}, v=form,
        units=units_service.list_units(db, scope, limit=2000),
        surveys=survey_access.list_surveys_for_user(db, g.user), categories=text_words.CATEGORIES,
        tags=text_words.tag_names(current_language()), role_levels=rules.ROLE_LEVELS,
        priority_labels=sla.PRIORITY_LABELS,
        words=rules.in_words(rule, current_language()) if rule.get("conditions") else ""), status


EMPTY = {"id": None, "name": "", "unit_id": None, "survey_id": None, "touchpoint": "",
         "match": "all", "conditions": [], "notify_email": 1, "notify_app": 1, "open_ticket": 1,
         "priority": "normal", "recipient_roles": ["unit_manager@0"], "recipient_users": [],
         "digest_minutes": 0, "paused": 0}


@bp.route("/rules/new", methods=["GET", "POST"])
@require("manage_alerts")
def new():
    return _save(dict(EMPTY))


@bp.route("/rules/<int:rule_id>", methods=["GET", "POST"])
@require("manage_alerts")
def edit(rule_id):
    return _save(get_rule_for_user(rule_id))


def _save(rule):
    if request.method == "GET":
        return _editor(rule)
    db = get_db()
    tag_ids = text_words.tag_names(current_language())
    try:
        values = rules.read_form(db, request.form, current_scope("manage_alerts"), tag_ids)
    except ValidationError as bad:
        return _editor(rule, bad.errors, 400, request.form)
    if rule["id"]:
        rules.update(db, rule, values)
        rule_id = rule["id"]
    else:
        rule_id = rules.create(db, values)
    flash(_("Alert rule saved."), "success")
    return redirect(url_for("alerts.edit", rule_id=rule_id))


@bp.post("/rules/<int:rule_id>/pause")
@require("manage_alerts")
def pause(rule_id):
    rule = get_rule_for_user(rule_id)
    rules.set_paused(get_db(), rule, not rule["paused"])
    flash(_("Rule paused.") if not rule["paused"] else _("Rule resumed."), "success")
    return redirect(url_for("alerts.index"))


@bp.route("/rules/<int:rule_id>/test")
@require("manage_alerts")
def test(rule_id):
    db = get_db()
    rule = get_rule_for_user(rule_id)
    if conditions.is_unit_rule(rule["conditions"]):
        from . import drops
        return render_template("loop/rule_test.html", rule=rule, unit_hits=drops.
                               recent_unit_matches(db, rule), hits=[], checked=0,
                               words=rules.in_words(rule, current_language()))
    filters = responses_query.read_filters(type(request.args)())
    filters["unit_id"] = rule["unit_id"]
    filters["survey_id"] = rule["survey_id"]
    recent = []
    for page in range(1, 5):
        rows, more = responses_query.list_responses(db, current_scope("view_responses"), filters,
                                                    page)
        recent += rows
        if not more:
            break
    hits = alerting.recent_matches(db, rule, current_scope("view_responses"), recent)
    return render_template("loop/rule_test.html", rule=rule, hits=hits, checked=len(recent),
                           words=rules.in_words(rule, current_language()))


@bp.route("/notifications")
@require("view")
def notifications():
    return render_template("loop/notifications.html",
                           notes=notify.for_user(get_db(), g.user["id"]))


@bp.post("/notifications/read")
@require("view")
def mark_read():
    notify.mark_read(get_db(), g.user["id"], request.form.get("id", type=int))
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//")
                    else url_for("alerts.notifications"))
