-- Collection: when a personal invitation link was first opened (the distribution delivery log).
ALTER TABLE links ADD COLUMN opened_at TEXT;
