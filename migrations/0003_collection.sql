-- Collection: survey links (public, per unit, personal invitations) and responses.

CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    kind TEXT NOT NULL CHECK (kind IN ('public','unit','invitation')),
    unit_id INTEGER REFERENCES units(id),
    single_use INTEGER NOT NULL DEFAULT 0,
    used_at TEXT,
    contact_enc TEXT NOT NULL DEFAULT '',   -- invitation's contact, encrypted (core.crypto)
    created_at TEXT NOT NULL
);
-- one public link per survey and one link per (survey, unit); invitations are many
CREATE UNIQUE INDEX links_shared ON links(survey_id, kind, COALESCE(unit_id, 0))
    WHERE kind IN ('public','unit');

CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL,
    version_id INTEGER NOT NULL REFERENCES survey_versions(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    link_id INTEGER REFERENCES links(id),
    channel TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    hidden TEXT NOT NULL DEFAULT '{}',       -- JSON: declared hidden fields from the link
    answers TEXT NOT NULL DEFAULT '{}',      -- JSON: every answer except contact fields
    contact_enc TEXT NOT NULL DEFAULT '',    -- JSON of contact answers, encrypted (core.crypto)
    status TEXT NOT NULL CHECK (status IN ('partial','complete')),
    resume_token TEXT UNIQUE,                -- the respondent's device cookie / form token
    idempotency_key TEXT UNIQUE,             -- JSON intake: a repeated key returns the first response
    current_page TEXT,
    nps INTEGER,                             -- metric answers copied out for fast dashboards
    csat REAL,
    ces REAL,
    source TEXT NOT NULL DEFAULT 'web',      -- web, api, demo
    started_at TEXT NOT NULL,
    submitted_at TEXT,                       -- NULL while partial
    ip_hash TEXT NOT NULL DEFAULT '',
    erased_at TEXT                           -- personal data removed on request
);
CREATE INDEX responses_survey_time ON responses(survey_id, submitted_at);
CREATE INDEX responses_unit_time ON responses(unit_id, submitted_at);
CREATE INDEX responses_time ON responses(submitted_at);
CREATE INDEX responses_link ON responses(link_id);
