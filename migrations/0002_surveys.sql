-- Surveys: the editable draft and the frozen, numbered versions that responses answer.

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),   -- owner unit: scoping and default routing
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','closed')),
    draft TEXT NOT NULL,                 -- JSON document being designed (may be incomplete)
    draft_valid INTEGER NOT NULL DEFAULT 0,
    draft_changed INTEGER NOT NULL DEFAULT 1,   -- draft differs from the latest version
    published_version INTEGER,           -- number of the latest version, NULL before publishing
    template TEXT NOT NULL DEFAULT '',
    opens_at TEXT,                       -- ISO-8601 UTC; NULL = open as soon as published
    closes_at TEXT,                      -- ISO-8601 UTC; NULL = no end date
    quota_total INTEGER CHECK (quota_total IS NULL OR quota_total > 0),
    quota_per_unit INTEGER CHECK (quota_per_unit IS NULL OR quota_per_unit > 0),
    close_message TEXT NOT NULL DEFAULT '{}',   -- JSON {language: text}, shown when closed or full
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX surveys_unit ON surveys(unit_id);

CREATE TABLE survey_versions (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    version INTEGER NOT NULL,
    document TEXT NOT NULL,              -- JSON, frozen: never updated after insert
    published_at TEXT NOT NULL,
    published_by INTEGER REFERENCES users(id),
    UNIQUE (survey_id, version)
);

CREATE TRIGGER survey_versions_frozen BEFORE UPDATE ON survey_versions
BEGIN
    SELECT RAISE(ABORT, 'survey versions are frozen');
END;
