"""Reports pages: the archive, "Generate now" with its progress, subscriptions, settings."""
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, \
    send_file, url_for
from flask_babel import gettext as _

from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.security import has_capability, require
from ..org import units as units_service
from ..org.scope import current_scope
from . import archive, generate, report_settings, subscriptions

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.route("/")
@require("view")
def index():
    return _index({})


def _index(errors, form=None):
    db, scope = get_db(), current_scope("view")
    manage = current_scope("manage_reports")
    return render_template(
        "reports/index.html", runs=archive.list_for(db, scope), errors=errors,
        form=form or {}, units=units_service.list_units(db, scope, limit=2000),
        subscriptions=subscriptions.list_for(db, manage) if not manage.is_empty else None,
        may_manage=not manage.is_empty,
        may_configure=has_capability(g.user, "manage_settings")), 400 if errors else 200


@bp.route("/generate", methods=["POST"])
@require("view")
def generate_now():
    db = get_db()
    try:
        values = generate.read(db, request.form, current_scope("view"))
    except ValidationError as exc:
        return _index(exc.errors, request.form)
    return redirect(url_for("reports.run", run_id=generate.generate_now(db, values, g.user)))


@bp.route("/runs/<int:run_id>")
@require("view")
def run(run_id):
    found = archive.get_for_user(get_db(), run_id, current_scope("view")) or abort(404)
    return render_template("reports/run.html", run=found)


@bp.route("/runs/<int:run_id>/download")
@require("view")
def download(run_id):
    db = get_db()
    found = archive.get_for_user(db, run_id, current_scope("view")) or abort(404)
    if found["status"] != "ready":
        abort(404)
    archive.record_download(db, found, g.user)
    return send_file(archive.file_path(current_app.config["DATA_DIR"], found),
                     mimetype="application/pdf", as_attachment=True,
                     download_name=found["file_name"])


@bp.route("/subscriptions/new", methods=["GET", "POST"])
@require("manage_reports")
def new_subscription():
    db = get_db()
    if request.method == "POST":
        try:
            values = subscriptions.read(db, request.form, current_scope("manage_reports"))
        except ValidationError as exc:
            return _subscription_form(exc.errors, request.form)
        subscriptions.create(db, values, g.user)
        flash(_("Subscription saved."), "success")
        return redirect(url_for("reports.index"))
    return _subscription_form({}, {})


def _subscription_form(errors, form):
    scope = current_scope("manage_reports")
    return render_template("reports/subscription.html", errors=errors, form=form,
                           units=units_service.list_units(get_db(), scope, limit=2000)), \
        400 if errors else 200


@bp.route("/subscriptions/<int:sub_id>/<any(pause, resume):action>", methods=["POST"])
@require("manage_reports")
def toggle_subscription(sub_id, action):
    db = get_db()
    sub = subscriptions.get_for_user(db, sub_id, current_scope("manage_reports")) or abort(404)
    subscriptions.set_active(db, sub, action == "resume", g.user)
    return redirect(url_for("reports.index"))


@bp.route("/settings", methods=["POST"])
@require("manage_settings")
def settings():
    db = get_db()
    try:
        report_settings.save(db, report_settings.read(request.form, request.files), g.user)
    except ValidationError as exc:
        return _index(exc.errors, request.form)
    flash(_("Settings saved."), "success")
    return redirect(url_for("reports.index"))
