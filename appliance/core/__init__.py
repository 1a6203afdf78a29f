"""The thin core every domain builds on: config, db, queue and events, jobs, security,
crypto, i18n, audit, mail. It imports no domain; its own scheduled jobs are declared
here the same way a domain declares its contributions."""
from .registry import Domain, Job

DOMAIN = Domain(
    "core",
    package="appliance.core",
    tables=["audit_log", "event_cursors", "events", "job_runs", "outbox", "settings", "schema_migrations",
            "sessions"],
    jobs=[
        Job("queue.drain", "jobs:drain_queue", {"seconds": 2}),
        Job("db.checkpoint", "jobs:checkpoint_wal", {"seconds": 1}),
        Job("queue.purge_done", "jobs:purge_done_jobs", {"hours": 6}),
    ],
)
