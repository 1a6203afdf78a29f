"""Survey links: one public link per survey, one per unit, personal single-use invitations."""
import json
import secrets

from flask import current_app, has_app_context

from ..core import clock, crypto, events, settings
from ..core.db import query_all, query_one, transaction
from ..org import lookups

TOKEN_BYTES = 12   # 96 bits: unguessable, short enough for a QR code and an SMS


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def get_link(db, token):
    if not isinstance(token, str) or not 8 <= len(token) <= 64:
        return None
    link = query_one(db, "SELECT * FROM links WHERE token = ?", (token,))
    if link is not None:
        unit = lookups.units_by_id(db, [link["unit_id"]]).get(link["unit_id"])
        link["unit_code"] = unit["code"] if unit else None
        link["unit_path"] = unit["path"] if unit else None
    return link


def _insert(db, survey_id, kind, unit_id=None, single_use=False, contact_enc=""):
    token = new_token()
    db.execute("INSERT INTO links (token, survey_id, kind, unit_id, single_use, contact_enc, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
               (token, survey_id, kind, unit_id, int(single_use), contact_enc, clock.now_iso()))
    return token


def shared_link(db, survey_id, unit_id=None):
    """The survey's public link (unit_id None) or the link of one unit, created on first use."""
    kind = "unit" if unit_id else "public"
    sql = ("SELECT * FROM links WHERE survey_id = ? AND kind = ? AND COALESCE(unit_id, 0) = ?")
    params = (survey_id, kind, unit_id or 0)
    link = query_one(db, sql, params)
    if link is None:
        with transaction(db):
            _insert(db, survey_id, kind, unit_id)
        link = query_one(db, sql, params)
    return link


def unit_links(db, survey_id, units):
    """[(unit, link)] for every unit given (e.g. a subtree), creating missing links in one go."""
    existing = {row["unit_id"]: row for row in query_all(
        db, "SELECT * FROM links WHERE survey_id = ? AND kind = 'unit'", (survey_id,))}
    missing = [u for u in units if u["id"] not in existing]
    if missing:
        with transaction(db):
            for unit in missing:
                _insert(db, survey_id, "unit", unit["id"])
        return unit_links(db, survey_id, units)
    return [(unit, existing[unit["id"]]) for unit in units]


def create_invitations(db, survey_id, count_or_contacts, unit_id=None, keyring=None):
    """Personal single-use links: a count, or a list of contact dicts (stored encrypted).

    Returns [{"token": ..., "contact": {...}}] in order; the distribution domain sends them.
    """
    contacts = [{}] * count_or_contacts if isinstance(count_or_contacts, int) \
        else list(count_or_contacts)
    ring = keyring or (_keyring() if any(contacts) else None)
    created = []
    with transaction(db):
        for contact in contacts:
            sealed = ring.encrypt(json.dumps(contact, ensure_ascii=False)) if contact else ""
            token = _insert(db, survey_id, "invitation", unit_id, True, sealed)
            created.append({"token": token, "contact": contact})
    return created


def _keyring():
    return crypto.keyring(current_app.config["DATA_DIR"])


def mark_used(db, link):
    """Claim a single-use link inside the submission's transaction; False if already used."""
    if not link["single_use"]:
        return True
    cursor = db.execute("UPDATE links SET used_at = ? WHERE id = ? AND used_at IS NULL",
                        (clock.now_iso(), link["id"]))
    return cursor.rowcount == 1


def link_url(db, link, **query):
    base = settings.base_url(db) if has_app_context() else ""
    suffix = "&".join(f"{k}={v}" for k, v in query.items())
    return f"{base}/s/{link['token']}" + (f"?{suffix}" if suffix else "")


def create_personal_links(db, survey_id, rows, keyring):
    """Personal single-use links for [(unit_id, contact dict)], in the caller's transaction
    (the distribution domain creates them with its invitations). Returns [(link_id, token)]."""
    created = []
    now = clock.now_iso()
    for unit_id, contact in rows:
        token = new_token()
        sealed = keyring.encrypt(json.dumps(contact, ensure_ascii=False)) if contact else ""
        cursor = db.execute("INSERT INTO links (token, survey_id, kind, unit_id, single_use, "
                            "contact_enc, created_at) VALUES (?, ?, 'invitation', ?, 1, ?, ?)",
                            (token, survey_id, unit_id, sealed, now))
        created.append((cursor.lastrowid, token))
    return created


def forget_contacts(db, link_ids):
    """Erase the personal data kept on these personal links (a contact erased on request)."""
    for start in range(0, len(link_ids), 500):
        chunk = link_ids[start:start + 500]
        db.execute(f"UPDATE links SET contact_enc = '' WHERE kind = 'invitation' AND id IN "
                   f"({','.join('?' * len(chunk))})", chunk)


def mark_opened(db, link):
    """The first visit of a personal link: recorded once, with an invitation.opened event."""
    if link["kind"] != "invitation" or link.get("opened_at"):
        return
    with transaction(db):
        if db.execute("UPDATE links SET opened_at = ? WHERE id = ? AND opened_at IS NULL",
                      (clock.now_iso(), link["id"])).rowcount:
            events.publish(db, "invitation.opened", {"link_id": link["id"]})
