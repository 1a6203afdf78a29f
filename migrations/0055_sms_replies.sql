-- SMS replies: a gateway posts the replies it receives to /api/v1/channels/<id>/replies,
-- authenticated with the channel's inbound secret (encrypted like the gateway's own secret).
-- "STOP", "TD", "退订", "T", "N" opt the contact out of SMS; other replies are kept here,
-- encrypted, on the contact's timeline (and as a "replied" event in the delivery log).
ALTER TABLE channels ADD COLUMN inbound_secret_enc TEXT NOT NULL DEFAULT '';

CREATE TABLE contact_replies (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    invitation_id INTEGER REFERENCES invitations(id) ON DELETE SET NULL,
    text_enc TEXT NOT NULL DEFAULT '',      -- the reply, encrypted (it may hold personal data)
    action TEXT NOT NULL CHECK (action IN ('opted_out','kept')),
    received_at TEXT NOT NULL
);
CREATE INDEX contact_replies_contact ON contact_replies(contact_id, id);
