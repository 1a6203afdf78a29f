"""Small display helpers for the loop's pages: local times, "due in / overdue by",
verbatims split around their sensitive words (the template escapes every piece)."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import g
from flask_babel import gettext as _

from ..core import clock, settings
from ..core.db import get_db


def local_time(iso_text):
    """'2026-12-01 15:04' in the organisation's time zone (the page labels the zone)."""
    if not iso_text:
        return ""
    return _parse(iso_text).astimezone(ZoneInfo(timezone_name())).strftime("%Y-%m-%d %H:%M")


def timezone_name():
    """The organisation's time zone, read once per request."""
    if "loop_timezone" not in g:
        g.loop_timezone = settings.get(get_db(), "org.timezone") or "Asia/Shanghai"
    return g.loop_timezone


def _parse(iso_text):
    """clock.parse without strptime (a page shows many timestamps)."""
    return datetime.fromisoformat(iso_text.replace("Z", "+00:00"))


def duration(seconds):
    minutes = int(abs(seconds) // 60)
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(d)s d %(h)s h", d=days, h=hours)
    if hours:
        return _("%(h)s h %(m)s min", h=hours, m=minutes)
    return _("%(m)s min", m=minutes)


def due_words(due_iso):
    """('overdue'|'due', words) for a deadline, or None without one."""
    if not due_iso:
        return None
    left = (_parse(due_iso) - clock.utcnow()).total_seconds()
    if left < 0:
        return "overdue", _("overdue by %(t)s", t=duration(left))
    return "due", _("due in %(t)s", t=duration(left))


def segments(text, sensitive):
    """[(piece, category or None)] covering text, sensitive spans marked."""
    pieces, cursor = [], 0
    for span in sorted(sensitive, key=lambda s: s.get("start", 0)):
        start, end = span.get("start", 0), span.get("end", 0)
        if not (cursor <= start < end <= len(text)):
            continue
        if start > cursor:
            pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], span.get("category", "")))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], None))
    return pieces


def init_app(app):
    app.jinja_env.filters.update(loop_time=local_time, due_words=due_words,
                                 verbatim_segments=lambda item: segments(item["text"],
                                                                         item["sensitive"]))
    app.jinja_env.globals.update(loop_timezone=timezone_name, utc=timezone.utc)
    init_globals(app)


def _unread():
    from . import notify
    return notify.unread_count(get_db(), g.user["id"]) if g.get("user") else 0


def _home_data():
    from ..org.scope import current_scope
    from . import kpis, queries
    scope = current_scope("view")
    urgent, _more = queries.list_tickets(get_db(), scope, {"view": "all", "status": "active"},
                                         g.user, page_size=5)
    return {"kpis": kpis.summary(get_db(), scope, 30), "urgent": urgent}


def init_globals(app):
    app.jinja_env.globals.update(loop_unread=_unread, loop_home_data=_home_data)
