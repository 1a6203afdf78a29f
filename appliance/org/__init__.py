"""Org domain: units, users and roles, scoping, authentication, audit log."""
from flask import g, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ..core.registry import Domain, EncryptedColumn, Job

DOMAIN = Domain(
    "org",
    tables=["units", "users", "memberships", "login_throttle"],
    events=["unit.moved"],
    blueprints=["auth:bp", "account:bp", "views:bp"],
    encrypted_columns=[EncryptedColumn("users", "id", "email_enc")],
    jobs=[Job("sessions.purge", "signin:purge_job", {"hours": 1})],
    audit_labels={
        "auth.login": _l("signed in"), "auth.lockout": _l("account locked"),
        "unit.create": _l("created unit"), "unit.update": _l("changed unit"),
        "user.create": _l("created user"), "user.update": _l("changed user"),
        "user.password_reset": _l("reset password"), "export.units": _l("exported units"),
        "export.audit": _l("exported the audit log"),
    },
    init_app="appliance.org:init_app",
)


def init_app(app):
    app.before_request(_force_password_change)


def _force_password_change():
    user = g.get("user")
    allowed = ("account.change_password", "auth.logout", "static", "auth.set_language")
    if user and user["must_change_password"] and request.endpoint not in allowed:
        return redirect(url_for("account.change_password"))
