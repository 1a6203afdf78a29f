-- The closed loop: alert rules and the alerts they raise, in-app notifications, tickets
-- with their timeline and callbacks, SLA policies per priority, working calendars and
-- the root-cause taxonomy.

CREATE TABLE alert_rules (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),   -- the rule watches this subtree
    survey_id INTEGER,                               -- NULL: every survey
    touchpoint TEXT NOT NULL DEFAULT '',             -- '': every question
    match TEXT NOT NULL DEFAULT 'all' CHECK (match IN ('all','any')),
    conditions TEXT NOT NULL,                        -- JSON [{kind, ...}] (loop.conditions)
    notify_email INTEGER NOT NULL DEFAULT 1,
    notify_app INTEGER NOT NULL DEFAULT 1,
    open_ticket INTEGER NOT NULL DEFAULT 0,
    priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low','normal','high','urgent')),
    recipient_roles TEXT NOT NULL DEFAULT '[]',      -- JSON ["unit_manager@0", "unit_manager@1"]
    recipient_users TEXT NOT NULL DEFAULT '[]',      -- JSON [user id]
    digest_minutes INTEGER NOT NULL DEFAULT 0,       -- 0: one email per alert
    paused INTEGER NOT NULL DEFAULT 0,
    next_check_at TEXT,                              -- metric rules: the job's schedule
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    rule_id INTEGER NOT NULL REFERENCES alert_rules(id),
    response_id INTEGER,                             -- NULL: a unit's metric (drop, volume)
    unit_id INTEGER NOT NULL REFERENCES units(id),
    period TEXT,                                     -- metric alerts: the local day checked
    matched TEXT NOT NULL DEFAULT '[]',              -- JSON: the conditions that matched
    ticket_id INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (rule_id, response_id)                    -- one response raises a rule at most once
);
CREATE UNIQUE INDEX alerts_unit_period ON alerts(rule_id, unit_id, period)
    WHERE response_id IS NULL;                       -- a unit's metric: once a day and rule
CREATE INDEX alerts_unit_time ON alerts(unit_id, created_at);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                              -- alert, escalation, assigned, recovery
    alert_id INTEGER,
    ticket_id INTEGER,
    unit_id INTEGER,
    params TEXT NOT NULL DEFAULT '{}',               -- JSON, rendered in the reader's language
    created_at TEXT NOT NULL,
    read_at TEXT,
    in_app INTEGER NOT NULL DEFAULT 1,               -- 0: only carries a digest email
    digest INTEGER NOT NULL DEFAULT 0,               -- 1: emailed in the recipient's digest
    emailed_at TEXT,                                 -- NULL until an email carried it
    UNIQUE (user_id, kind, alert_id, ticket_id)
);
CREATE INDEX notifications_unread ON notifications(user_id, read_at);

CREATE TABLE sla_policies (
    priority TEXT PRIMARY KEY CHECK (priority IN ('low','normal','high','urgent')),
    ack_minutes INTEGER NOT NULL,                    -- business minutes to acknowledge
    resolve_minutes INTEGER NOT NULL,                -- business minutes to resolve
    escalate_minutes INTEGER NOT NULL,               -- business minutes between escalations
    max_levels INTEGER NOT NULL DEFAULT 2,           -- how far up the org tree at most
    reassign INTEGER NOT NULL DEFAULT 0              -- 1: an escalation reassigns the ticket
);
INSERT INTO sla_policies VALUES ('urgent', 30, 240, 60, 3, 0), ('high', 60, 480, 120, 2, 0),
    ('normal', 240, 1440, 480, 2, 0), ('low', 480, 2880, 960, 1, 0);

CREATE TABLE calendars (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL UNIQUE REFERENCES units(id),   -- applies to its subtree
    hours TEXT NOT NULL,                             -- JSON {"0": ["09:00","18:00"], ...} Monday=0
    updated_at TEXT NOT NULL
);

CREATE TABLE calendar_days (
    calendar_id INTEGER NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
    day TEXT NOT NULL,                               -- YYYY-MM-DD
    kind TEXT NOT NULL CHECK (kind IN ('holiday','workday')),   -- workday: a make-up day (调休)
    name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (calendar_id, day)
);

CREATE TABLE root_causes (
    key TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0
);
INSERT INTO root_causes VALUES
    ('staff_attitude', '员工态度', 'Staff attitude', 1, 1),
    ('waiting_time', '等待时间', 'Waiting time', 1, 2),
    ('product_quality', '菜品/产品质量', 'Product quality', 1, 3),
    ('hygiene', '卫生环境', 'Hygiene and environment', 1, 4),
    ('billing', '结账/价格', 'Billing and price', 1, 5),
    ('process', '流程/制度', 'Process or policy', 1, 6),
    ('other', '其他', 'Other', 1, 99);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),   -- the responsible unit
    response_id INTEGER,
    rule_id INTEGER REFERENCES alert_rules(id),
    alert_id INTEGER UNIQUE REFERENCES alerts(id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',                -- what the customer wrote, for search
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open','acknowledged','in_progress','resolved','closed')),
    priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
    assignee_id INTEGER REFERENCES users(id),
    root_cause TEXT NOT NULL DEFAULT '',
    escalation_level INTEGER NOT NULL DEFAULT 0,
    escalated_unit_id INTEGER REFERENCES units(id),  -- the ancestor it is escalated to
    ack_due_at TEXT,
    resolve_due_at TEXT,
    due_at TEXT,                                     -- the deadline that runs now; NULL when resolved
    next_check_at TEXT,                              -- the escalation job's schedule (data)
    opened_at TEXT NOT NULL,
    acknowledged_at TEXT,
    resolved_at TEXT,
    closed_at TEXT,
    ack_breached INTEGER NOT NULL DEFAULT 0,
    resolve_breached INTEGER NOT NULL DEFAULT 0,
    reopen_count INTEGER NOT NULL DEFAULT 0,
    followup_token TEXT,
    followup_link_id INTEGER,
    followup_sent_at TEXT,
    followup_response_id INTEGER,
    recovered INTEGER,                               -- NULL: unknown, 1 recovered, 0 not
    updated_at TEXT NOT NULL
);
CREATE INDEX tickets_unit_due ON tickets(unit_id, due_at);
CREATE INDEX tickets_due ON tickets(due_at);
CREATE INDEX tickets_check ON tickets(next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX tickets_escalated ON tickets(escalated_unit_id) WHERE escalated_unit_id IS NOT NULL;
CREATE INDEX tickets_assignee ON tickets(assignee_id, due_at);
CREATE INDEX tickets_followup ON tickets(followup_link_id) WHERE followup_link_id IS NOT NULL;
CREATE INDEX tickets_opened ON tickets(opened_at);

CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    kind TEXT NOT NULL,                              -- opened, status, assigned, note, root_cause,
                                                     -- callback, escalated, due, followup, recovery
    detail TEXT NOT NULL DEFAULT '{}'                -- JSON
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);
