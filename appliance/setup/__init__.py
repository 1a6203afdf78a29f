"""First-run setup wizard: admin account, organisation, SMTP, preferences. Runs once only."""
from flask import current_app, redirect, request, url_for

from ..core import settings
from ..core.db import get_db

OPEN_ENDPOINTS = ("static", "health.healthz", "auth.set_language", "auth.login", "auth.logout")


def init_app(app):
    from . import settings_views, views
    app.register_blueprint(views.bp)
    app.register_blueprint(settings_views.bp)
    app.jinja_env.globals["may_change_settings"] = settings_views.may_change_settings
    app.before_request(_lead_to_setup)


def _lead_to_setup():
    """With setup unfinished, every page leads to /setup."""
    endpoint = request.endpoint or ""
    if endpoint.startswith("setup.") or endpoint in OPEN_ENDPOINTS:
        return None
    if current_app.extensions.get("setup_completed"):
        return None
    if not settings.get(get_db(), "setup.completed"):
        return redirect(url_for("setup.wizard"))
    current_app.extensions["setup_completed"] = True   # it never goes back: ask the database once
    return None
