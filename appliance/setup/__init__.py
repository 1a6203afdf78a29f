"""First-run setup wizard: admin account, organisation, SMTP, preferences. Runs once only."""
from flask import current_app, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ..core import settings
from ..core.db import get_db
from ..core.registry import Domain

DOMAIN = Domain(
    "setup",
    blueprints=["views:bp", "settings_views:bp"],
    audit_labels={
        "setup.complete": _l("completed setup"), "settings.smtp": _l("changed the email relay"),
        "settings.preferences": _l("changed the preferences"),
    },
    demo="demo:seed_organisation",
    init_app="appliance.setup:init_app",
)

OPEN_ENDPOINTS = ("static", "health.healthz", "health.favicon", "auth.set_language",
                  "auth.login", "auth.logout")


def init_app(app):
    from . import settings_views
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
