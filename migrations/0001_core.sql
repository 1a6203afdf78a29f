-- Core: runtime settings, org tree, users and roles, audit log, work queue.

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,             -- JSON
    updated_at TEXT NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES units(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL,              -- group, business_line, region, store, ...
    path TEXT NOT NULL,              -- materialised path of ids, e.g. /1/4/17/
    depth INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_path ON units(path);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    email_enc TEXT NOT NULL DEFAULT '',     -- personal data, encrypted (core.crypto)
    password_hash TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',      -- '' = organisation default
    auth_source TEXT NOT NULL DEFAULT 'local',  -- seam for SSO/LDAP
    active INTEGER NOT NULL DEFAULT 1,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    last_login_at TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    role TEXT NOT NULL CHECK (role IN ('admin','programme_manager','analyst','unit_manager','viewer')),
    UNIQUE (user_id, unit_id, role)
);
CREATE INDEX memberships_unit ON memberships(unit_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    action TEXT NOT NULL,            -- e.g. unit.create, user.update, export.personal
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL DEFAULT '',
    unit_id INTEGER,
    before TEXT,                     -- JSON
    after TEXT,                      -- JSON
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_unit ON audit_log(unit_id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,           -- JSON
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','running','done','failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 8,
    run_after TEXT NOT NULL,
    claimed_by TEXT,
    claimed_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX outbox_due ON outbox(status, run_after);

CREATE TABLE job_runs (
    job_id TEXT PRIMARY KEY,
    last_started_at TEXT,
    last_finished_at TEXT,
    last_error TEXT,
    runner TEXT
);
