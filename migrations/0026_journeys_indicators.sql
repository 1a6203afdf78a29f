-- Journeys > stages > touchpoints, the versioned indicator tree, and O-data series.

CREATE TABLE journeys (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE journey_stages (
    id INTEGER PRIMARY KEY,
    journey_id INTEGER NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (journey_id, key)
);

CREATE TABLE touchpoints (
    id INTEGER PRIMARY KEY,
    stage_id INTEGER NOT NULL REFERENCES journey_stages(id) ON DELETE CASCADE,
    key TEXT NOT NULL UNIQUE,          -- what survey questions name in "touchpoint"
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    target REAL,                       -- top-2-box % to reach (0-100)
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE indicator_versions (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL UNIQUE,
    document TEXT NOT NULL,            -- JSON: {"nodes": [{key, parent, name_zh, ...}]}
    created_at TEXT NOT NULL,
    created_by INTEGER
);

CREATE TABLE odata_values (
    unit_id INTEGER NOT NULL,
    day TEXT NOT NULL,                 -- YYYY-MM-DD, the organisation's calendar
    metric TEXT NOT NULL,              -- e.g. waiting_minutes, sales, regulator_complaints
    value REAL NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (metric, unit_id, day)
);
CREATE INDEX odata_unit ON odata_values(unit_id, day);
