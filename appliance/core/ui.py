"""The UI shell: navigation entries and home-page panels the domains declare (DOMAIN.nav)."""
from flask import current_app, g, url_for

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import audit, clock, settings
from .db import get_db
from .security import ROLE_LABELS, has_capability


def _nav_items():
    user = g.get("user")
    return [{"label": item.label, "url": url_for(item.endpoint),
             "prefix": item.endpoint.split(".")[0] + "."}
            for item in current_app.extensions["registry"].nav
            if has_capability(user, item.capability)]


def _home_panels():
    user = g.get("user")
    return [template for template, capability in current_app.extensions["registry"].home_panels
            if has_capability(user, capability)]


def init_app(app):
    app.jinja_env.globals.update(nav_items=_nav_items, home_panels=_home_panels,
                                 has_capability=has_capability,
                                 is_loopback_url=settings.is_loopback)
    app.jinja_env.globals["org_zone_name"] = lambda: org_zone().key
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["role_option"] = lambda role: (role, ROLE_LABELS[role])
    app.jinja_env.filters["action_label"] = audit.label


def org_zone():
    """The organisation's time zone (setting org.timezone), UTC if the setting is unusable."""
    try:
        return ZoneInfo(settings.get(get_db(), "org.timezone") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(iso_utc, fmt="%Y-%m-%d %H:%M"):
    """A stored UTC time as the organisation reads it (label the column with org_zone_name())."""
    return clock.parse(iso_utc).astimezone(org_zone()).strftime(fmt) if iso_utc else ""
