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
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from . import clock, queue
from .db import checkpoint, connect, transaction

log = logging.getLogger(__name__)
LOCK_RETRY_SECONDS = 5
def _database(app):
    """A connection of the job's own, closed when the tick ends."""
    return contextlib.closing(connect(app.config["DATABASE"]))


def drain_queue(app):
    with _database(app) as db:
        queue.run_until_idle(db, limit=500)


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
        _record(self.app, job_id, started=True)
        error = None
        try:
            with self.app.app_context():   # handlers read settings and paths from the app
                fn(self.app)
        except Exception as exc:  # a failing tick must not stop the scheduler
            log.exception("job %s failed", job_id)
            error = repr(exc)
        _record(self.app, job_id, started=False, error=error)

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
    with _database(app) as db, transaction(db):
        db.execute(
            f"INSERT INTO job_runs (job_id, {column}, last_error, runner) VALUES (?, ?, ?, ?) "
            f"ON CONFLICT(job_id) DO UPDATE SET {column} = excluded.{column}, "
            "last_error = excluded.last_error, runner = excluded.runner",
            (job_id, clock.now_iso(), error, queue.worker_name()))


def runner_state(db):
    """For /healthz: when the queue was last drained and by whom."""
    row = db.execute("SELECT last_finished_at, runner, last_error FROM job_runs "
                     "WHERE job_id = 'queue.drain'").fetchone()
    return dict(row) if row else None


def runner_alive(last_run, config):
    """Did the job runner finish a queue tick recently (a few intervals ago at most)?"""
    if not last_run or not last_run["last_finished_at"]:
        return False
    age = (clock.utcnow() - clock.parse(last_run["last_finished_at"])).total_seconds()
    return age < 3 * config["JOB_INTERVAL_SECONDS"] + 30
