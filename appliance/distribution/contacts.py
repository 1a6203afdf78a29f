"""Contacts: personal fields encrypted at rest, found by their blind index, scoped by unit."""
import json
import re
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l

from ..core import audit, clock
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError
from ..collection import links as collection_links
from ..org import lookups
from . import keys

EMAIL = re.compile(r"^[^@\s<>\"',;]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")
PHONE = re.compile(r"^\+?[0-9]{6,20}$")
LANGUAGES = ("zh_CN", "en")
MAX_ATTRIBUTES = 30
PAGE_SIZE = 50
OPT_OUT_DETAIL = {"link": "unsubscribed", "sms_reply": "replied with an opt-out word"}
_ZONES = None


def valid_timezone(name):
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return name == "" or name in _ZONES


def check_fields(fields):
    """{field: message} for a contact's values (name, email, phone, language, timezone)."""
    errors = {}
    email, phone = fields.get("email", ""), keys.normal_phone(fields.get("phone", ""))
    if email and not EMAIL.match(email):
        errors["email"] = _l("Not an email address: %(value)s", value=email[:80])
    if phone and not PHONE.match(phone):
        errors["phone"] = _l("Not a phone number: %(value)s", value=fields["phone"][:40])
    if not email and not phone:
        errors["email"] = _l("A contact needs an email address or a phone number.")
    if len(fields.get("name", "")) > 100:
        errors["name"] = _l("Name: at most 100 characters.")
    if fields.get("language", "zh_CN") not in LANGUAGES:
        errors["language"] = _l("Language: zh_CN or en.")
    if not valid_timezone(fields.get("timezone", "")):
        errors["timezone"] = _l("Unknown time zone: %(value)s", value=fields["timezone"][:40])
    if len(fields.get("attributes", {})) > MAX_ATTRIBUTES:
        errors["attributes"] = _l("At most %(n)s attributes.", n=MAX_ATTRIBUTES)
    return errors


def sealed_row(fields, ring, blind_key):
    """The stored columns of a contact: ciphertexts and blind indexes, never plain values."""
    return {"name_enc": ring.encrypt(fields.get("name", "")),
            "email_enc": ring.encrypt(keys.normal_email(fields.get("email", ""))),
            "phone_enc": ring.encrypt(keys.normal_phone(fields.get("phone", ""))),
            "email_index": fields["email_index"] if "email_index" in fields else
            keys.blind_index("email", fields.get("email"), blind_key),
            "phone_index": fields["phone_index"] if "phone_index" in fields else
            keys.blind_index("phone", fields.get("phone"), blind_key),
            "language": fields.get("language") or "zh_CN",
            "timezone": fields.get("timezone", ""),
            "attributes": json.dumps(fields.get("attributes", {}), ensure_ascii=False)}


def reveal(contact, ring=None):
    """A contact row with its personal fields decrypted (name, email, phone)."""
    ring = ring or keys.keyring()
    found = dict(contact)
    for field in ("name", "email", "phone"):
        found[field] = ring.decrypt(contact.get(f"{field}_enc", ""))
    found["attributes"] = json.loads(contact.get("attributes") or "{}")
    return found


def find_by_identity(db, email="", phone=""):
    """The contact with this email or phone (by blind index), or None."""
    for kind, value in (("email", email), ("phone", phone)):
        index = keys.blind_index(kind, value)
        if index:
            row = query_one(db, f"SELECT * FROM contacts WHERE {kind}_index = ?", (index,))
            if row:
                return row
    return None


def get_contact(db, scope, contact_id):
    where, params = scope.sql("c.unit_id")
    row = query_one(db, f"SELECT c.* FROM contacts c WHERE c.id = ? AND {where}",
                    [contact_id, *params])
    return lookups.with_unit_fields(db, [row])[0] if row else None


