"""SLA policies per priority and the working calendars they are measured in."""
import json
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from ..core import audit, clock, settings
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError
from ..core.forms import Form
from . import workhours

PRIORITIES = ("urgent", "high", "normal", "low")
PRIORITY_LABELS = {"urgent": _l("Urgent"), "high": _l("High"), "normal": _l("Normal"),
                   "low": _l("Low")}
WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
            _l("Saturday"), _l("Sunday"))


def policies(db):
    rows = {r["priority"]: r for r in query_all(db, "SELECT * FROM sla_policies")}
    return [rows[p] for p in PRIORITIES if p in rows]


def policy(db, priority):
    return query_one(db, "SELECT * FROM sla_policies WHERE priority = ?", (priority,))


def save_policies(db, data):
    """data: form fields <priority>_ack / _resolve / _escalate (business minutes), _levels."""
    form, values = Form(data), []
    for priority in PRIORITIES:
        minutes = [form.integer(f"{priority}_{f}", 1, 100_000)
                   for f in ("ack", "resolve", "escalate")]
        values.append((priority, minutes, form.integer(f"{priority}_levels", 0, 10),
                       int(bool(data.get(f"{priority}_reassign")))))
    for priority, minutes, _levels, _reassign in values:
        if None not in minutes and minutes[1] < minutes[0]:
            form.error(f"{priority}_resolve", _l("Resolving cannot be due before acknowledging."))
    form.check()
    before = policies(db)
    with transaction(db):
        for priority, minutes, levels, reassign in values:
            db.execute("UPDATE sla_policies SET ack_minutes = ?, resolve_minutes = ?, "
                       "escalate_minutes = ?, max_levels = ?, reassign = ? WHERE priority = ?",
                       (*minutes, levels, reassign, priority))
        audit.record(db, "loop.sla", "sla_policies", "", None, before=before, after=policies(db))


# --- calendars -------------------------------------------------------------------------

def calendar_for_unit(db, unit):
    """The calendar of the unit or its nearest ancestor that has one, or None (24/7)."""
    ids = [int(x) for x in unit["path"].strip("/").split("/") if x]   # the top first
    marks = ", ".join("?" * len(ids))
    rows = query_all(db, f"SELECT c.* FROM calendars c WHERE c.unit_id IN ({marks})", ids)
    nearest = max(rows, key=lambda row: ids.index(row["unit_id"]), default=None)
    return _with_days(db, nearest) if nearest else None


def calendar_of(db, unit_id):
    row = query_one(db, "SELECT * FROM calendars WHERE unit_id = ?", (unit_id,))
    return _with_days(db, row) if row else None


def _with_days(db, row):
    row["hours"] = json.loads(row["hours"])
    row["days"] = {d["day"]: d for d in query_all(
        db, "SELECT day, kind, name FROM calendar_days WHERE calendar_id = ? ORDER BY day",
        (row["id"],))}
    return row


def deadline(db, unit, start, minutes, calendar=None):
    """The UTC moment `minutes` business minutes after start, in the unit's calendar."""
    clock_args = _business_clock(db, unit, calendar)
    if not clock_args:
        return start + timedelta(minutes=minutes)
    return workhours.add_business_minutes(start, minutes, *clock_args)


def elapsed_minutes(db, unit, start, end, calendar=None):
    """Business minutes from start to end in the unit's calendar: the clock of the SLA,
    for the closed-loop KPIs (time to acknowledge, time to resolve)."""
    clock_args = _business_clock(db, unit, calendar)
    if not clock_args:
        return max((end - start).total_seconds(), 0) / 60
    return workhours.business_minutes_between(start, end, *clock_args)


def _business_clock(db, unit, calendar):
    """(weekly hours, exceptions, time zone) of the unit's calendar, or None (24/7)."""
    calendar = calendar if calendar is not None else calendar_for_unit(db, unit)
    if not calendar:
        return None
    exceptions = {day: d["kind"] for day, d in calendar["days"].items()}
    return calendar["hours"], exceptions, settings.get(db, "org.timezone") or "Asia/Shanghai"


def read_calendar_form(data):
    """Weekly hours (open_N / close_N, empty = closed) and holiday / make-up day lines."""
    form, hours = Form(data), {}
    for day in range(7):
        opens = form.text(f"open_{day}", required=False, max_length=5)
        closes = form.text(f"close_{day}", required=False, max_length=5)
        hours[str(day)] = [opens, closes] if opens or closes else None
        if workhours.check_hours({str(day): hours[str(day)]}):
            form.error(f"open_{day}", _l("Enter opening and closing times as HH:MM, "
                                         "opening first."))
    days = {}
    for kind in ("holiday", "workday"):
        found, bad = workhours.parse_days(data.get(f"{kind}s", ""))
        if bad:
            form.error(f"{kind}s", _l("Not a date (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, then a "
                                      "name): %(line)s", line=bad[0][:40]))
        days.update({day: (kind, name) for day, name in found.items()})
    form.check()
    if not any(hours.values()):
        raise ValidationError({"open_0": _l("Open on at least one day of the week.")})
    return hours, days


def save_calendar(db, unit, hours, days):
    before = calendar_of(db, unit["id"])
    with transaction(db):
        db.execute("INSERT INTO calendars (unit_id, hours, updated_at) VALUES (?, ?, ?) "
                   "ON CONFLICT(unit_id) DO UPDATE SET hours = excluded.hours, "
                   "updated_at = excluded.updated_at",
                   (unit["id"], json.dumps(hours), clock.now_iso()))
        calendar_id = query_one(db, "SELECT id FROM calendars WHERE unit_id = ?",
                                (unit["id"],))["id"]
        db.execute("DELETE FROM calendar_days WHERE calendar_id = ?", (calendar_id,))
        db.conn.executemany("INSERT INTO calendar_days (calendar_id, day, kind, name) "
                            "VALUES (?, ?, ?, ?)",
                            [(calendar_id, day, kind, name) for day, (kind, name) in days.items()])
        audit.record(db, "loop.calendar", "calendar", calendar_id, unit["id"],
                     before=before and {"hours": before["hours"], "days": list(before["days"])},
                     after={"hours": hours, "days": sorted(days)})
