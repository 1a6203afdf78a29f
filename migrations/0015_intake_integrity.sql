-- Intake integrity (issue 10, items 7, 9, 15).
--
-- held: 1 while a response from a suspicious burst (many extreme scores from one client on
-- one link in a short window) waits for an analyst; held responses are kept out of every
-- score until accepted (collection.integrity.counted_sql). held_reason says why.
-- device: the respondent's device cookie (tj_d), for the per-device limits.
-- consent: JSON {"purpose", "language", "at"} when the respondent agreed to be contacted.
ALTER TABLE responses ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN held_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN device TEXT;
ALTER TABLE responses ADD COLUMN consent TEXT NOT NULL DEFAULT '';
CREATE INDEX responses_held ON responses(held) WHERE held = 1;
-- (link, client, time) answers the burst check from the index; it replaces responses_link,
-- its prefix, so intake writes no extra index.
DROP INDEX responses_link;
CREATE INDEX responses_link_client ON responses(link_id, ip_hash, submitted_at);
CREATE INDEX responses_device ON responses(device, survey_id) WHERE device IS NOT NULL;

-- An idempotency key belongs to the link it was sent with: the same key on another link is
-- another submission, never the other survey's response.
DROP INDEX responses_idempotency_key;
CREATE UNIQUE INDEX responses_link_idempotency_key ON responses(link_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- Per-survey collection rules, edited on the survey's settings page:
-- device_days: a device may answer a unit link once per N days (NULL = no such rule);
-- contact_purpose: JSON {language: text}, the purpose shown in the contact consent line.
ALTER TABLE surveys ADD COLUMN device_days INTEGER CHECK (device_days IS NULL OR device_days > 0);
ALTER TABLE surveys ADD COLUMN contact_purpose TEXT NOT NULL DEFAULT '{}';
