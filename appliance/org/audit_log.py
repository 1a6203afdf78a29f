"""Reading the audit log within a scope (writing is core.audit.record): filters by action
and by dates in the organisation's time zone, paging, and the rows of the auditors' CSV."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..core import audit, clock, localtime
from . import units as units_service

PER_PAGE = 50
EXPORT_LIMIT = 100_000


@dataclass
class Filters:
    action: str = ""
    date_from: date = None
    date_to: date = None

    @classmethod
    def parse(cls, args):
        """From a query string; a malformed date is ignored (the form shows it empty)."""
        return cls(action=(args.get("action") or "")[:50].strip(),
                   date_from=_date(args.get("from")), date_to=_date(args.get("to")))

    def query(self):
        return {"action": self.action,
                "from": self.date_from.isoformat() if self.date_from else "",
                "to": self.date_to.isoformat() if self.date_to else ""}


def _date(text):
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def entries(db, scope, action="", limit=500, filters=None, offset=0):
    """Entries on units inside the scope; organisation-wide ones only for top-level admins."""
    filters = filters or Filters(action=action)
    where, params = _where(db, scope, filters)
    return audit.entries(db, where, params, limit, offset)


def page(db, scope, filters, number):
    """(rows of page `number` counted from 1, whether an older page exists)."""
    number = max(1, min(number, 10_000))
    rows = entries(db, scope, filters=filters, limit=PER_PAGE + 1,
                   offset=(number - 1) * PER_PAGE)
    return rows[:PER_PAGE], len(rows) > PER_PAGE


def _where(db, scope, filters):
    where, params = scope.sql("a.unit_id")
    root = units_service.root_unit(db)
    if root and scope.contains_path(root["path"]):
        where = f"({where} OR a.unit_id IS NULL)"
    if filters.action:
        where += " AND a.action LIKE ?"
        params.append(filters.action.replace("%", "") + "%")
    zone = _zone(db)
    if filters.date_from:
        where += " AND a.at >= ?"
        params.append(_utc(filters.date_from, zone))
    if filters.date_to:
        where += " AND a.at < ?"
        params.append(_utc(filters.date_to + timedelta(days=1), zone))
    return where, params


def _zone(db):
    return ZoneInfo(localtime.zone_name(db))


def _utc(day, zone):
    """Local midnight of day in the organisation's zone, as stored UTC text."""
    return clock.iso(datetime.combine(day, time.min, tzinfo=zone))
