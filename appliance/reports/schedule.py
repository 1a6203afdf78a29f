"""Schedules and periods in the organisation's time zone. Pure: no Flask, no database.

A schedule is text a person can read and a program can parse:
"weekly mon 08:00", "monthly 1 08:00", "quarterly 1 08:00" (day 1-28).
"""
import re
import zoneinfo
from datetime import date, datetime, time, timedelta, timezone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PERIODS = ("last_week", "last_month", "month_to_date", "last_quarter")
PATTERN = re.compile(r"^(weekly|monthly|quarterly)\s+(\w+)\s+(\d{1,2}):(\d{2})$")


class ScheduleError(ValueError):
    pass


def parse(text):
    """-> (frequency, day, hour, minute); day is 0-6 for weekly, 1-28 otherwise."""
    match = PATTERN.match((text or "").strip().lower())
    if not match:
        raise ScheduleError("expected e.g. 'weekly mon 08:00', 'monthly 1 08:00' or "
                            "'quarterly 1 08:00'")
    frequency, day, hour, minute = match[1], match[2], int(match[3]), int(match[4])
    if hour > 23 or minute > 59:
        raise ScheduleError("the time is not a time of day")
    if frequency == "weekly":
        if day not in WEEKDAYS:
            raise ScheduleError("the weekday is one of mon, tue, wed, thu, fri, sat, sun")
        return frequency, WEEKDAYS.index(day), hour, minute
    if not day.isdigit() or not 1 <= int(day) <= 28:
        raise ScheduleError("the day of the month is a number from 1 to 28")
    return frequency, int(day), hour, minute


def next_run(text, after_utc, tz_name):
    """The first moment of the schedule strictly after after_utc, in UTC."""
    frequency, day, hour, minute = parse(text)
    tz = zoneinfo.ZoneInfo(tz_name)
    local = after_utc.astimezone(tz)
    candidate = _first_on_or_after(frequency, day, local.date())
    while True:
        moment = datetime.combine(candidate, time(hour, minute), tz)
        if moment > local:
            return moment.astimezone(timezone.utc)
        candidate = _first_on_or_after(frequency, day, candidate + timedelta(days=1))


def _first_on_or_after(frequency, day, start):
    if frequency == "weekly":
        return start + timedelta(days=(day - start.weekday()) % 7)
    months = 1 if frequency == "monthly" else 3
    year, month = start.year, start.month
    while True:
        if (month - 1) % months == 0 and date(year, month, day) >= start:
            return date(year, month, day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def period(kind, today):
    """(first, last) day covered by a report sent on `today` (local date)."""
    if kind == "last_week":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if kind == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if kind == "month_to_date":
        last = today - timedelta(days=1)
        return last.replace(day=1), last
    if kind == "last_quarter":
        first_this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        last = first_this - timedelta(days=1)
        return date(last.year, 3 * ((last.month - 1) // 3) + 1, 1), last
    raise ScheduleError(f"unknown period {kind!r}")
