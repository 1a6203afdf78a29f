"""The one way to the store: connect(), transaction(), migrate().

A connection per request (or per job); writes in short BEGIN IMMEDIATE
transactions so concurrent writers queue on the busy timeout instead of
failing with "database is locked".
"""
import fcntl
import os
import re
import sqlite3
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
from flask import current_app, g

BUSY_TIMEOUT_MS = 30_000
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


# A commit that crosses SQLite's auto-checkpoint threshold (1,000 pages by default) copies
# the WAL into the database and syncs it while it holds the write lock: 5-13 ms here,
# with every other writer waiting. The job runner checkpoints each second instead
# (checkpoint(), which does not block writers); the higher threshold is only a safety
# net for when no job runner is running.
AUTOCHECKPOINT_PAGES = 10_000


class SchemaTooNew(Exception):
    """The database was migrated by a newer version of Tingjian."""


def database_path(data_dir):
    return Path(data_dir) / "tingjian.db"


def protect(path):
    """The data directory 0700; the database, its WAL and shared-memory files 0600."""
    path = Path(path)
    os.chmod(path.parent, 0o700)
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.writer-lock")):
        if name.exists():
            os.chmod(name, 0o600)


def private_file(path):
    """Create path (or keep it) readable by its owner only, e.g. a backup before it is written."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)


def connect(path):
    """A new connection. WAL is a property of the database file, set once by migrate()."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")   # erased personal data is overwritten, not left in free space
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA mmap_size=268435456")   # pages another process wrote are re-read from the map, not copied
    conn.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
    database = sqlite_utils.Database(conn)
    database.path = str(path)
    return database


# Writers queue for the database's write lock on a lock file beside it (threads of a
# process first on a threading lock, since flock does not separate threads). A blocked
# flock wakes the moment the lock is released, where SQLite's busy handler sleeps
# 1, 2, 5, 10... ms between tries: under several gunicorn workers that sleeping cost
# most of the intake throughput. SQLite's own locking still guards everything else.
_process_writer = threading.RLock()
_lock_files = {}   # (pid, database path) -> file descriptor; re-opened after a fork


def _writer_lock_fd(path):
    key = (os.getpid(), path)
    if key not in _lock_files:
        _lock_files[key] = os.open(f"{path}.writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
    return _lock_files[key]


@contextmanager
def _writer_lock(db):
    with _process_writer:
        path = getattr(db, "path", None)
        if path is None or path == ":memory:":
            yield
            return
        fd = _writer_lock_fd(path)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def transaction(db):
    """A write transaction taken up front (BEGIN IMMEDIATE); nested calls join the outer one."""
    if db.conn.in_transaction:
        yield db
        return
    with _writer_lock(db):
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        else:
            db.conn.execute("COMMIT")


class _ThreadConnections(threading.local):
    """Each web thread keeps its connections open between requests: opening one costs
    more than a whole intake request, and SQLite checkpoints and deletes the WAL
    whenever the last connection to a file closes."""
    LIMIT = 4

    def __init__(self):
        self.by_path = OrderedDict()

    def get(self, path):
        if path in self.by_path:
            self.by_path.move_to_end(path)
            return self.by_path[path]
        self.by_path[path] = database = connect(path)
        while len(self.by_path) > self.LIMIT:   # tests open many apps; keep only the recent ones
            self.by_path.popitem(last=False)[1].close()
        return database


_connections = _ThreadConnections()


def thread_connection(path):
    """This thread's connection to path, kept open between uses (requests, job ticks)."""
    return _connections.get(path)


def get_db():
    """The request's (or app context's) connection, reused by this thread across requests."""
    context = g._get_current_object()   # called several times a request: one lookup
    db = context.get("db")
    if db is None:
        db = context.db = thread_connection(current_app.config["DATABASE"])
    return db


def make_durable(db):
    """Flush the WAL to disk: every transaction committed on this database is then durable.

    Commits run with synchronous=NORMAL (no flush while holding the write lock; WAL keeps
    the file consistent). A caller about to acknowledge something a person sent (intake)
    calls this after its commit: the flush happens outside the write lock, so writers
    keep committing meanwhile and concurrent flushes are served by one journal commit
    (group commit by the kernel). Without a WAL file everything was checkpointed, and a
    checkpoint under synchronous=NORMAL syncs the database file itself."""
    path = getattr(db, "path", None)
    if not path or path == ":memory:":
        return
    try:
        fd = os.open(f"{path}-wal", os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        os.fdatasync(fd)
    finally:
        os.close(fd)
    _sync_directory_once(path)


_synced_directories = set()


def _sync_directory_once(path):
    """A WAL file created since the last directory flush needs its directory entry on disk."""
    key = (os.getpid(), path)
    if key in _synced_directories:
        return
    fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    _synced_directories.add(key)


def close_db(_exc=None):
    """End of request: never leave a transaction open on a reused connection."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.execute("ROLLBACK")


def query_one(db, sql, params=()):
    row = db.execute(sql, params).fetchone()
    return dict(row) if row is not None else None


def query_all(db, sql, params=()):
    return [dict(row) for row in db.execute(sql, params).fetchall()]


# --- migrations -------------------------------------------------------------

def available_migrations(migrations_dir):
    found = []
    for path in sorted(Path(migrations_dir).glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return found


def schema_version(db):
    if "schema_migrations" not in db.table_names():
        return 0
    row = db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return row[0] or 0


def code_version(migrations_dir):
    migrations = available_migrations(migrations_dir)
    return migrations[-1][0] if migrations else 0


def checkpoint(db, mode="PASSIVE"):
    """Copy committed pages from the WAL into the database. PASSIVE (the job runner's,
    each second) never blocks writers; TRUNCATE (after erasing personal data) waits for
    them, then empties the -wal file so no erased text stays readable in it.
    Returns (busy, frames in the WAL, frames copied)."""
    if mode not in ("PASSIVE", "TRUNCATE"):
        raise ValueError(mode)
    return tuple(db.execute(f"PRAGMA wal_checkpoint({mode})").fetchone())


def migrate(db, migrations_dir):
    """Apply pending migrations in order, each in its own transaction. Returns versions applied."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
               "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    current = schema_version(db)
    latest = code_version(migrations_dir)
    if current > latest:
        raise SchemaTooNew(f"the database is at schema version {current} but this Tingjian "
                           f"only knows up to {latest}; upgrade Tingjian or restore a backup.")
    applied = []
    for version, path in available_migrations(migrations_dir):
        if version not in _applied_versions(db):
            _apply(db, version, path)
            applied.append(version)
    return applied


def _applied_versions(db):
    return {row[0] for row in db.execute("SELECT version FROM schema_migrations")}


def _apply(db, version, path):
    """One migration in its own transaction. Every file not yet recorded is applied, in
    order, so a migration merged from a branch under a lower number still runs."""
    statements = [s for s in _split_statements(path.read_text(encoding="utf-8")) if s.strip()]
    with transaction(db):
        if version in _applied_versions(db):
            return   # another process (a sibling gunicorn worker) applied it meanwhile
        for statement in statements:
            db.execute(statement)
        db.execute("INSERT INTO schema_migrations (version, name, applied_at) "
                   "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))", (version, path.name))


def _split_statements(script):
    """Split a migration script into statements (sqlite3.complete_statement handles triggers)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer)
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        statements.append(buffer)
    return statements
