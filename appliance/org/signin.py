"""Checking a sign-in: per-account lockout and per-address throttle counted atomically
in SQL before the password check, one generic message, the same time for every answer.

Each attempt first reserves its place (UPDATE ... SET failed_logins = failed_logins + 1
... RETURNING), so of any number of parallel wrong passwords only the first
LOCKOUT_ATTEMPTS reach the argon2 check; the rest, a locked account and an unknown
user name are checked against a dummy hash so they take as long as a real check.

Backends form a registry so SSO/LDAP can be added beside the local one:
each has authenticate(db, user, password) -> bool.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core import audit, clock, settings
from ..core.db import transaction
from ..core.passwords import dummy_hash, verify_password
from . import users as users_service

GENERIC = _l("Wrong user name or password. After repeated failures, sign-in is paused "
             "for a while.")


class LocalPasswordBackend:
    name = "local"

    def authenticate(self, db, user, password):
        return verify_password(user["password_hash"], password)


BACKENDS = {"local": LocalPasswordBackend()}


class LoginFailed(Exception):
    pass


def authenticate(db, username, password, address=""):
    """Return the user or raise LoginFailed (always the same message)."""
    user = users_service.get_user_by_username(db, username)
    attempt = _reserve_attempt(db, user) if _address_allows(db, address) and user else None
    if attempt is None or attempt > current_app.config["LOCKOUT_ATTEMPTS"]:
        verify_password(dummy_hash(), password)   # spend what a real check spends
        raise LoginFailed(str(GENERIC))
    backend = BACKENDS.get(user["auth_source"])
    if backend is None or not user["active"] or not backend.authenticate(db, user, password):
        _after_failure(db, user, attempt)
        raise LoginFailed(str(GENERIC))
    _after_success(db, user, address)
    return user


def _reserve_attempt(db, user):
    """Count this attempt on the account; None when it is locked."""
    with transaction(db):
        row = db.execute("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? "
                         "AND (locked_until IS NULL OR locked_until <= ?) "
                         "RETURNING failed_logins", (user["id"], clock.now_iso())).fetchone()
    return row[0] if row else None


def _after_failure(db, user, attempt):
    if attempt < current_app.config["LOCKOUT_ATTEMPTS"]:
        return
    until = clock.utcnow() + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
    with transaction(db):
        db.execute("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?",
                   (clock.iso(until), user["id"]))
        audit.record(db, "auth.lockout", "user", user["id"], actor=user)


def _after_success(db, user, address):
    with transaction(db):
        db.execute("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? "
                   "WHERE id = ?", (clock.now_iso(), user["id"]))
        db.execute("UPDATE login_throttle SET failures = MAX(failures - 1, 0) WHERE key = ?",
                   (f"ip:{address}",))
        audit.record(db, "auth.login", "user", user["id"], actor=user)


def purge_job(app):
    """Hourly: expired sessions and stale per-address throttle windows."""
    import contextlib

    from ..core import sessions
    from ..core.db import connect
    with contextlib.closing(connect(app.config["DATABASE"])) as db:
        sessions.purge_expired(db)
        window = timedelta(minutes=settings.get(db, "security.login_window_minutes"))
        with transaction(db):
            db.execute("DELETE FROM login_throttle WHERE window_started_at < ?",
                       (clock.iso(clock.utcnow() - window),))


def _address_allows(db, address):
    """Count the attempt on the client address; False past the limit in the window."""
    now = clock.utcnow()
    window = timedelta(minutes=settings.get(db, "security.login_window_minutes"))
    cutoff = clock.iso(now - window)
    with transaction(db):
        failures = db.execute(
            "INSERT INTO login_throttle (key, failures, window_started_at) VALUES (?, 1, ?) "
            "ON CONFLICT (key) DO UPDATE SET "
            "failures = CASE WHEN login_throttle.window_started_at < ? THEN 1 "
            "ELSE login_throttle.failures + 1 END, "
            "window_started_at = CASE WHEN login_throttle.window_started_at < ? "
            "THEN excluded.window_started_at ELSE login_throttle.window_started_at END "
            "RETURNING failures", (f"ip:{address}", clock.iso(now), cutoff, cutoff)).fetchone()[0]
    return failures <= settings.get(db, "security.login_failures_per_address")
