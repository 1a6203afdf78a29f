"""Keep one idle connection open per worker process.

SQLite checkpoints and deletes the WAL whenever the *last* connection to a database
closes. With a connection per request that happens on most requests and costs
milliseconds (the intake bench went from ~270 to over 1,000 submissions/s with this).
An idle connection holds no read snapshot, so it never blocks checkpoints; the WAL
stays bounded by the automatic checkpoint. This belongs in core.db (see docs/collection.md).
"""
import os
import sqlite3
import threading

_lock = threading.Lock()
_keepers = {}   # (pid, database path) -> connection


def keep_open(database_path):
    key = (os.getpid(), database_path)
    if key in _keepers:
        return
    with _lock:
        if key not in _keepers:
            conn = sqlite3.connect(database_path, check_same_thread=False)
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            _keepers[key] = conn


def init_app(app):
    if app.config.get("TESTING"):
        return   # tests open and drop many apps; the idle connection is a production speed-up

    @app.before_request
    def _keep_wal_open():
        keep_open(app.config["DATABASE"])
