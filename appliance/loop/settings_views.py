"""The loop's settings: SLA per priority, the working calendar, root causes, the follow-up
survey, and the emails still waiting for the relay."""
import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core import queue
from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.security import require
from ..org import units as units_service
from ..org.scope import current_scope
from ..surveys import access as survey_access
from . import causes, followup, notify, sla

bp = Blueprint("loop_settings", __name__, url_prefix="/alerts/settings")


def _unit():
    db = get_db()
    code = request.values.get("unit", "")
    unit = units_service.get_unit_by_code(db, code) if code else units_service.root_unit(db)
    if unit is None or not current_scope("manage_alerts").contains_path(unit["path"]):
        abort(404)
    return unit


@bp.route("/")
@require("manage_alerts")
def index(errors=None, status=200):
    from flask import g
    db, unit = get_db(), _unit()
    calendar = sla.calendar_of(db, unit["id"])
    waiting = queue.jobs_of(db, notify.EMAIL_TOPIC)
    for job in waiting:
        job["payload"] = json.loads(job["payload"])
    return render_template(
        "loop/settings.html", policies=sla.policies(db), unit=unit, calendar=calendar,
        inherited=None if calendar else sla.calendar_for_unit(db, unit), weekdays=sla.WEEKDAYS,
        priority_labels=sla.PRIORITY_LABELS, causes=causes.all_causes(db),
        surveys=survey_access.list_surveys_for_user(db, g.user, "published"),
        followup_survey=followup.survey_id(db), waiting=waiting, errors=errors or {},
        form=request.form if errors else None), status


def _or_form(save):
    try:
        save()
    except ValidationError as bad:
        return index(bad.errors, 400)
    flash(_("Settings saved."), "success")
    return redirect(url_for("loop_settings.index", unit=request.values.get("unit", "")))


@bp.post("/sla")
@require("manage_alerts")
def save_sla():
    return _or_form(lambda: sla.save_policies(get_db(), request.form))


@bp.post("/calendar")
@require("manage_alerts")
def save_calendar():
    unit = _unit()
    return _or_form(lambda: sla.save_calendar(get_db(), unit, *sla.read_calendar_form(request.form)))


@bp.post("/causes")
@require("manage_alerts")
def save_cause():
    return _or_form(lambda: causes.save(get_db(), request.form))


@bp.post("/followup")
@require("manage_alerts")
def save_followup():
    return _or_form(lambda: followup.configure(get_db(), request.form.get("survey_id", type=int),
                                               current_scope("manage_alerts")))


@bp.post("/emails/<int:job_id>/retry")
@require("manage_alerts")
def retry(job_id):
    queue.retry_failed(get_db(), job_id)
    flash(_("The email will be tried again."), "success")
    return redirect(url_for("loop_settings.index"))
