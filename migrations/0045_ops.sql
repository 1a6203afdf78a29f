-- Operations: scheduled backups (the schedule is a due row claimed by compare-and-set),
-- the result of every backup, and the job runner's heartbeat and tick count.
CREATE TABLE ops_schedule (
    name TEXT PRIMARY KEY,
    next_at TEXT NOT NULL,
    claimed_by TEXT,
    claimed_at TEXT
);

CREATE TABLE backup_runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual', 'upgrade')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
    archive TEXT NOT NULL DEFAULT '',
    size_bytes INTEGER,
    error TEXT
);
CREATE INDEX backup_runs_finished ON backup_runs(status, finished_at);

ALTER TABLE job_runs ADD COLUMN heartbeat_at TEXT;
ALTER TABLE job_runs ADD COLUMN ticks INTEGER NOT NULL DEFAULT 0;
