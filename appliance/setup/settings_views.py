"""Settings for administrators after setup: base URL, language, time zone and the SMTP relay."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core import settings
from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.security import require
from ..org import units as units_service
from ..org.scope import current_scope
from . import runtime_settings

bp = Blueprint("settings", __name__, url_prefix="/settings")


def may_change_settings():
    """These settings are organisation-wide: only admins of the top unit change them."""
    root = units_service.root_unit(get_db())
    return bool(g.get("user") and root
                and current_scope("manage_settings").contains_path(root["path"]))


@bp.before_request
def only_top_administrators():
    if g.get("user") and not may_change_settings():
        abort(403)


@bp.route("/")
@require("manage_settings")
def index():
    return _page({})


@bp.route("/preferences", methods=["POST"])
@require("manage_settings")
def preferences():
    try:
        runtime_settings.save_preferences(get_db(),
                                          runtime_settings.read_preferences_form(request.form))
    except ValidationError as exc:
        return _page(exc.errors, "preferences")
    flash(_("Settings saved."), "success")
    return redirect(url_for("settings.index"))


@bp.route("/smtp", methods=["POST"])
@require("manage_settings")
def smtp():
    db = get_db()
    try:
        values = runtime_settings.read_smtp_form(request.form)
        if request.form.get("action") == "test":
            recipient = request.form.get("test_to", "").strip()
            runtime_settings.send_test_email(db, values, recipient)
            flash(_("Test email sent to %(to)s.", to=recipient), "success")
        runtime_settings.save_smtp(db, values)
    except ValidationError as exc:
        return _page(exc.errors, "smtp")
    flash(_("Settings saved."), "success")
    return redirect(url_for("settings.index"))


def _page(errors, failed=None):
    db = get_db()
    return render_template("setup/settings.html", errors=errors, failed=failed,
                           form=request.form if failed else {},
                           org={**settings.get_many(db, "org."),
                                "org.base_url": settings.base_url(db)},
                           smtp=settings.get_many(db, "smtp."),
                           smtp_verified=runtime_settings.mail_verified(db),
                           timezones=[(z, z) for z in runtime_settings.TIMEZONES]), \
        400 if errors else 200
