"""Sign-in sessions kept server-side.

The signed cookie carries only a random session id ("sid"); the database keeps its
SHA-256 with the user, creation and last-seen times, address and browser. A session
ends when its row goes: on logout, on a password change or reset, when the user is
deactivated or their roles change, after the idle or absolute timeout (runtime
settings security.session_idle_minutes / security.session_absolute_hours), or when
the user ends it on their sessions page. A cookie copied before any of these opens
nothing. The integration API (/api/v1/) never reads or sets the cookie.
"""
import hashlib
import secrets
from datetime import timedelta

from flask import request, session
from flask.sessions import SecureCookieSessionInterface

from . import clock, settings
from .db import query_all, query_one, transaction

TOUCH_SECONDS = 60   # last_seen_at is written at most once a minute per session


class SessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, except on the integration API (/api/v1/), which
    authenticates each call on its own and never sets the session cookie. Two
    exceptions read it: a signed-in user's GET (read-only, no CSRF risk: the metrics
    and tickets APIs serve the dashboards' own user as well as tokens), and the
    designer's draft API, which keeps the session and with it the CSRF check of writes."""
    STATELESS_PREFIX = "/api/v1/"
    SESSION_API_PREFIXES = ("/api/v1/surveys/",)

    def _stateless(self, request):
        return (request.path.startswith(self.STATELESS_PREFIX)
                and not request.path.startswith(self.SESSION_API_PREFIXES))

    def open_session(self, app, request):
        if self._stateless(request) and request.method not in ("GET", "HEAD"):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if self._stateless(request):
            return None
        return super().save_session(app, session, response)


def _hash(sid):
    return hashlib.sha256(sid.encode()).hexdigest()


def begin(db, user_id):
    """Start a session for user_id in this request's cookie (a fresh id, the old one ended)."""
    end_current(db)
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    sid = secrets.token_urlsafe(32)
    now = clock.now_iso()
    with transaction(db):
        db.execute("INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, ip, "
                   "user_agent) VALUES (?, ?, ?, ?, ?, ?)",
                   (_hash(sid), user_id, now, now, request.remote_addr or "",
                    (request.user_agent.string or "")[:200]))
    session.permanent = True
    session["sid"] = sid


def current(db):
    """This request's live session row, or None (expired rows are removed)."""
    sid = session.get("sid")
    if not isinstance(sid, str):
        return None
    row = query_one(db, "SELECT * FROM sessions WHERE id_hash = ?", (_hash(sid),))
    if row is None:
        return None
    if _expired(db, row):
        _delete(db, "id = ?", (row["id"],))
        return None
    if clock.parse(row["last_seen_at"]) < clock.utcnow() - timedelta(seconds=TOUCH_SECONDS):
        with transaction(db):
            db.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?",
                       (clock.now_iso(), row["id"]))
    return row


def _expired(db, row):
    now = clock.utcnow()
    idle = timedelta(minutes=settings.get(db, "security.session_idle_minutes"))
    absolute = timedelta(hours=settings.get(db, "security.session_absolute_hours"))
    return (clock.parse(row["last_seen_at"]) < now - idle
            or clock.parse(row["created_at"]) < now - absolute)


def end_current(db):
    sid = session.pop("sid", None)
    if isinstance(sid, str):
        _delete(db, "id_hash = ?", (_hash(sid),))


def end_all_for_user(db, user_id, except_id=None):
    """End every session of the user (but except_id). Joins the caller's transaction."""
    if except_id is None:
        _delete(db, "user_id = ?", (user_id,))
    else:
        _delete(db, "user_id = ? AND id != ?", (user_id, except_id))


def end_one(db, user_id, session_id):
    """End one of the user's own sessions; False when it is not theirs or gone."""
    with transaction(db):
        return db.execute("DELETE FROM sessions WHERE id = ? AND user_id = ?",
                          (session_id, user_id)).rowcount == 1


def for_user(db, user_id):
    return query_all(db, "SELECT id, created_at, last_seen_at, ip, user_agent FROM sessions "
                         "WHERE user_id = ? ORDER BY last_seen_at DESC", (user_id,))


def purge_expired(db):
    """Remove sessions past the idle or absolute timeout (the org domain's hourly job)."""
    now = clock.utcnow()
    idle = clock.iso(now - timedelta(minutes=settings.get(db, "security.session_idle_minutes")))
    absolute = clock.iso(now - timedelta(hours=settings.get(db, "security.session_absolute_hours")))
    with transaction(db):
        return db.execute("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?",
                          (idle, absolute)).rowcount


def _delete(db, where, params):
    with transaction(db):
        db.execute(f"DELETE FROM sessions WHERE {where}", params)
