-- Response exports, built by the job runner (queue topic collection.export), downloaded when ready.
CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    format TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
    personal INTEGER NOT NULL DEFAULT 0,
    filters TEXT NOT NULL,            -- JSON: the checked filters of the responses page
    scope_paths TEXT NOT NULL,        -- JSON: the unit subtrees the user could export when asking
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'ready', 'failed')),
    row_count INTEGER,
    file_name TEXT,                   -- under DATA_DIR/exports/, set when ready
    error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX exports_user ON exports(user_id, id);
