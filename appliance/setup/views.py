"""The wizard's steps. Step 1 creates the administrator and logs them in; later
steps need that session, so nobody else can take over a half-finished setup.
After the last step the wizard answers 404 forever."""
from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _

from ..core import sessions, settings
from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.forms import Form
from ..org import units as units_service
from . import runtime_settings, wizard_steps

bp = Blueprint("setup", __name__, url_prefix="/setup")
STEPS = ("admin", "organisation", "smtp", "preferences")


@bp.before_request
def only_before_completion():
    if settings.get(get_db(), "setup.completed"):
        abort(404)


@bp.route("/", methods=["GET"])
def wizard():
    step = settings.get(get_db(), "setup.step")
    if step != "admin" and g.get("user") is None:
        return render_template("setup/in_progress.html"), 403
    return redirect(url_for("setup.step", name=step))


@bp.route("/<name>", methods=["GET", "POST"])
def step(name):
    current = settings.get(get_db(), "setup.step")
    if name not in STEPS:
        abort(404)
    if STEPS.index(name) > STEPS.index(current):
        return redirect(url_for("setup.step", name=current))
    if name != "admin" and g.get("user") is None:
        return render_template("setup/in_progress.html"), 403
    if name == "admin" and current != "admin":
        return redirect(url_for("setup.step", name=current))
    handler = {"admin": _admin, "organisation": _organisation, "smtp": _smtp,
               "preferences": _preferences}[name]
    errors, extra = {}, {}
    if request.method == "POST":
        try:
            result = handler()
            if result is not None:
                return result
        except ValidationError as exc:
            errors = exc.errors
    return render_template(f"setup/{name}.html", steps=STEPS, current=name, errors=errors,
                           form=request.form, values=_values(name),
                           timezones=[(z, z) for z in runtime_settings.TIMEZONES],
                           **extra), 400 if errors else 200


def _values(name):
    db = get_db()
    if name == "smtp":
        return settings.get_many(db, "smtp.")
    if name in ("organisation", "preferences"):
        values = settings.get_many(db, "org.")
        values["org.base_url"] = settings.base_url(db)   # unset: the address the wizard is on
        root = units_service.root_unit(db)
        values["root"] = root
        return values
    return {}


def _advance(to):
    settings.set_many(get_db(), {"setup.step": to})
    return redirect(url_for("setup.step", name=to))


def _admin():
    form = Form(request.form)
    username = form.text("username", max_length=64)
    display_name = form.text("display_name", max_length=100)
    email = form.text("email", required=False, max_length=254)
    password = request.form.get("password", "")
    if password != request.form.get("confirm", ""):
        form.error("confirm", _("The two passwords differ."))
    form.check()
    user = wizard_steps.create_first_admin(get_db(), current_app.config["DATA_DIR"], username,
                                           display_name, email, password, _current_language())
    sessions.begin(get_db(), user["id"])
    return redirect(url_for("setup.step", name="organisation"))


def _current_language():
    return session.get("language", "")


def _organisation():
    form = Form(request.form)
    name = form.text("org_name", max_length=100)
    code = form.text("root_code", max_length=40)
    level_type = form.choice("level_type", units_service.UNIT_TYPES)
    lines = form.text("first_level", required=False, max_length=20_000, multiline=True)
    form.check()
    upload = request.files.get("units_csv")
    wizard_steps.save_organisation(get_db(), name, code, level_type, lines,
                                   upload.read() if upload is not None and upload.filename else None)
    return _advance("smtp")


def _smtp():
    action = request.form.get("action")
    values = runtime_settings.read_smtp_form(request.form, required=action != "skip")
    db = get_db()
    if action == "test":
        runtime_settings.send_test_email(db, values, request.form.get("test_to", "").strip())
        runtime_settings.save_smtp(db, values)
        flash(_("Test email sent to %(to)s.", to=request.form.get("test_to", "").strip()),
              "success")
        return redirect(url_for("setup.step", name="smtp"))
    if action != "skip":
        runtime_settings.save_smtp(db, values)
    return _advance("preferences")


def _preferences():
    values = runtime_settings.read_preferences_form(request.form)
    runtime_settings.save_preferences(get_db(), values, action="setup.complete",
                                      extra={"setup.step": "done", "setup.completed": True})
    flash(_("Setup is complete. Welcome to Tingjian."), "success")
    return redirect(url_for("home.index"))
