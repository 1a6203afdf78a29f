-- Integration API tokens: created and revoked by an admin, stored hashed (SHA-256 of a
-- 256-bit random secret), scoped to a unit subtree with a list of capabilities.

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,               -- the first characters, to recognise a token in a list
    unit_id INTEGER NOT NULL REFERENCES units(id),
    role TEXT NOT NULL DEFAULT 'integration',
    capabilities TEXT NOT NULL,         -- JSON list, e.g. ["submit_responses", "read_metrics"]
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_unit ON api_tokens(unit_id);
