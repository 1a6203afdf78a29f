"""Roles and what they may do (capabilities), and the view guards that check them.

A membership is {"unit_path", "role"} and grants CAPABILITIES[role] on that subtree;
an integration token's membership may carry its own "capabilities" list instead
(see appliance/integrations/tokens.py), which then replaces the role's set.
"""
import functools

from flask import abort, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l

ROLES = ("admin", "programme_manager", "analyst", "unit_manager", "viewer")
ROLE_LABELS = {
    "admin": _l("Administrator"),
    "programme_manager": _l("Programme manager"),
    "analyst": _l("Analyst"),
    "unit_manager": _l("Unit manager"),
    "viewer": _l("Viewer"),
}
ROLE_DESCRIPTIONS = {
    "admin": _l("Everything in the unit and below: units, users, settings, audit log, "
                "surveys, responses with personal data."),
    "programme_manager": _l("Designs and publishes surveys, reads and exports responses "
                            "(with personal data), handles tickets."),
    "analyst": _l("Reads and exports responses without personal data, labels texts."),
    "unit_manager": _l("Sees the unit's scores and responses, handles its tickets."),
    "viewer": _l("Sees dashboards and overviews only."),
}
_READ = {"view", "view_responses", "export"}
CAPABILITIES = {
    "admin": _READ | {"export_personal", "manage_units", "manage_users", "view_audit",
                      "manage_surveys", "manage_settings", "handle_tickets", "label_text"},
    "programme_manager": _READ | {"export_personal", "manage_surveys", "handle_tickets",
                                  "label_text"},
    "analyst": _READ | {"label_text"},
    "unit_manager": _READ | {"handle_tickets"},
    "viewer": {"view"},
}


def membership_capabilities(membership):
    """What one membership grants: its own list (tokens) or its role's set."""
    if membership.get("capabilities") is not None:
        return set(membership["capabilities"])
    return CAPABILITIES.get(membership["role"], set())


def has_capability(user, capability):
    return user is not None and any(capability in membership_capabilities(m)
                                    for m in user["memberships"])


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)
    return wrapped


def require(capability):
    """Guard a view: signed in (or a token) and holding the capability on some unit (else 403)."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.get("user") is None:
                if request.path.startswith("/api/v1/"):
                    abort(401)
                return redirect(url_for("auth.login", next=request.full_path))
            if not has_capability(g.user, capability):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate
