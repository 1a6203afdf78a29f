"""The UI shell's extension points: domains add navigation entries and home-page panels."""
from dataclasses import dataclass

from flask import g, url_for

from . import audit
from .security import ROLE_LABELS, has_capability


@dataclass
class NavItem:
    label: object        # lazy_gettext string
    endpoint: str
    capability: str
    order: int = 50

    @property
    def prefix(self):
        return self.endpoint.split(".")[0] + "."


NAV = []
HOME_PANELS = []   # (template name, capability)


def register_nav(label, endpoint, capability="view", order=50):
    NAV[:] = [item for item in NAV if item.endpoint != endpoint]
    NAV.append(NavItem(label, endpoint, capability, order))
    NAV.sort(key=lambda item: item.order)


def register_home_panel(template, capability="view"):
    if (template, capability) not in HOME_PANELS:
        HOME_PANELS.append((template, capability))


def _nav_items():
    user = g.get("user")
    return [{"label": item.label, "url": url_for(item.endpoint), "prefix": item.prefix}
            for item in NAV if has_capability(user, item.capability)]


def _home_panels():
    user = g.get("user")
    return [template for template, capability in HOME_PANELS if has_capability(user, capability)]


def init_app(app):
    app.jinja_env.globals.update(nav_items=_nav_items, home_panels=_home_panels,
                                 has_capability=has_capability)
    app.jinja_env.filters["role_option"] = lambda role: (role, ROLE_LABELS[role])
    app.jinja_env.filters["action_label"] = audit.label
