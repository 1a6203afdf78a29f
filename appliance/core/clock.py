"""Timestamps are stored as ISO-8601 UTC text, which sorts correctly as a string.

utcnow() is the appliance's one clock. Tests and the demo's walk-through move it with
shift(seconds) (a process-wide offset, 0 in production) to let an SLA breach or an
escalation interval pass without waiting."""
from datetime import datetime, timedelta, timezone

_offset = timedelta(0)


def shift(seconds):
    """Move this process's clock forward (or back) by seconds; shift(None) resets it."""
    global _offset
    _offset = timedelta(0) if seconds is None else _offset + timedelta(seconds=seconds)


def utcnow():
    return datetime.now(timezone.utc) + _offset


def iso(moment):
    """2026-12-01T09:50:17.462744Z (isoformat is several times cheaper than strftime)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def now_iso():
    return iso(utcnow())


def in_seconds(seconds):
    return iso(utcnow() + timedelta(seconds=seconds))


def parse(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
