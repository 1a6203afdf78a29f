"""The job runner: one APScheduler instance across all gunicorn workers.

Every worker process starts a small thread that tries to take an exclusive
lock file in the data directory; the process holding it runs the scheduler.
The kernel releases the lock when that process dies, and another worker
takes over within LOCK_RETRY_SECONDS. Jobs are declared with stable ids in
the domains' DOMAIN (core.registry.Job); each is a thin tick over due rows in the database.
"""
import contextlib
import fcntl
import logging
import os
import threading
import time
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from . import clock, counters, logs, queue
from .db import checkpoint, thread_connection, transaction

log = logging.getLogger(__name__)
LOCK_RETRY_SECONDS = 5
FREQUENT_JOBS = {"queue.drain", "db.checkpoint"}


def _database(app):
    """The job thread's connection, kept open between ticks: opening one costs about
    1.4 ms of CPU, and the frequent ticks (each recorded before and after) took an idle
    runner's CPU mostly there."""
    return contextlib.nullcontext(thread_connection(app.config["DATABASE"]))


HEARTBEAT_SECONDS = 5


def drain_queue(app):
    """Work through the queue, writing the runner's heartbeat between batches, so a long
    backlog shows a runner that works rather than one that never finishes a tick."""
    beat = Heartbeat(app, "queue.drain")
    with _database(app) as db:
        done = queue.run_until_idle(db, limit=500, progress=beat)
    if done:
        log.info("job queue.drain ran %s queued jobs in %.0f ms", done, beat.elapsed_ms())


class Heartbeat:
    """Called after each batch of work: records heartbeat_at at most every HEARTBEAT_SECONDS."""

    def __init__(self, app, job_id):
        self.app, self.job_id = app, job_id
        self.started = self.last = time.monotonic()

    def __call__(self):
        if time.monotonic() - self.last >= HEARTBEAT_SECONDS:
            self.last = time.monotonic()
            with _database(self.app) as db, transaction(db):
                db.execute("UPDATE job_runs SET heartbeat_at = ? WHERE job_id = ?",
                           (clock.now_iso(), self.job_id))

    def elapsed_ms(self):
        return (time.monotonic() - self.started) * 1000


def checkpoint_wal(app):
    with _database(app) as db:
        checkpoint(db)


def purge_done_jobs(app):
    with _database(app) as db:
        queue.purge_done(db)


class JobRunner:
    def __init__(self, app, jobs):
        self.app = app
        self.jobs = jobs   # [(job_id, fn(app), trigger kwargs)] from the registry
        self.lock_path = Path(app.config["DATA_DIR"]) / "jobrunner.lock"
        self.scheduler = None
        self._lock_file = None
        self._stop = threading.Event()
        self._runs = 0

    def start(self):
        threading.Thread(target=self._contend, name="job-runner-lock", daemon=True).start()

    def _contend(self):
        while not self._stop.is_set():
            if self._try_lock():
                self._start_scheduler()
                return
            self._stop.wait(LOCK_RETRY_SECONDS)

    def _try_lock(self):
        handle = open(self.lock_path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._lock_file = handle
        return True

    def _start_scheduler(self):
        scheduler = BackgroundScheduler(timezone="UTC")
        interval = self.app.config["JOB_INTERVAL_SECONDS"]
        for job_id, fn, trigger in self.jobs:
            trigger = dict(trigger)
            if job_id == "queue.drain":
                trigger = {"seconds": interval}
            scheduler.add_job(self._run, "interval", args=(job_id, fn), id=job_id,
                              max_instances=1, coalesce=True, **trigger)
        scheduler.start()
        self.scheduler = scheduler
        log.info("job runner started in pid %s", os.getpid())

    def _run(self, job_id, fn):
        self._runs += 1
        token = logs.request_id.set(f"job-{job_id}-{os.getpid()}-{self._runs}")
        started = time.monotonic()
        _record(self.app, job_id, started=True)
        error = None
        try:
            with self.app.app_context():   # handlers read settings and paths from the app
                fn(self.app)
        except Exception as exc:  # a failing tick must not stop the scheduler
            log.exception("job %s failed", job_id)
            error = repr(exc)
        _record(self.app, job_id, started=False, error=error)
        # The frequent ticks log only when they did something (drain_queue says so itself).
        log.log(logging.DEBUG if job_id in FREQUENT_JOBS else logging.INFO,
                "job %s %s in %.0f ms", job_id, "failed" if error else "finished",
                (time.monotonic() - started) * 1000)
        logs.request_id.reset(token)
        counters.maybe_flush()

    def stop(self):
        self._stop.set()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None


def _record(app, job_id, started, error=None):
    column = "last_started_at" if started else "last_finished_at"
    ticks = 0 if started else 1
    now = clock.now_iso()
    with _database(app) as db, transaction(db):
        db.execute(
            f"INSERT INTO job_runs (job_id, {column}, last_error, runner, heartbeat_at, ticks) "
            "VALUES (?, ?, ?, ?, ?, ?) "
            f"ON CONFLICT(job_id) DO UPDATE SET {column} = excluded.{column}, "
            "last_error = excluded.last_error, runner = excluded.runner, "
            "heartbeat_at = excluded.heartbeat_at, ticks = ticks + excluded.ticks",
            (job_id, now, error, queue.worker_name(), now, ticks))


def runner_state(db):
    """For /healthz: when the queue was last drained (or the drain last reported progress)
    and by whom."""
    row = db.execute("SELECT last_started_at, last_finished_at, heartbeat_at, runner, last_error "
                     "FROM job_runs WHERE job_id = 'queue.drain'").fetchone()
    return dict(row) if row else None


def job_ticks(db):
    """{job id: ticks finished} for /metrics."""
    return {row[0]: row[1] for row in db.execute("SELECT job_id, ticks FROM job_runs")}


def runner_alive(last_run, config):
    """Did the job runner finish a queue tick, or report progress inside one, recently?"""
    if not last_run:
        return False
    seen = [t for t in (last_run.get("last_finished_at"), last_run.get("heartbeat_at")) if t]
    if not seen:
        return False
    age = (clock.utcnow() - clock.parse(max(seen))).total_seconds()
    return age < 3 * config["JOB_INTERVAL_SECONDS"] + 30
