"""A person's own account (blueprint "account"): their password and their sign-in sessions."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core import sessions
from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.passwords import verify_password
from ..core.roles import login_required
from . import users as users_service

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/password", methods=["GET", "POST"])
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
                                             must_change=False, keep_session_id=g.session_id)
            except ValidationError as exc:
                errors = exc.errors
            else:
                flash(_("Your password was changed; your other sessions were signed out."),
                      "success")
                return redirect(url_for("home.index"))
    return render_template("auth/password.html", errors=errors), 400 if errors else 200


@bp.route("/sessions")
@login_required
def my_sessions():
    rows = sessions.for_user(get_db(), g.user["id"])
    return render_template("auth/sessions.html", sessions=rows, current_id=g.session_id)


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id):
    if session_id == g.session_id or not sessions.end_one(get_db(), g.user["id"], session_id):
        abort(404)
    flash(_("The session was signed out."), "success")
    return redirect(url_for("account.my_sessions"))


@bp.route("/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    sessions.end_all_for_user(get_db(), g.user["id"], except_id=g.session_id)
    flash(_("All your other sessions were signed out."), "success")
    return redirect(url_for("account.my_sessions"))
