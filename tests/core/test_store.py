import multiprocessing
import sqlite3

import pytest

from appliance import create_app
from appliance.core import db
from appliance.core.config import REPO_ROOT

MIGRATIONS = REPO_ROOT / "migrations"


def test_migrations_are_idempotent_and_recorded(tmp_path):
    database = db.connect(tmp_path / "t.db")
    applied = db.migrate(database, MIGRATIONS)
    assert applied and applied == sorted(applied)
    assert db.migrate(database, MIGRATIONS) == []
    recorded = [r[0] for r in database.execute("SELECT version FROM schema_migrations ORDER BY 1")]
    assert recorded == applied


def test_the_store_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path):
    db.migrate(db.connect(tmp_path / "t.db"), MIGRATIONS)
    database = db.connect(tmp_path / "t.db")   # WAL is kept by the file itself
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_it_refuses_a_database_newer_than_the_code(tmp_path):
    (tmp_path / "data").mkdir()
    database = db.connect(tmp_path / "data" / "tingjian.db")
    db.migrate(database, MIGRATIONS)
    database.execute("INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', 'x')")
    with pytest.raises(db.SchemaTooNew, match="upgrade Tingjian"):
        db.migrate(database, MIGRATIONS)
    with pytest.raises(db.SchemaTooNew):
        create_app({"data_dir": str(tmp_path / "data"), "jobs": False}, environ={})


def test_a_failing_migration_leaves_nothing_behind(tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (folder / "0002_bad.sql").write_text("CREATE TABLE b (x INTEGER);\nINSERT INTO nowhere VALUES (1);")
    database = db.connect(tmp_path / "t.db")
    with pytest.raises(sqlite3.OperationalError):
        db.migrate(database, folder)
    assert "b" not in database.table_names()
    assert db.schema_version(database) == 1


def test_responses_keep_their_rows_and_unique_keys_through_the_index_rebuild(tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in sorted(MIGRATIONS.glob("000[1-5]_*.sql")):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    database = db.connect(tmp_path / "t.db")
    db.migrate(database, folder)
    database.execute("INSERT INTO units (code, name, type, path, depth, created_at) "
                     "VALUES ('G', 'Group', 'group', '/1/', 0, 'x')")
    database.execute("INSERT INTO surveys (unit_id, name, draft, created_at, updated_at) "
                     "VALUES (1, 's', '{}', 'x', 'x')")
    database.execute("INSERT INTO survey_versions (survey_id, version, document, published_at) "
                     "VALUES (1, 1, '{}', 'x')")
    insert = ("INSERT INTO responses (survey_id, version_id, unit_id, language, status, "
              "resume_token, idempotency_key, started_at) VALUES (1, 1, 1, 'en', 'complete', ?, ?, 'x')")
    database.execute(insert, ("device-1", "pos-1"))
    database.execute(insert, (None, None))
    assert 6 in db.migrate(database, MIGRATIONS)
    rows = [tuple(r) for r in database.execute(
        "SELECT id, resume_token, idempotency_key FROM responses ORDER BY id")]
    assert rows == [(1, "device-1", "pos-1"), (2, None, None)]
    database.execute(insert, (None, None))   # rows without keys do not collide
    with pytest.raises(sqlite3.IntegrityError):
        database.execute(insert, ("device-1", None))
    # since 0015 an idempotency key is unique per link (tests/collection/test_idempotency_scope.py)


def test_commits_leave_the_wal_to_the_job_runners_checkpoint(tmp_path):
    from appliance import domains
    database = db.connect(tmp_path / "t.db")
    db.migrate(database, MIGRATIONS)
    assert database.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == db.AUTOCHECKPOINT_PAGES
    for n in range(700):   # two pages or more a commit: past SQLite's default threshold
        with db.transaction(database):
            database.execute("INSERT INTO settings (name, value, updated_at) VALUES (?, '1', 'x')",
                             (f"s{n}",))
    busy, frames, copied = db.checkpoint(database)
    assert busy == 0 and frames > 1000 and copied == frames   # no commit checkpointed
    assert [job.trigger for job in domains.load().jobs if job.job_id == "db.checkpoint"] == [
        {"seconds": 1}]


def _write_many(path, worker, count, barrier):
    database = db.connect(path)
    barrier.wait()
    for n in range(count):
        with db.transaction(database):
            database.execute("INSERT INTO settings (name, value, updated_at) VALUES (?, '1', 'x')",
                             (f"w{worker}-{n}",))
            database.execute("SELECT COUNT(*) FROM settings").fetchone()


def test_concurrent_writers_in_several_processes_never_see_database_is_locked(tmp_path):
    path = tmp_path / "t.db"
    db.migrate(db.connect(path), MIGRATIONS)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(4)
    workers = [context.Process(target=_write_many, args=(path, w, 150, barrier)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
    assert [p.exitcode for p in workers] == [0, 0, 0, 0]
    count = db.connect(path).execute("SELECT COUNT(*) FROM settings").fetchone()[0]
    assert count == 600
