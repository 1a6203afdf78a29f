"""A durable work queue in the database: the outbox, and the event log.

Domains call enqueue() inside the same transaction as the data the work is
about, so the work exists exactly when the data does. Events (core.events) are
appended once to the event log, however many subscribers they have: one insert
on the hot path of intake, and deliver_events() hands each subscriber the events
after its cursor in batches. A payload its handler fails on goes to the outbox
as that subscriber's job, so it is retried like any other. The job runner claims
rows one at a time with a compare-and-set update (one claimer wins), runs the
topic's handler, and on failure schedules a retry with backoff until
max_attempts, after which the row is kept as 'failed' with its error.
Handlers must be idempotent: a worker that dies mid-job leaves the row
'running', and it is reclaimed after CLAIM_TIMEOUT_SECONDS.
"""
import json
import logging
import os
import socket
import traceback

from . import clock
from .db import query_all, transaction

log = logging.getLogger(__name__)
HANDLERS = {}         # topic -> fn(db, payload)
BATCH_HANDLERS = {}   # topic -> fn(db, [payload, ...])
STREAMS = {}          # event name -> [topic of each subscriber, ...]
CLAIM_TIMEOUT_SECONDS = 600
BACKOFF_BASE_SECONDS = 5
BACKOFF_MAX_SECONDS = 3600


def register_handler(topic, fn, batch=False):
    """fn(db, payload), or with batch=True fn(db, [payload, ...]) for many jobs at once.
    Called by the domain registry (core.registry.Registry.activate), never at import."""
    (BATCH_HANDLERS if batch else HANDLERS)[topic] = fn


def register_subscriber(event, topic, fn, batch=False):
    """A subscriber reads the event log from its own cursor; its failures are retried as `topic`."""
    register_handler(topic, fn, batch)
    if topic not in STREAMS.setdefault(event, []):
        STREAMS[event].append(topic)


def enqueue(db, topic, payload, dedupe_key=None, delay_seconds=0, max_attempts=8):
    """Add work; with a dedupe_key, enqueueing the same work twice is a no-op."""
    cursor = db.execute(
        "INSERT INTO outbox (topic, payload, dedupe_key, run_after, max_attempts, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING",
        (topic, json.dumps(payload, ensure_ascii=False), dedupe_key,
         clock.in_seconds(delay_seconds), max_attempts, clock.now_iso()))
    return cursor.lastrowid if cursor.rowcount else None


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(db, worker, limit=1):
    """Claim up to `limit` of the oldest due jobs for this worker (a list, maybe empty)."""
    now = clock.now_iso()
    stale = clock.in_seconds(-CLAIM_TIMEOUT_SECONDS)
    with transaction(db):
        return query_all(db, """
            UPDATE outbox SET status = 'running', claimed_by = ?, claimed_at = ?,
                   attempts = attempts + 1
            WHERE id IN (SELECT id FROM outbox
                         WHERE (status = 'pending' AND run_after <= ?)
                            OR (status = 'running' AND claimed_at < ?)
                         ORDER BY run_after, id LIMIT ?)
            RETURNING *""", (worker, now, now, stale, limit))


def run_one(db, worker=None):
    """Claim and run one job. Returns the finished row's status, or None if nothing was due."""
    jobs = claim(db, worker or worker_name())
    return _run_single(db, jobs[0]) if jobs else None


def run_batch(db, worker=None, limit=200):
    """Claim up to `limit` due jobs and run them, a topic's jobs together when it has a
    batch handler (one analysis, one transaction for many responses). Returns jobs run."""
    jobs = claim(db, worker or worker_name(), limit)
    by_topic = {}
    for job in sorted(jobs, key=lambda j: j["id"]):
        by_topic.setdefault(job["topic"], []).append(job)
    for topic, group in by_topic.items():
        if not (len(group) > 1 and topic in BATCH_HANDLERS and _run_together(db, topic, group)):
            for job in group:
                _run_single(db, job)
    return len(jobs)


