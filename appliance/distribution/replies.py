"""Replies to SMS invitations, posted by the gateway (inbound.py): "STOP", "TD", "退订",
"T" or "N" (any case, spaces, full-width forms or punctuation around it) opt the contact out
of SMS, the same opt-out record as the unsubscribe link, audited; any other reply is kept,
encrypted, on the contact's timeline. Both leave a "replied" event in the delivery log of
the contact's latest invitation through that channel."""
import unicodedata

from ..core import clock
from ..core.db import query_all, query_one, transaction
from ..org import lookups
from . import contacts, keys

STOP_WORDS = frozenset({"STOP", "TD", "退订", "T", "N"})


def normal_reply(text):
    """NFKC (full-width letters become ASCII), upper case, no spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(ch for ch in folded
                   if not ch.isspace() and not unicodedata.category(ch).startswith(("P", "S")))


def is_stop(text):
    return normal_reply(text) in STOP_WORDS


def _contact(db, channel, sender):
    """The contact with this number in the channel's part of the organisation, or None."""
    index = keys.blind_index("phone", sender)
    if not index:
        return None
    where, params = lookups.subtree_sql(db, channel["unit_id"], "c.unit_id")
    return query_one(db, f"SELECT c.id, c.unit_id FROM contacts c WHERE c.phone_index = ? "
                         f"AND {where}", [index, *params])


def _latest_invitation(db, contact_id, channel_id):
    row = query_one(db, "SELECT i.id FROM invitations i JOIN waves w ON w.id = i.wave_id "
                        "WHERE i.contact_id = ? AND w.channel_id = ? ORDER BY i.id DESC LIMIT 1",
                    (contact_id, channel_id))
    return row["id"] if row else None


def receive(db, channel, sender, text):
    """Record one reply. Returns {"contact": known?, "opted_out": bool}."""
    contact = _contact(db, channel, sender)
    if contact is None:
        return {"contact": False, "opted_out": False}
    stop, now = is_stop(text), clock.now_iso()
    invitation_id = _latest_invitation(db, contact["id"], channel["id"])
    with transaction(db):
        db.execute("INSERT INTO contact_replies (contact_id, channel_id, invitation_id, text_enc, "
                   "action, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                   (contact["id"], channel["id"], invitation_id, keys.keyring().encrypt(text),
                    "opted_out" if stop else "kept", now))
        if invitation_id:
            db.execute("INSERT INTO delivery_log (invitation_id, at, event, detail) VALUES "
                       "(?, ?, 'replied', ?)", (invitation_id, now, "opt-out word: opted out"
                                                if stop else "reply kept on the contact"))
        if stop:
            contacts.opt_out(db, contact["id"], channel["kind"], source="sms_reply")
    return {"contact": True, "opted_out": stop}


def replies_of(db, contact_id, limit=50):
    """The contact's replies, newest first, their text decrypted."""
    ring = keys.keyring()
    rows = query_all(db, "SELECT * FROM contact_replies WHERE contact_id = ? ORDER BY id DESC "
                         "LIMIT ?", (contact_id, limit))
    for row in rows:
        row["text"] = ring.decrypt(row["text_enc"])
    return rows
