"""The UI shell: navigation entries and home-page panels the domains declare (DOMAIN.nav)."""
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, g, url_for

from . import audit, clock, settings
from .db import get_db
from .roles import ROLE_LABELS, has_capability


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


def org_timezone():
    """The organisation's time zone name (setting org.timezone), for labels."""
    if "org_timezone" not in g:
        g.org_timezone = settings.get(get_db(), "org.timezone") or "Asia/Shanghai"
    return g.org_timezone


def local_time(iso_utc):
    """Stored UTC text -> 'YYYY-MM-DD HH:MM' in the organisation's time zone."""
    if not iso_utc:
        return ""
    try:
        zone = ZoneInfo(org_timezone())
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("Asia/Shanghai")
    return clock.parse(iso_utc).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def init_app(app):
    app.jinja_env.globals.update(nav_items=_nav_items, home_panels=_home_panels,
                                 has_capability=has_capability, org_timezone=org_timezone)
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["split_lines"] = lambda text: [p for p in str(text).split("\n") if p]
    app.jinja_env.filters["role_option"] = lambda role: (role, ROLE_LABELS[role])
    app.jinja_env.filters["action_label"] = audit.label
