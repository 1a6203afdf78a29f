"""Org domain: units, users and roles, scoping, authentication, audit log."""
from flask import g, redirect, request, url_for


def init_app(app):
    from . import auth, views
    app.register_blueprint(auth.bp)
    app.register_blueprint(views.bp)
    app.before_request(_force_password_change)


def _force_password_change():
    user = g.get("user")
    allowed = ("auth.change_password", "auth.logout", "static", "auth.set_language")
    if user and user["must_change_password"] and request.endpoint not in allowed:
        return redirect(url_for("auth.change_password"))
