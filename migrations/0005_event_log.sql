-- The event log: events.publish() appends one row whatever the number of subscribers;
-- each subscriber reads on from its own cursor (queue.deliver_events). A payload whose
-- handler fails is handed to the outbox, which retries it with backoff.

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,              -- e.g. response.accepted
    payload TEXT NOT NULL,           -- JSON
    created_at TEXT NOT NULL
);

CREATE TABLE event_cursors (
    subscriber TEXT PRIMARY KEY,     -- "event>name", the outbox topic of its retries
    last_event_id INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
