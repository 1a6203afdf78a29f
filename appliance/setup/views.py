"""The wizard's steps. Step 1 creates the administrator and logs them in; later
steps need that session, so nobody else can take over a half-finished setup.
After the last step the wizard answers 404 forever."""
import zoneinfo

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _

from ..core import audit, crypto, mail, settings
from ..core.db import get_db, transaction
from ..core.errors import ValidationError
from ..core.forms import Form
from ..org import unit_import
from ..org import units as units_service
from ..org import users as users_service
from ..org.scope import Scope

bp = Blueprint("setup", __name__, url_prefix="/setup")
STEPS = ("admin", "organisation", "smtp", "preferences")
TIMEZONES = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc"))


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
                           form=request.form, values=_values(name), timezones=[(z, z) for z in TIMEZONES],
                           **extra), 400 if errors else 200


def _values(name):
    db = get_db()
    if name == "smtp":
        return settings.get_many(db, "smtp.")
    if name in ("organisation", "preferences"):
        values = settings.get_many(db, "org.")
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
    db = get_db()
    crypto.create_keyring(current_app.config["DATA_DIR"])
    with transaction(db):
        root = units_service.root_unit(db) or units_service.create_unit(
            db, "ROOT", _("Organisation"), "group", None)
        user = users_service.create_user(db, username, display_name, email, password, "admin",
                                         root, language=_current_language())
        settings.set_many(db, {"setup.step": "organisation"})
    session.clear()
    session.permanent = True
    session["user_id"] = user["id"]
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
    db = get_db()
    root = units_service.root_unit(db)
    upload = request.files.get("units_csv")
    with transaction(db):
        units_service.update_unit(db, root, code, name, root["type"], None, root["name_en"])
        settings.set_many(db, {"org.name": name})
        root = units_service.root_unit(db)
        if upload is not None and upload.filename:
            _import_csv(db, upload, root)
        elif lines:
            _create_first_level(db, lines, level_type, root)
    return _advance("smtp")


def _import_csv(db, upload, root):
    try:
        unit_import.import_units(db, unit_import.decode(upload.read()), Scope([root["path"]]), root)
    except unit_import.ImportRejected as exc:
        raise ValidationError({"units_csv": "; ".join(
            _("line %(line)s: %(problem)s", line=line, problem=problem)
            for line, problem in exc.problems[:20])})


def _create_first_level(db, lines, level_type, root):
    for number, line in enumerate(lines.splitlines(), start=1):
        if not line.strip():
            continue
        code, _sep, name = line.strip().replace("\t", " ").partition(" ")
        if not name.strip():
            raise ValidationError({"first_level": _(
                "Line %(n)s: write the unit code, a space, then its name.", n=number)})
        try:
            units_service.create_unit(db, code, name.strip(), level_type, root)
        except ValidationError as exc:
            raise ValidationError({"first_level": _("Line %(n)s: %(problem)s", n=number,
                                   problem=" ".join(str(v) for v in exc.errors.values()))})


def _smtp():
    values = _smtp_form()
    db = get_db()
    if request.form.get("action") == "test":
        recipient = request.form.get("test_to", "").strip()
        if not users_service.EMAIL_PATTERN.match(recipient):
            raise ValidationError({"test_to": _("Enter the address to send the test email to.")})
        try:
            mail.send(values, mail.build_message(
                values["sender"], recipient, _("Tingjian test email"),
                _("This is a test email from Tingjian. The SMTP relay works.")))
        except mail.MailError as exc:
            raise ValidationError({"host": _("The test email could not be sent: %(error)s",
                                             error=str(exc))})
        flash(_("Test email sent to %(to)s.", to=recipient), "success")
        _save_smtp(db, values)
        return redirect(url_for("setup.step", name="smtp"))
    if request.form.get("action") != "skip":
        _save_smtp(db, values)
    return _advance("preferences")


def _smtp_form():
    form = Form(request.form)
    skipping = request.form.get("action") == "skip"
    values = {"host": form.text("host", required=not skipping, max_length=253),
              "port": form.integer("port", 1, 65535, required=not skipping) or 25,
              "security": form.choice("security", ("none", "starttls", "ssl"),
                                      required=not skipping) or "none",
              "username": form.text("username", required=False, max_length=200),
              "password": request.form.get("password", ""),
              "sender": form.text("sender", required=not skipping, max_length=254)}
    if values["sender"] and not users_service.EMAIL_PATTERN.match(values["sender"]):
        form.error("sender", _("Enter a valid email address."))
    if not skipping:
        form.check()
    return values


def _save_smtp(db, values):
    ring = crypto.Keyring.load(current_app.config["DATA_DIR"])
    stored = {f"smtp.{k}": v for k, v in values.items() if k != "password"}
    if values["password"]:
        stored["smtp.password_enc"] = ring.encrypt(values["password"])
    settings.set_many(db, stored)


def _preferences():
    form = Form(request.form)
    base_url = form.text("base_url", max_length=200)
    language = form.choice("default_language", ("zh_CN", "en"))
    timezone = form.choice("timezone", TIMEZONES)
    if base_url and not base_url.startswith(("http://", "https://")):
        form.error("base_url", _("The address starts with http:// or https://."))
    form.check()
    db = get_db()
    with transaction(db):
        settings.set_many(db, {"org.base_url": base_url.rstrip("/"),
                               "org.default_language": language, "org.timezone": timezone,
                               "setup.step": "done", "setup.completed": True})
        audit.record(db, "setup.complete", "settings", "", None,
                     after={"base_url": base_url, "language": language, "timezone": timezone})
    flash(_("Setup is complete. Welcome to Tingjian."), "success")
    return redirect(url_for("home.index"))