def run_until_idle(db, worker=None, limit=10_000, progress=None):
    """Deliver events and run due jobs until nothing is left; returns how many were handled.
    progress(), if given, is called after each round (the job runner's heartbeat)."""
    count = 0
    while count < limit:
        ran = deliver_events(db, min(200, limit - count))
        ran += run_batch(db, worker, min(200, limit - count))
        if not ran:
            break
        count += ran
        if progress:
            progress()
    return count


# --- the event log ------------------------------------------------------------------

def append_event(db, name, payload):
    db.execute("INSERT INTO events (name, payload, created_at) VALUES (?, ?, ?)",
               (name, json.dumps(payload, ensure_ascii=False), clock.now_iso()))


def _subscribers():
    """(event name, subscriber topic) pairs."""
    return [(name, topic) for name, topics in STREAMS.items() for topic in topics]


def deliver_events(db, limit=200):
    """Hand every subscriber up to `limit` events after its cursor; returns events handled."""
    return sum(_deliver(db, name, topic, limit) for name, topic in _subscribers())


def _deliver(db, name, topic, limit):
    cursor = _cursor(db, topic)
    rows = db.execute("SELECT id, name, payload FROM events WHERE id > ? ORDER BY id LIMIT ?",
                      (cursor, limit)).fetchall()
    if not rows:
        return 0
    payloads = [json.loads(row[2]) for row in rows if row[1] == name]
    failed = _handle(db, topic, payloads) if payloads else []
    with transaction(db):
        for payload in failed:
            enqueue(db, topic, payload, delay_seconds=BACKOFF_BASE_SECONDS)
        db.execute("INSERT INTO event_cursors (subscriber, last_event_id, updated_at) "
                   "VALUES (?, ?, ?) ON CONFLICT(subscriber) DO UPDATE SET "
                   "last_event_id = MAX(last_event_id, excluded.last_event_id), "
                   "updated_at = excluded.updated_at", (topic, rows[-1][0], clock.now_iso()))
    return len(payloads)


def topics_of(event_name):
    """The subscriber topics of an event (in the order they were registered)."""
    return list(STREAMS.get(event_name, []))


def deliver_pending(db, topics, limit=1000):
    """Hand the named subscribers every event logged so far, now, in the caller's process
    (`cem demo` folds its responses into the summaries before it returns). Other
    subscribers keep their cursors for the job runner. Returns events handled."""
    last = db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]
    handled = 0
    for name, topic in _subscribers():
        if topic in topics:
            while _cursor(db, topic) < last:
                handled += _deliver(db, name, topic, limit)
    return handled


def _cursor(db, topic):
    row = db.execute("SELECT last_event_id FROM event_cursors WHERE subscriber = ?",
                     (topic,)).fetchone()
    return row[0] if row else 0


def _handle(db, topic, payloads):
    """Run the subscriber on the payloads, together when it can; returns those that failed."""
    if topic in BATCH_HANDLERS and len(payloads) > 1:
        try:
            BATCH_HANDLERS[topic](db, payloads)
            return []
        except Exception:
            log.exception("batch of %s %s events failed; handling them one by one",
                          len(payloads), topic)
    failed = []
    for payload in payloads:
        try:
            _call(db, topic, payload)
        except Exception:
            log.exception("%s failed on %s; queued for retry", topic, payload)
            failed.append(payload)
    return failed


def _run_together(db, topic, group):
    """True when the batch handler did the whole group; else each job runs on its own,
    so one bad payload cannot hold back the rest."""
    try:
        BATCH_HANDLERS[topic](db, [json.loads(job["payload"]) for job in group])
    except Exception:
        log.exception("batch of %s %s jobs failed; running them one by one", len(group), topic)
        return False
    with transaction(db):
        for job in group:
            _finish(db, job["id"])
    return True


def _call(db, topic, payload):
    """Run the topic's handler on one payload (handlers take their own short transactions)."""
    if topic in HANDLERS:
        HANDLERS[topic](db, payload)
    elif topic in BATCH_HANDLERS:
        BATCH_HANDLERS[topic](db, [payload])
    else:
        raise LookupError(f"no handler registered for topic {topic!r}")


