"""Timestamps are stored as ISO-8601 UTC text, which sorts correctly as a string."""
from datetime import datetime, timedelta, timezone


def utcnow():
    return datetime.now(timezone.utc)


def iso(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_iso():
    return iso(utcnow())


def in_seconds(seconds):
    return iso(utcnow() + timedelta(seconds=seconds))


def parse(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
