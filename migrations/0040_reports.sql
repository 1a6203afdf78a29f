-- Reports: subscriptions (what, for which node, to whom, when), the archive of rendered
-- reports (one per subscription, period and recipient scope, or one per "Generate now"),
-- and each email delivery of an archived report.

CREATE TABLE report_subscriptions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    report_type TEXT NOT NULL CHECK (report_type IN ('executive','unit','survey')),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    survey_id INTEGER,
    schedule TEXT NOT NULL,              -- "weekly mon 08:00", "monthly 1 08:00", "quarterly 1 08:00"
    period TEXT NOT NULL CHECK (period IN ('last_week','last_month','month_to_date','last_quarter')),
    language TEXT NOT NULL CHECK (language IN ('zh_CN','en')),
    active INTEGER NOT NULL DEFAULT 1,
    next_run_at TEXT NOT NULL,           -- UTC; the due row is claimed by compare-and-set
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX report_subscriptions_due ON report_subscriptions(active, next_run_at);
CREATE INDEX report_subscriptions_unit ON report_subscriptions(unit_id);

CREATE TABLE report_recipients (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES report_subscriptions(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,    -- gets the report scoped to what they see
    email_enc TEXT NOT NULL DEFAULT '',                        -- an external address (encrypted)
    CHECK ((user_id IS NULL) <> (email_enc = ''))
);
CREATE INDEX report_recipients_subscription ON report_recipients(subscription_id);

CREATE TABLE report_runs (
    id INTEGER PRIMARY KEY,
    run_key TEXT NOT NULL UNIQUE,        -- sub:<id>:<from>:<to>:<unit id> or now:<random>
    subscription_id INTEGER REFERENCES report_subscriptions(id) ON DELETE SET NULL,
    report_type TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    survey_id INTEGER,
    date_from TEXT NOT NULL,
    date_to TEXT NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued','rendering','ready','failed','expired')),
    progress INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    claimed_at TEXT,
    requested_by INTEGER REFERENCES users(id),
    file_name TEXT,
    size INTEGER,
    error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX report_runs_status ON report_runs(status, id);
CREATE INDEX report_runs_unit ON report_runs(unit_id, created_at);

CREATE TABLE report_deliveries (
    id INTEGER PRIMARY KEY,
    delivery_key TEXT NOT NULL UNIQUE,   -- <run key>:<recipient id>
    run_id INTEGER NOT NULL REFERENCES report_runs(id) ON DELETE CASCADE,
    recipient_id INTEGER REFERENCES report_recipients(id) ON DELETE SET NULL,
    address_enc TEXT NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','sending','sent','failed')),
    mode TEXT NOT NULL DEFAULT 'attachment' CHECK (mode IN ('attachment','link')),
    error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX report_deliveries_run ON report_deliveries(run_id);
