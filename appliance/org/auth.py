"""Authentication: login with lockout, logout, password change.

Backends form a registry so SSO/LDAP can be added beside the local one:
each has authenticate(db, username, password) -> user row or None.
"""
from datetime import timedelta

from flask import (Blueprint, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _

from ..core import audit, clock, settings
from ..core.db import get_db, transaction
from ..core.errors import ValidationError
from ..core.security import login_required, verify_password
from . import users as users_service

bp = Blueprint("auth", __name__)


class LocalPasswordBackend:
    name = "local"

    def authenticate(self, db, user, password):
        return verify_password(user["password_hash"], password)


BACKENDS = {"local": LocalPasswordBackend()}


class LoginFailed(Exception):
    pass


def authenticate(db, username, password):
    """Return the user or raise LoginFailed with a message safe to show."""
    user = users_service.get_user_by_username(db, username)
    generic = _("Wrong user name or password.")
    if user is None:
        verify_password("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g", password)
        raise LoginFailed(generic)   # spend the same time as a real check
    if user["locked_until"] and user["locked_until"] > clock.now_iso():
        raise LoginFailed(_("This account is locked after too many failed logins; "
                            "try again later or ask an administrator."))
    backend = BACKENDS.get(user["auth_source"])
    if backend is None or not user["active"] or not backend.authenticate(db, user, password):
        _count_failure(db, user)
        raise LoginFailed(generic)
    with transaction(db):
        db.execute("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? "
                   "WHERE id = ?", (clock.now_iso(), user["id"]))
        audit.record(db, "auth.login", "user", user["id"], actor=user)
    return user


def _count_failure(db, user):
    attempts = current_app.config["LOCKOUT_ATTEMPTS"]
    minutes = current_app.config["LOCKOUT_MINUTES"]
    with transaction(db):
        failures = user["failed_logins"] + 1
        locked = clock.iso(clock.utcnow() + timedelta(minutes=minutes)) if failures >= attempts else None
        db.execute("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                   (0 if locked else failures, locked, user["id"]))
        if locked:
            audit.record(db, "auth.lockout", "user", user["id"], actor=user)


@bp.before_app_request
def load_user():
    g.user = users_service.load_session_user(get_db(), session.get("user_id"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if settings.get(get_db(), "setup.step") == "admin":
        return redirect(url_for("setup.wizard"))   # nobody to log in as yet
    error = None
    if request.method == "POST":
        try:
            user = authenticate(get_db(), request.form.get("username", "")[:100],
                                request.form.get("password", "")[:300])
        except LoginFailed as exc:
            error = str(exc)
        else:
            return _start_session(user)
    return render_template("auth/login.html", error=error), 400 if error else 200


def _start_session(user):
    session.clear()
    session.permanent = True
    session["user_id"] = user["id"]
    if user["must_change_password"]:
        return redirect(url_for("auth.change_password"))
    target = request.args.get("next", "")
    safe = target.startswith("/") and not target.startswith("//")
    return redirect(target if safe else url_for("home.index"))


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    errors = {}
    if request.method == "POST":
        if not verify_password(g.user["password_hash"], request.form.get("current", "")):
            errors["current"] = _("The current password is wrong.")
        elif request.form.get("password") != request.form.get("confirm"):
            errors["confirm"] = _("The two new passwords differ.")
        else:
            try:
                users_service.reset_password(get_db(), g.user, request.form["password"],
                                             must_change=False)
            except ValidationError as exc:
                errors = exc.errors
            else:
                flash(_("Your password was changed."), "success")
                return redirect(url_for("home.index"))
    return render_template("auth/password.html", errors=errors), 400 if errors else 200


@bp.route("/language", methods=["POST"])
def set_language():
    language = request.form.get("language")
    if language in ("zh_CN", "en"):
        session["language"] = language
        if g.user:
            with transaction(get_db()):
                get_db().execute("UPDATE users SET language = ? WHERE id = ?",
                                 (language, g.user["id"]))
    target = request.form.get("next", "/")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "/")
