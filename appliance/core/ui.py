"""The UI shell: navigation entries and home-page panels the domains declare (DOMAIN.nav)."""
from flask import current_app, g, request, url_for

from . import audit, localtime, settings
from .roles import ROLE_LABELS, has_capability


def _nav_items():
    """The entries the user may open; an entry is active on its own page and the pages
    under its path (/journeys/edit under /journeys), not on every page of its blueprint:
    one blueprint may declare several entries."""
    user = g.get("user")
    urls = [(item.label, url_for(item.endpoint))
            for item in current_app.extensions["registry"].nav
            if has_capability(user, item.capability)]
    return [{"label": label, "url": url, "active": _is_under(request.path, url)}
            for label, url in urls]


def _is_under(path, url):
    return path == url or path.startswith(url.rstrip("/") + "/")


def _home_panels():
    user = g.get("user")
    return [template for template, capability in current_app.extensions["registry"].home_panels
            if has_capability(user, capability)]


def _header_items():
    user = g.get("user")
    return [template for template, capability in current_app.extensions["registry"].header_items
            if has_capability(user, capability)]


def init_app(app):
    app.jinja_env.globals.update(nav_items=_nav_items, home_panels=_home_panels,
                                 header_items=_header_items,
                                 has_capability=has_capability,
                                 is_loopback_url=settings.is_loopback)
    app.jinja_env.globals["org_zone_name"] = localtime.zone_name
    app.jinja_env.filters["role_option"] = lambda role: (role, ROLE_LABELS[role])
    app.jinja_env.filters["action_label"] = audit.label
    app.jinja_env.filters["local_time"] = localtime.time_tag
    app.jinja_env.globals["time_zone_label"] = localtime.offset_label
    app.jinja_env.filters["split_lines"] = lambda text: [p for p in str(text).split("\n") if p]
