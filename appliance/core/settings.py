"""Runtime settings edited in the UI (organisation, SMTP, language...), stored in the database."""
import ipaddress
import json
from urllib.parse import urlsplit

from . import clock
from .db import transaction

DEFAULTS = {
    "setup.completed": False,
    "setup.step": "admin",
    "org.name": "",
    "org.default_language": "zh_CN",
    "org.timezone": "Asia/Shanghai",
    "org.base_url": "",             # unset: links use the address the request came to
    "smtp.host": "",
    "smtp.port": 25,
    "smtp.security": "none",        # none, starttls, ssl
    "smtp.username": "",
    "smtp.password_enc": "",
    "smtp.sender": "",
    "smtp.verified_at": "",          # the last successful test email
    "smtp.verified_for": "",         # the relay it went through (mail is verified while equal)
    "security.session_idle_minutes": 120,     # a sign-in ends after this long without activity
    "security.session_absolute_hours": 12,    # and this long after it started, whatever happens
    "security.login_failures_per_address": 30,  # failed sign-ins per client address per window
    "security.login_window_minutes": 15,
}


def get(db, name):
    row = db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
    return json.loads(row[0]) if row else DEFAULTS.get(name)


def get_many(db, prefix):
    values = {k: v for k, v in DEFAULTS.items() if k.startswith(prefix)}
    for row in db.execute("SELECT name, value FROM settings WHERE name LIKE ?", (prefix + "%",)):
        values[row[0]] = json.loads(row[1])
    return values


def set_many(db, values):
    with transaction(db):
        for name, value in values.items():
            db.execute("INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?) "
                       "ON CONFLICT(name) DO UPDATE SET value = excluded.value, "
                       "updated_at = excluded.updated_at",
                       (name, json.dumps(value, ensure_ascii=False), clock.now_iso()))


def base_url(db):
    """The address respondents reach: the setting, or (unset) the address of this request."""
    stored = (get(db, "org.base_url") or "").rstrip("/")
    if stored:
        return stored
    from flask import has_request_context, request
    return request.url_root.rstrip("/") if has_request_context() else ""


def is_loopback(url):
    """Does the address point at this machine only (127.x, ::1, localhost, 0.0.0.0)?"""
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
