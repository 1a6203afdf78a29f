"""Business hours: deadlines that count only a unit's working time. Pure (no Flask, no database).

A calendar is weekly hours {weekday (Monday 0): ["09:00", "18:00"] or None} plus dated
exceptions {"YYYY-MM-DD": "holiday" | "workday"}; a make-up working day (调休) uses the
hours of the first weekday that has any. Times are local to the organisation's time zone.
"""
import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HORIZON_DAYS = 800   # a deadline further away than this falls back to wall-clock time


def parse_hhmm(text):
    if text == "24:00":
        return time(23, 59, 59, 999999)
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def window(day, hours, exceptions):
    """(open, close) local times of a date, or None when closed."""
    kind = exceptions.get(day.isoformat())
    if kind == "holiday":
        return None
    span = hours.get(str(day.weekday()))
    if kind == "workday" and not span:
        span = next((hours[k] for k in sorted(hours) if hours[k]), None)
    if not span:
        return None
    return parse_hhmm(span[0]), parse_hhmm(span[1])


def open_spans(start, hours, exceptions, tz_name):
    """The working time from `start` (an aware datetime) on: (begin, close) local aware
    datetimes, day by day, for HORIZON_DAYS. Deadlines and durations both walk these."""
    tz = ZoneInfo(tz_name)
    cursor = start.astimezone(tz)
    for offset in range(HORIZON_DAYS):
        day = cursor.date() + timedelta(days=offset)
        span = window(day, hours, exceptions)
        if span is None:
            continue
        begin = max(cursor, datetime.combine(day, span[0], tz))
        closes = datetime.combine(day, span[1], tz)
        if begin < closes:
            yield begin, closes


def add_business_minutes(start, minutes, hours, exceptions, tz_name):
    """The UTC moment `minutes` working minutes after `start` (an aware datetime)."""
    remaining = timedelta(minutes=minutes)
    for begin, closes in open_spans(start, hours, exceptions, tz_name):
        if begin + remaining <= closes:
            return (begin + remaining).astimezone(timezone.utc)
        remaining -= closes - begin
    return start + timedelta(minutes=minutes)


def business_minutes_between(start, end, hours, exceptions, tz_name):
    """Working minutes from `start` to `end` (aware datetimes); 0 when end is not later."""
    total = timedelta()
    if end > start:
        for begin, closes in open_spans(start, hours, exceptions, tz_name):
            if begin >= end:
                break
            total += min(closes, end.astimezone(begin.tzinfo)) - begin
    return total.total_seconds() / 60


def check_hours(hours):
    """Problems with a weekly-hours dict (empty list: fine)."""
    problems = []
    for key, span in hours.items():
        if key not in {str(d) for d in range(7)}:
            problems.append(key)
        elif span and not (len(span) == 2 and all(HHMM.match(s or "") for s in span)
                           and parse_hhmm(span[0]) < parse_hhmm(span[1])):
            problems.append(key)
    return problems


def parse_days(text):
    """Lines "YYYY-MM-DD [name]" -> ({day: name}, [bad lines]). Ranges "A..B" allowed."""
    found, bad = {}, []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        first, _sep, name = line.partition(" ")
        start, _dots, end = first.partition("..")
        try:
            days = _expand(start, end or start)
        except ValueError:
            bad.append(line)
            continue
        for day in days:
            found[day] = name.strip()[:60]
    return found, bad


def _expand(start, end):
    if not (DAY.match(start) and DAY.match(end)):
        raise ValueError(start)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if last < first or (last - first).days > 31:
        raise ValueError(start)
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