def list_contacts(db, scope, search="", page=1):
    """One page of contacts in scope; search is an exact email or phone (blind index)."""
    where, params = scope.sql("c.unit_id")
    sql = f"SELECT c.* FROM contacts c WHERE {where}"
    if search:
        sql += " AND (c.email_index = ? OR c.phone_index = ?)"
        params += [keys.blind_index("email", search), keys.blind_index("phone", search)]
    rows = query_all(db, sql + " ORDER BY c.id DESC LIMIT ? OFFSET ?",
                     params + [PAGE_SIZE + 1, (max(page, 1) - 1) * PAGE_SIZE])
    ring = keys.keyring()
    shown = lookups.with_unit_fields(db, rows[:PAGE_SIZE])
    return [reveal(r, ring) for r in shown], len(rows) > PAGE_SIZE


def count_in_scope(db, scope):
    where, params = scope.sql("unit_id")
    return db.execute(f"SELECT COUNT(*) FROM contacts WHERE {where}", params).fetchone()[0]


def opted_out_channels(db, contact_id):
    return {r["channel"] for r in query_all(
        db, "SELECT channel FROM contact_optouts WHERE contact_id = ?", (contact_id,))}


def opt_out(db, contact_id, channel, source="link"):
    """Record the opt-out (idempotent, audited the first time) and stop every invitation not
    yet sent on the channel. source: "link" (the unsubscribe page) or "sms_reply"."""
    now = clock.now_iso()
    with transaction(db):
        if db.execute("INSERT INTO contact_optouts (contact_id, channel, at) VALUES (?, ?, ?) "
                      "ON CONFLICT DO NOTHING", (contact_id, channel, now)).rowcount:
            unit = query_one(db, "SELECT unit_id FROM contacts WHERE id = ?", (contact_id,))
            audit.record(db, "contact.opt_out", "contact", contact_id,
                         unit["unit_id"] if unit else None,
                         after={"channel": channel, "source": source})
        for row in query_all(db, "SELECT id FROM invitations WHERE contact_id = ? AND channel = ? "
                                 "AND status = 'scheduled'", (contact_id, channel)):
            db.execute("UPDATE invitations SET status = 'opted_out' WHERE id = ?", (row["id"],))
            db.execute("INSERT INTO delivery_log (invitation_id, at, event, detail) "
                       "VALUES (?, ?, 'opted_out', ?)", (row["id"], now, OPT_OUT_DETAIL[source]))
        db.execute("UPDATE invitations SET next_reminder_at = NULL WHERE contact_id = ? "
                   "AND channel = ?", (contact_id, channel))


def erase(db, contact):
    """Remove a contact on request: the row (personal fields, opt-outs, list memberships), the
    personal data of their invitations' links, and their invitations' order ids."""
    invitations = query_all(db, "SELECT id, link_id FROM invitations WHERE contact_id = ?",
                            (contact["id"],))
    with transaction(db):
        collection_links.forget_contacts(db, [i["link_id"] for i in invitations if i["link_id"]])
        db.execute("UPDATE invitations SET status = CASE WHEN status IN ('scheduled','failed') "
                   "THEN 'erased' ELSE status END, order_id = '', next_reminder_at = NULL "
                   "WHERE contact_id = ?", (contact["id"],))
        db.execute("UPDATE triggers SET contact_id = NULL WHERE contact_id = ?", (contact["id"],))
        db.execute("DELETE FROM contacts WHERE id = ?", (contact["id"],))
        audit.record(db, "contact.erase", "contact", contact["id"], contact["unit_id"],
                     after={"invitations": len(invitations)})
    return len(invitations)


def update(db, contact, fields, unit):
    errors = check_fields(fields)
    other = find_by_identity(db, fields.get("email", ""), fields.get("phone", ""))
    if other and other["id"] != contact["id"]:
        errors["email"] = _l("Another contact already has this email address or phone number.")
    if errors:
        raise ValidationError(errors)
    row = sealed_row(fields, keys.keyring(), keys.blind_key())
    with transaction(db):
        db.execute(f"UPDATE contacts SET {', '.join(f'{k} = ?' for k in row)}, unit_id = ?, "
                   f"updated_at = ? WHERE id = ?",
                   [*row.values(), unit["id"], clock.now_iso(), contact["id"]])
        audit.record(db, "contact.update", "contact", contact["id"], unit["id"],
                     after={"fields": sorted(k for k, v in fields.items() if v)})
