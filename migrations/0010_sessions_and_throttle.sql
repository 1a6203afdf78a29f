-- Server-side sign-in sessions (the cookie carries only a random id; its SHA-256 is stored)
-- and the per-address failed-login throttle.

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    id_hash TEXT NOT NULL UNIQUE,      -- sha256 of the random id in the signed cookie
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,              -- e.g. ip:203.0.113.5
    failures INTEGER NOT NULL DEFAULT 0,
    window_started_at TEXT NOT NULL
);