def _run_single(db, job):
    try:
        _call(db, job["topic"], json.loads(job["payload"]))
        with transaction(db):
            _finish(db, job["id"])
        return "done"
    except Exception as exc:
        if getattr(exc, "operator_condition", False):   # e.g. no SMTP relay yet: not a bug
            log.warning("job %s (%s) failed: %s; retried later", job["id"], job["topic"], exc)
        else:
            log.exception("job %s (%s) failed", job["id"], job["topic"])
        return _fail(db, job, traceback.format_exc(limit=5))


def _finish(db, job_id):
    db.execute("UPDATE outbox SET status = 'done', done_at = ?, last_error = NULL WHERE id = ?",
               (clock.now_iso(), job_id))


def _fail(db, job, error):
    final = job["attempts"] >= job["max_attempts"]
    delay = min(BACKOFF_BASE_SECONDS * 2 ** (job["attempts"] - 1), BACKOFF_MAX_SECONDS)
    with transaction(db):
        db.execute("UPDATE outbox SET status = ?, run_after = ?, last_error = ? WHERE id = ?",
                   ("failed" if final else "pending", clock.in_seconds(delay), error[-4000:],
                    job["id"]))
    return "failed" if final else "retry"


def purge_done(db, keep_days=7, batch=5000):
    """Delete finished jobs, and events every subscriber has read, older than keep_days
    (failed jobs stay for an operator). Small batches keep each write transaction short.
    Returns rows deleted."""
    cutoff = clock.in_seconds(-keep_days * 86400)
    read_by_all = min((_cursor(db, topic) for _name, topic in _subscribers()), default=0)
    deleted = 0
    for sql, params in (
            ("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
             "WHERE status = 'done' AND done_at < ? LIMIT ?)", (cutoff, batch)),
            ("DELETE FROM events WHERE id IN (SELECT id FROM events "
             "WHERE id <= ? AND created_at < ? ORDER BY id LIMIT ?)", (read_by_all, cutoff, batch))):
        while True:
            with transaction(db):
                count = db.execute(sql, params).rowcount
            deleted += count
            if count < batch:
                break
    return deleted


def retry_failed(db, job_id):
    """An operator sends a failed job round again."""
    with transaction(db):
        db.execute("UPDATE outbox SET status = 'pending', attempts = 0, run_after = ? "
                   "WHERE id = ? AND status = 'failed'", (clock.now_iso(), job_id))


def stats(db):
    """Jobs by status; pending includes events a subscriber has not read yet."""
    rows = db.execute("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").fetchall()
    counts = {"pending": 0, "running": 0, "done": 0, "failed": 0}
    counts.update({row["status"]: row["n"] for row in rows})
    for name, topic in _subscribers():
        counts["pending"] += db.execute("SELECT COUNT(*) FROM events WHERE id > ? AND name = ?",
                                        (_cursor(db, topic), name)).fetchone()[0]
    return counts


def oldest_pending_at(db):
    """When the oldest work still waiting was created (a due job, or an event some subscriber
    has not read), or None: its age tells a backlog from a stuck runner."""
    now = clock.now_iso()
    candidates = [db.execute("SELECT MIN(created_at) FROM outbox WHERE status = 'pending' "
                             "AND run_after <= ?", (now,)).fetchone()[0]]
    for name, topic in _subscribers():
        row = db.execute("SELECT created_at FROM events WHERE id > ? AND name = ? ORDER BY id LIMIT 1",
                         (_cursor(db, topic), name)).fetchone()
        candidates.append(row[0] if row else None)
    found = [c for c in candidates if c]
    return min(found) if found else None


def oldest_pending_age_seconds(db):
    oldest = oldest_pending_at(db)
    return round((clock.utcnow() - clock.parse(oldest)).total_seconds(), 1) if oldest else 0.0
def jobs_of(db, topic, statuses=("pending", "running", "failed"), limit=100):
    """A domain's not-yet-done jobs, for an operator page (e.g. emails waiting for the relay)."""
    marks = ", ".join("?" * len(statuses))
    return query_all(db, f"SELECT id, topic, payload, status, attempts, max_attempts, run_after, "
                         f"last_error, created_at FROM outbox WHERE topic = ? AND status IN "
                         f"({marks}) ORDER BY id DESC LIMIT ?", (topic, *statuses, limit))
