"""Signing in and out, and the language switch (blueprint "auth").

The checks live in signin.py, the session store in core/sessions.py, a person's own
password and sessions pages in account.py.
"""
from flask import Blueprint, g, redirect, render_template, request, session, url_for

from ..core import sessions, settings
from ..core.db import get_db, transaction
from ..core.urls import safe_next
from . import signin
from . import users as users_service

bp = Blueprint("auth", __name__)


@bp.before_app_request
def load_user():
    """g.user from the server-side session (None when it ended or never was)."""
    db = get_db()
    row = sessions.current(db)
    g.session_id = row["id"] if row else None
    g.user = users_service.load_session_user(db, row["user_id"]) if row else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if settings.get(get_db(), "setup.step") == "admin":
        return redirect(url_for("setup.wizard"))   # nobody to log in as yet
    error = None
    if request.method == "POST":
        try:
            user = signin.authenticate(get_db(), request.form.get("username", "")[:100],
                                       request.form.get("password", "")[:300],
                                       request.remote_addr or "")
        except signin.LoginFailed as exc:
            error = str(exc)
        else:
            return _start_session(user)
    return render_template("auth/login.html", error=error,
                           org_name=settings.get(get_db(), "org.name")), 400 if error else 200


def _start_session(user):
    sessions.begin(get_db(), user["id"])
    if user["must_change_password"]:
        return redirect(url_for("account.change_password"))
    return redirect(safe_next(request.args.get("next"), url_for("home.index")))


@bp.route("/logout", methods=["POST"])
def logout():
    sessions.end_current(get_db())
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def set_language():
    language = request.form.get("language")
    if language in ("zh_CN", "en"):
        session["language"] = language
        if g.user:
            with transaction(get_db()):
                get_db().execute("UPDATE users SET language = ? WHERE id = ?",
                                 (language, g.user["id"]))
    return redirect(safe_next(request.form.get("next")))
