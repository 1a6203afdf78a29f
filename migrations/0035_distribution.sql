-- Distribution: contacts, lists and segments, channels, message templates, waves,
-- invitations (the schedule is data: due rows claimed with a compare-and-set), delivery log.

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    name_enc TEXT NOT NULL DEFAULT '',      -- personal data, encrypted (core.crypto)
    email_enc TEXT NOT NULL DEFAULT '',
    phone_enc TEXT NOT NULL DEFAULT '',
    email_index TEXT,                       -- keyed hash (blind index) of the normalised email
    phone_index TEXT,                       -- keyed hash of the normalised phone
    language TEXT NOT NULL DEFAULT 'zh_CN',
    timezone TEXT NOT NULL DEFAULT '',      -- '' = the organisation's
    attributes TEXT NOT NULL DEFAULT '{}',  -- JSON {name: text}: member level, city, ...
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX contacts_email ON contacts(email_index) WHERE email_index IS NOT NULL;
CREATE UNIQUE INDEX contacts_phone ON contacts(phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX contacts_unit ON contacts(unit_id);

CREATE TABLE contact_optouts (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (contact_id, channel)
);

CREATE TABLE contact_lists (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('static','segment')),
    filter TEXT NOT NULL DEFAULT '{}',      -- JSON: a segment's saved filter
    created_at TEXT NOT NULL
);

CREATE TABLE list_members (
    list_id INTEGER NOT NULL REFERENCES contact_lists(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (list_id, contact_id)
);
CREATE INDEX list_members_contact ON list_members(contact_id);

CREATE TABLE channels (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,                     -- a registered channel class: email, sms, ...
    name TEXT NOT NULL,
    config TEXT NOT NULL DEFAULT '{}',      -- JSON, the channel class's schema
    secret_enc TEXT NOT NULL DEFAULT '',    -- the channel's secret (e.g. a gateway token), encrypted
    rate_per_second REAL NOT NULL DEFAULT 50,
    created_at TEXT NOT NULL
);

CREATE TABLE message_templates (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    channel_kind TEXT NOT NULL,
    content TEXT NOT NULL,                  -- JSON {language: {subject, text, html}}
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE waves (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    list_id INTEGER REFERENCES contact_lists(id),      -- NULL for a triggered wave
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    template_id INTEGER NOT NULL REFERENCES message_templates(id),
    schedule TEXT NOT NULL CHECK (schedule IN ('now','at','cron','trigger')),
    send_at TEXT,                           -- 'at': when (UTC)
    cron TEXT NOT NULL DEFAULT '',          -- 'cron': five fields in the organisation's time zone
    next_run_at TEXT,                       -- due time of the next run; claimed by compare-and-set
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','paused','done')),
    reminder_days INTEGER NOT NULL DEFAULT 0,
    reminder_max INTEGER NOT NULL DEFAULT 0,
    delay_minutes INTEGER NOT NULL DEFAULT 0,           -- trigger: after the transaction
    window_start TEXT NOT NULL DEFAULT '',              -- trigger: allowed hours HH:MM-HH:MM
    window_end TEXT NOT NULL DEFAULT '',
    sampling_percent REAL NOT NULL DEFAULT 100,
    per_contact_days INTEGER NOT NULL DEFAULT 0,        -- trigger: at most once per contact per N days
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX waves_due ON waves(status, next_run_at);

CREATE TABLE wave_runs (
    id INTEGER PRIMARY KEY,
    wave_id INTEGER NOT NULL REFERENCES waves(id),
    run_key TEXT NOT NULL,                  -- the scheduled time of the run
    status TEXT NOT NULL DEFAULT 'building' CHECK (status IN ('building','ready')),
    cursor INTEGER NOT NULL DEFAULT 0,      -- contacts up to this id have their invitation
    claimed_by TEXT,
    claimed_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (wave_id, run_key)
);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    wave_id INTEGER NOT NULL REFERENCES waves(id),
    run_id INTEGER REFERENCES wave_runs(id),
    contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    channel TEXT NOT NULL,
    link_id INTEGER,                        -- the collection domain's personal link
    token TEXT NOT NULL,                    -- the link's token (survey and unsubscribe URLs)
    order_id TEXT NOT NULL DEFAULT '',
    transaction_id TEXT,
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN
        ('scheduled','sending','sent','failed','opted_out','skipped','erased')),
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    claimed_at TEXT,
    committing_at TEXT,                     -- set just before the message leaves (see sending.py)
    sent_at TEXT,
    reminders_sent INTEGER NOT NULL DEFAULT 0,
    next_reminder_at TEXT,
    last_error TEXT NOT NULL DEFAULT '',
    opened_at TEXT,
    responded_at TEXT,
    nps INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (run_id, contact_id)
);
CREATE UNIQUE INDEX invitations_transaction ON invitations(wave_id, transaction_id)
    WHERE transaction_id IS NOT NULL;
CREATE INDEX invitations_due ON invitations(status, due_at);
CREATE INDEX invitations_reminder ON invitations(next_reminder_at) WHERE next_reminder_at IS NOT NULL;
CREATE INDEX invitations_wave ON invitations(wave_id, status);
CREATE INDEX invitations_contact ON invitations(contact_id, sent_at);
CREATE INDEX invitations_link ON invitations(link_id);

CREATE TABLE delivery_log (
    id INTEGER PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    event TEXT NOT NULL,                    -- scheduled, sent, reminded, failed, retry, deferred,
                                            -- opted_out, skipped, opened, responded
    detail TEXT NOT NULL DEFAULT ''         -- the relay's or gateway's answer, the reason
);
CREATE INDEX delivery_log_invitation ON delivery_log(invitation_id);

CREATE TABLE triggers (
    id INTEGER PRIMARY KEY,
    wave_id INTEGER NOT NULL REFERENCES waves(id),
    transaction_id TEXT NOT NULL,
    contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    transaction_at TEXT NOT NULL,
    decision TEXT NOT NULL,                 -- scheduled, sampled_out, recently_asked, opted_out
    invitation_id INTEGER REFERENCES invitations(id) ON DELETE SET NULL,
    received_at TEXT NOT NULL,
    UNIQUE (wave_id, transaction_id)
);
