"""Pure time rules: quiet hours and allowed windows in the recipient's time zone, cron runs
in the organisation's, retry backoff. No Flask, no database."""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 6 * 3600
MAX_ATTEMPTS = 6


def parse_hhmm(text):
    """'21:30' -> time(21, 30); '' -> None; ValueError otherwise."""
    if not text:
        return None
    hours, minutes = text.split(":")
    if len(hours) > 2 or len(minutes) != 2:
        raise ValueError(text)
    return time(int(hours), int(minutes))


def _inside(local, start, end):
    """Is the local time of day inside [start, end) (a window may cross midnight)?"""
    now = local.timetz().replace(tzinfo=None)
    return start <= now < end if start <= end else (now >= start or now < end)


def next_outside(moment, zone, start, end):
    """moment if it is outside the quiet hours [start, end) in zone, else when they end."""
    if start is None or end is None or start == end:
        return moment
    local = moment.astimezone(ZoneInfo(zone))
    if not _inside(local, start, end):
        return moment
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends.astimezone(timezone.utc)


def next_inside(moment, zone, start, end):
    """moment if it is inside the allowed window [start, end) in zone, else its next start."""
    if start is None or end is None or start == end:
        return moment
    local = moment.astimezone(ZoneInfo(zone))
    if _inside(local, start, end):
        return moment
    opens = local.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
    if opens <= local:
        opens += timedelta(days=1)
    return opens.astimezone(timezone.utc)


def cron_trigger(expression, zone):
    """APScheduler's CronTrigger for five crontab fields; ValueError when it is not one."""
    if len(expression.split()) != 5:
        raise ValueError("five fields: minute hour day month weekday")
    return CronTrigger.from_crontab(expression, timezone=ZoneInfo(zone))


def next_cron(expression, zone, after):
    """The first run strictly after `after` (UTC), or None."""
    trigger = cron_trigger(expression, zone)
    fire = trigger.get_next_fire_time(None, after + timedelta(seconds=1))
    return fire.astimezone(timezone.utc) if fire else None


def retry_delay(attempts):
    return min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


def utc(moment):
    return moment.astimezone(timezone.utc)


def local_to_utc(text, zone):
    """'2026-12-01T09:30' in zone -> an aware UTC datetime; ValueError when malformed."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)
