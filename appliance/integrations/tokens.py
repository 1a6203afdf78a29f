"""Integration API tokens and the principal they become.

A request to /api/v1/ with `Authorization: Bearer <token>` runs with g.user set to
a principal shaped like a signed-in user, so has_capability(), Scope.for_user() and
current_scope() work for tokens unchanged:

    {"id": None,                      # not a user: audit rows carry user_id NULL
     "token_id": 7,
     "username": "token:POS Shanghai", # what the audit log shows as the actor
     "display_name": "POS Shanghai", "kind": "token",
     "language": "", "active": 1, "must_change_password": 0,
     "memberships": [{"unit_id": 4, "unit_path": "/1/2/4/", "unit_code": "EAST",
                      "role": "integration",
                      "capabilities": ["submit_responses", "read_metrics"]}]}

A membership's "capabilities" list replaces the role's set (core/roles.py), so a token
can do exactly what it was given, only in its unit's subtree. Endpoints check
submit_responses, read_metrics, read_tickets, trigger_surveys or manage_reports (signed-in people get
these through their roles, integrations/__init__.py). An unknown or revoked token is a
401 before the view runs (a revocation reaches every worker within 5 seconds); no token leaves g.user None (the view's guard answers 401).
The token is shown once at creation; only its SHA-256 is stored.
"""
import hashlib
import json
import secrets
import time
from datetime import timedelta

from flask import abort, g, request

from ..core import audit, clock
from ..core.db import get_db, query_all, query_one, transaction
from ..core.errors import ValidationError
from ..org import lookups
from . import TOKEN_CAPABILITIES

PREFIX = "tj_"
TOUCH_SECONDS = 60
CACHE_SECONDS = 5
_CACHE = {}   # (database path, token hash) -> (principal, monotonic expiry)


def _hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(db, name, unit, capabilities):
    """A new token on unit's subtree. Returns (row, the token in clear: show it once)."""
    name = (name or "").strip()
    errors = {}
    if not 1 <= len(name) <= 80:
        errors["name"] = "name"
    if not capabilities or any(c not in TOKEN_CAPABILITIES for c in capabilities):
        errors["capabilities"] = "capabilities"
    if errors:
        raise ValidationError(_messages(errors))
    raw = PREFIX + secrets.token_urlsafe(32)
    with transaction(db):
        token_id = db.execute(
            "INSERT INTO api_tokens (name, token_hash, prefix, unit_id, capabilities, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, _hash(raw), raw[:10], unit["id"], json.dumps(sorted(set(capabilities))),
             (g.get("user") or {}).get("id"), clock.now_iso())).lastrowid
        audit.record(db, "token.create", "api_token", token_id, unit["id"],
                     after={"name": name, "unit": unit["code"], "capabilities": capabilities})
    return get_token(db, token_id), raw


def _messages(errors):
    from flask_babel import gettext as _
    words = {"name": _("Give the token a name of 1 to 80 characters (the system that uses it)."),
             "capabilities": _("Choose at least one thing the token may do.")}
    return {field: words[field] for field in errors}


def revoke_token(db, token):
    _CACHE.clear()
    with transaction(db):
        db.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                   (clock.now_iso(), token["id"]))
        audit.record(db, "token.revoke", "api_token", token["id"], token["unit_id"],
                     before={"name": token["name"]})


def get_token(db, token_id):
    row = query_one(db, "SELECT * FROM api_tokens WHERE id = ?", (token_id,))
    return lookups.with_unit_fields(db, [row])[0] if row else None


def list_tokens(db, scope):
    where, params = scope.sql("t.unit_id")
    rows = query_all(db, f"SELECT t.* FROM api_tokens t WHERE {where} "
                         f"ORDER BY t.revoked_at IS NOT NULL, t.id DESC", params)
    for row in rows:
        row["capabilities"] = json.loads(row["capabilities"])
    return lookups.with_unit_fields(db, rows)


def principal_for(db, raw):
    """The principal for a token in clear, or None when unknown, revoked or its unit gone.
    Each process remembers a token's principal for CACHE_SECONDS (intake calls come by the
    thousand a second); a revocation clears this process's memory at once, the others'
    within CACHE_SECONDS."""
    key = (getattr(db, "path", None), _hash(raw))
    hit = _CACHE.get(key)
    if hit and hit[1] > time.monotonic():
        return {**hit[0], "memberships": [dict(m) for m in hit[0]["memberships"]]}
    principal = _load_principal(db, raw)
    if len(_CACHE) > 1000:
        _CACHE.clear()
    if principal is not None:
        _CACHE[key] = (principal, time.monotonic() + CACHE_SECONDS)
    return principal


def _load_principal(db, raw):
    row = query_one(db, "SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                    (_hash(raw),))
    row = lookups.with_unit_fields(db, [row])[0] if row else None
    if row is None or row["unit_path"] is None:
        return None
    _touch(db, row)
    return {"id": None, "token_id": row["id"], "username": f"token:{row['name']}",
            "display_name": row["name"], "kind": "token", "language": "", "active": 1,
            "must_change_password": 0,
            "memberships": [{"unit_id": row["unit_id"], "unit_path": row["unit_path"],
                             "unit_code": row["unit_code"], "role": row["role"],
                             "capabilities": json.loads(row["capabilities"])}]}


def _touch(db, row):
    stale = clock.iso(clock.utcnow() - timedelta(seconds=TOUCH_SECONDS))
    if row["last_used_at"] is None or row["last_used_at"] < stale:
        with transaction(db):
            db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                       (clock.now_iso(), row["id"]))


def bearer(header):
    scheme, _sep, value = (header or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def load_token_principal():
    """before_request: a Bearer token on /api/v1/ becomes g.user (a bad one is a 401)."""
    if not request.path.startswith("/api/v1/"):
        return
    header = request.headers.get("Authorization")
    if bearer(header) is None:
        return
    principal = principal_for_header(header)
    if principal is None:
        abort(401)
    g.user = principal


def principal_for_header(header):
    """The principal of an Authorization header's Bearer token, or None (the "api.principal"
    seam: the direct endpoints, core/direct.py, ask it)."""
    raw = bearer(header)
    return principal_for(get_db(), raw) if raw is not None and len(raw) <= 200 else None
