"""Staff pages for waves: the list, the set-up form, one wave's delivery log and rates."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.security import require
from ..org.scope import current_scope
from ..surveys import access as survey_access
from . import channels_service, delivery, lists, messages, waves
from .contacts_views import CAP, my_units, unit_in_scope

bp = Blueprint("waves", __name__, url_prefix="/distribution/waves")


def get_wave_for_user(wave_id):
    wave = waves.get_wave(get_db(), current_scope(CAP), wave_id)
    if wave is None:
        abort(404)
    return wave


def _choices(db):
    scope = current_scope(CAP)
    surveys = [s for s in survey_access.list_surveys_for_user(db, g.user)
               if s["status"] == "published"]
    return {"surveys": surveys, "lists": lists.list_lists(db, scope),
            "channels": channels_service.list_channels(db, scope),
            "templates": messages.list_templates(db, scope), "units": my_units()}


@bp.route("/")
@require(CAP)
def index():
    return render_template("distribution/waves.html",
                           waves=waves.list_waves(get_db(), current_scope(CAP)))


def _pick(rows, key):
    wanted = request.form.get(key, type=int)
    return next((r for r in rows if r["id"] == wanted), None)


@bp.route("/new", methods=["GET", "POST"])
@require(CAP)
def new():
    db, errors = get_db(), {}
    choices = _choices(db)
    if request.method == "POST":
        try:
            unit = unit_in_scope(request.form.get("unit_id", type=int))
            wave_id = waves.create(
                db, unit, request.form.get("name", "").strip(), _pick(choices["surveys"],
                                                                      "survey_id"),
                _pick(choices["lists"], "list_id"), _pick(choices["channels"], "channel_id"),
                _pick(choices["templates"], "template_id"), request.form, g.user)
            flash(_("The wave was scheduled."), "success")
            return redirect(url_for("waves.detail", wave_id=wave_id))
        except ValidationError as exc:
            errors = exc.errors
    return render_template("distribution/wave_form.html", errors=errors, form=request.form,
                           zone=waves.org_zone(db), **choices), 400 if errors else 200


@bp.route("/<int:wave_id>")
@require(CAP)
def detail(wave_id):
    db = get_db()
    wave = get_wave_for_user(wave_id)
    status = request.args.get("status", "")
    page = max(request.args.get("page", 1, type=int), 1)
    rows, more = delivery.invitations(db, wave_id, status, page)
    upcoming = waves.describe_cron(wave["cron"], waves.org_zone(db)) if wave["cron"] else []
    return render_template("distribution/wave.html", wave=wave, rows=rows, more=more, page=page,
                           status=status, counts=delivery.wave_counts(db, wave_id),
                           by_unit=delivery.rates_by(db, wave_id, "unit"),
                           by_channel=delivery.rates_by(db, wave_id, "channel"),
                           upcoming=upcoming, zone=waves.org_zone(db),
                           statuses=delivery.STATUSES)


@bp.route("/<int:wave_id>/invitations/<int:invitation_id>")
@require(CAP)
def invitation(wave_id, invitation_id):
    db = get_db()
    wave = get_wave_for_user(wave_id)
    row = db.execute("SELECT * FROM invitations WHERE id = ? AND wave_id = ?",
                     (invitation_id, wave_id)).fetchone()
    if row is None:
        abort(404)
    return render_template("distribution/invitation.html", wave=wave, invitation=dict(row),
                           events=delivery.events_of(db, invitation_id))


@bp.route("/<int:wave_id>/status", methods=["POST"])
@require(CAP)
def set_status(wave_id):
    wave = get_wave_for_user(wave_id)
    status = request.form.get("status")
    if status not in ("active", "paused"):
        abort(400)
    waves.set_status(get_db(), wave, status)
    return redirect(url_for("waves.detail", wave_id=wave_id))


@bp.route("/<int:wave_id>/retry", methods=["POST"])
@require(CAP)
def retry(wave_id):
    get_wave_for_user(wave_id)
    count = delivery.retry_failed(get_db(), wave_id)
    flash(_("%(n)s failed invitations will be sent again.", n=count), "success")
    return redirect(url_for("waves.detail", wave_id=wave_id))
