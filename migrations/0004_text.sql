-- Text analytics: analysed verbatims (survey answers and imported external text),
-- imported external texts with their import batch, and analysts' corrections
-- (which are also the training labels of the tag classifier).

CREATE TABLE text_imports (
    id INTEGER PRIMARY KEY,
    filename TEXT NOT NULL,
    encoding TEXT NOT NULL,
    rows INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE external_texts (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES text_imports(id),
    line INTEGER NOT NULL,                   -- line in the imported file, for the operator
    unit_id INTEGER NOT NULL REFERENCES units(id),
    occurred_at TEXT NOT NULL,               -- ISO date or timestamp (UTC)
    source TEXT NOT NULL,                    -- e.g. dianping, call_centre, app_store
    channel TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL
);
CREATE INDEX external_texts_import ON external_texts(import_id);

CREATE TABLE text_items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('response','external')),
    response_id INTEGER,                     -- kind response: responses.id and the question key
    question_key TEXT,
    external_id INTEGER REFERENCES external_texts(id) ON DELETE CASCADE,
    survey_id INTEGER,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    occurred_at TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',         -- 'survey' for verbatims, else the external source
    text TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    sentiment TEXT NOT NULL CHECK (sentiment IN ('positive','neutral','negative')),
    score REAL NOT NULL DEFAULT 0.5,
    sentiment_by TEXT NOT NULL DEFAULT 'model',   -- 'analyst' once corrected
    keywords TEXT NOT NULL DEFAULT '[]',     -- JSON list of words
    tags TEXT NOT NULL DEFAULT '[]',         -- JSON [{tag, by: rule|model|analyst}]
    sensitive TEXT NOT NULL DEFAULT '[]',    -- JSON [{category, word, start, end}]
    has_sensitive INTEGER NOT NULL DEFAULT 0,
    model_version TEXT NOT NULL DEFAULT '',
    analysed_at TEXT NOT NULL,
    UNIQUE (response_id, question_key),
    UNIQUE (external_id)
);
CREATE INDEX text_items_unit_time ON text_items(unit_id, occurred_at);
CREATE INDEX text_items_time ON text_items(occurred_at, unit_id, sentiment);
CREATE INDEX text_items_sentiment ON text_items(sentiment, occurred_at);
CREATE INDEX text_items_source ON text_items(source, channel);
CREATE INDEX text_items_sensitive ON text_items(occurred_at) WHERE has_sensitive = 1;

-- keywords and tags of each item, one row each, with the item's unit, day and sentiment
-- copied in, so hot-word and tag counts over a period read one covering index
CREATE TABLE text_terms (
    item_id INTEGER NOT NULL REFERENCES text_items(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('word','tag')),
    term TEXT NOT NULL,
    unit_id INTEGER NOT NULL,
    day TEXT NOT NULL,                       -- YYYY-MM-DD of the item's occurred_at
    sentiment TEXT NOT NULL,
    PRIMARY KEY (item_id, kind, term)
) WITHOUT ROWID;
CREATE INDEX text_terms_period ON text_terms(kind, day, unit_id, term, sentiment);
CREATE INDEX text_terms_term ON text_terms(kind, term);

CREATE TABLE text_labels (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES text_items(id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('sentiment','tag')),
    value TEXT NOT NULL,                     -- a sentiment, or a tag id
    present INTEGER NOT NULL DEFAULT 1,      -- tag: 1 the text has it, 0 it does not
    user_id INTEGER,
    username TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX text_labels_item ON text_labels(item_id);
