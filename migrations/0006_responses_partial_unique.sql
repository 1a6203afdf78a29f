-- Intake writes fewer index pages at each commit: the resume token and the idempotency
-- key are unique only where present. Most API responses carry neither and web responses
-- no idempotency key; as column UNIQUE constraints every row still took an entry (and a
-- page written to the WAL) in both indexes. SQLite cannot drop a column constraint, so
-- the table is rebuilt (no other table refers to it).

CREATE TABLE responses_new (
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
    resume_token TEXT,                       -- the respondent's device cookie / form token
    idempotency_key TEXT,                    -- JSON intake: a repeated key returns the first response
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

INSERT INTO responses_new SELECT * FROM responses;
DROP TABLE responses;
ALTER TABLE responses_new RENAME TO responses;

CREATE INDEX responses_survey_time ON responses(survey_id, submitted_at);
CREATE INDEX responses_unit_time ON responses(unit_id, submitted_at);
CREATE INDEX responses_time ON responses(submitted_at);
CREATE INDEX responses_link ON responses(link_id);
CREATE UNIQUE INDEX responses_resume_token ON responses(resume_token)
    WHERE resume_token IS NOT NULL;
CREATE UNIQUE INDEX responses_idempotency_key ON responses(idempotency_key)
    WHERE idempotency_key IS NOT NULL;
