"""Times shown to a person: in the organisation's time zone (setting org.timezone), labelled.

Storage stays UTC ISO-8601 text (core.clock); pages, exports and emails format with
local_time() / the `local_time` template filter."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import g, has_request_context
from markupsafe import Markup, escape

from . import clock, settings
from .db import get_db

DEFAULT_ZONE = "Asia/Shanghai"


def zone_name(db=None):
    """The organisation's time zone name (per request, read once)."""
    if has_request_context() and "org_zone" in g:
        return g.org_zone
    name = settings.get(db or get_db(), "org.timezone") or DEFAULT_ZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        name = DEFAULT_ZONE
    if has_request_context():
        g.org_zone = name
    return name


def today(db=None):
    """Today's date in the organisation's time zone (the days metrics and reports count in)."""
    return clock.utcnow().astimezone(ZoneInfo(zone_name(db))).date()


def to_local(value, zone=None):
    """A UTC ISO text or aware datetime -> an aware datetime in the zone (None stays None)."""
    if not value:
        return None
    moment = value if isinstance(value, datetime) else _parse(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZoneInfo(zone or zone_name()))


FORMATS = {"date": "%Y-%m-%d", "minute": "%Y-%m-%d %H:%M", "second": "%Y-%m-%d %H:%M:%S"}


def local_time(value, precision="minute", zone=None):
    """"2026-12-01 15:04" in the organisation's zone ("" for no value); precision is
    date, minute, second or a strftime format."""
    moment = to_local(value, zone)
    if moment is None:
        return ""
    return moment.strftime(FORMATS.get(precision, precision))


def offset_label(zone=None):
    """"UTC+08:00 Asia/Shanghai", to label times on a page or in an export."""
    name = zone or zone_name()
    offset = datetime.now(ZoneInfo(name)).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]} {name}"


def time_tag(value, precision="minute"):
    """The template filter: <time> with the UTC instant and the zone in its title."""
    if not value:
        return ""
    text = local_time(value, precision)
    return Markup(f'<time datetime="{escape(str(value))}" title="{escape(offset_label())}">'
                  f'{escape(text)}</time>')


def _parse(text):
    text = str(text).strip().replace(" ", "T")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)
