import multiprocessing
import time

import pytest

from appliance.core import clock, db, queue
from appliance.core.config import REPO_ROOT
from appliance.core.jobs import JobRunner

MIGRATIONS = REPO_ROOT / "migrations"


@pytest.fixture
def store(tmp_path):
    database = db.connect(tmp_path / "q.db")
    db.migrate(database, MIGRATIONS)
    database.execute("CREATE TABLE effects (job INTEGER UNIQUE, worker TEXT)")
    return database


def record_effect(database, payload):
    time.sleep(0.002)   # stands for real work, so the competing worker gets turns at the lock
    with db.transaction(database):
        database.execute("INSERT INTO effects (job, worker) VALUES (?, ?)",
                         (payload["n"], queue.worker_name()))


FAILURES = {"left": 0}


def flaky(database, payload):
    if FAILURES["left"] > 0:
        FAILURES["left"] -= 1
        raise RuntimeError("relay not reachable")


def no_relay(database, payload):
    from appliance.core.mail import MailError
    raise MailError("no SMTP relay is configured", "not_configured")


queue.register_handler("test.record", record_effect)
queue.register_handler("test.flaky", flaky)
queue.register_handler("test.no_relay", no_relay)


def test_a_missing_relay_is_one_warning_line_and_the_job_keeps_its_traceback(store, caplog):
    queue.enqueue(store, "test.no_relay", {})
    queue.run_one(store)
    records = [r for r in caplog.records if "test.no_relay" in r.getMessage()]
    assert [(r.levelname, r.exc_info) for r in records] == [("WARNING", None)]
    assert "no SMTP relay is configured" in records[0].getMessage()
    row = store.execute("SELECT status, last_error FROM outbox").fetchone()
    assert row["status"] == "pending" and "Traceback" in row["last_error"]


def test_work_enqueued_in_a_rolled_back_transaction_does_not_exist(store):
    with pytest.raises(RuntimeError):
        with db.transaction(store):
            queue.enqueue(store, "test.record", {"n": 1})
            raise RuntimeError("the data write failed")
    assert queue.stats(store)["pending"] == 0


def test_a_dedupe_key_makes_enqueueing_twice_a_no_op(store):
    with db.transaction(store):
        assert queue.enqueue(store, "test.record", {"n": 1}, dedupe_key="r1")
        assert queue.enqueue(store, "test.record", {"n": 1}, dedupe_key="r1") is None
    assert queue.stats(store)["pending"] == 1


def test_a_failing_job_is_retried_with_backoff_then_succeeds(store):
    FAILURES["left"] = 2
    with db.transaction(store):
        queue.enqueue(store, "test.flaky", {})
    assert queue.run_one(store) == "retry"
    row = db.query_one(store, "SELECT * FROM outbox")
    assert row["status"] == "pending" and row["attempts"] == 1
    assert "relay not reachable" in row["last_error"]
    assert row["run_after"] > clock.now_iso()          # backoff: not due yet
    assert queue.run_one(store) is None
    store.execute("UPDATE outbox SET run_after = ?", (clock.now_iso(),))
    assert queue.run_one(store) == "retry"
    second = db.query_one(store, "SELECT * FROM outbox")
    assert second["attempts"] == 2 and second["run_after"] > row["run_after"]
    store.execute("UPDATE outbox SET run_after = ?", (clock.now_iso(),))
    assert queue.run_one(store) == "done"
    assert db.query_one(store, "SELECT status, attempts FROM outbox") == {"status": "done", "attempts": 3}


def test_after_max_attempts_the_job_is_kept_as_failed_with_its_error(store):
    FAILURES["left"] = 99
    with db.transaction(store):
        queue.enqueue(store, "test.flaky", {}, max_attempts=2)
    assert queue.run_one(store) == "retry"
    store.execute("UPDATE outbox SET run_after = ?", (clock.now_iso(),))
    assert queue.run_one(store) == "failed"
    assert queue.stats(store)["failed"] == 1
    FAILURES["left"] = 0
    queue.retry_failed(store, db.query_one(store, "SELECT id FROM outbox")["id"])
    assert queue.run_one(store) == "done"


def test_a_job_whose_worker_died_is_reclaimed(store):
    with db.transaction(store):
        queue.enqueue(store, "test.record", {"n": 7})
    claimed = queue.claim(store, "dead-worker")
    assert claimed and queue.claim(store, "other") == []
    store.execute("UPDATE outbox SET claimed_at = ?", (clock.in_seconds(-queue.CLAIM_TIMEOUT_SECONDS - 1),))
    assert queue.run_one(store, "other") == "done"


def _drain(path, barrier):
    database = db.connect(path)
    barrier.wait()
    queue.run_until_idle(database)


def test_two_competing_workers_claim_each_job_exactly_once(store, tmp_path):
    with db.transaction(store):
        for n in range(300):
            queue.enqueue(store, "test.record", {"n": n})
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    workers = [context.Process(target=_drain, args=(tmp_path / "q.db", barrier)) for _ in range(2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
    assert [p.exitcode for p in workers] == [0, 0]
    assert store.execute("SELECT COUNT(*) FROM effects").fetchone()[0] == 300   # UNIQUE: none twice
    assert queue.stats(store) == {"pending": 0, "running": 0, "done": 300, "failed": 0}
    by_worker = store.execute("SELECT COUNT(DISTINCT worker) FROM effects").fetchone()[0]
    assert by_worker == 2   # both really competed


def test_only_one_job_runner_holds_the_lock(app):
    first, second = JobRunner(app, []), JobRunner(app, [])
    try:
        assert first._try_lock() is True
        assert second._try_lock() is False
        first.stop()
        assert second._try_lock() is True   # the lock passes on when the holder goes
    finally:
        first.stop()
        second.stop()


BATCHES = []


def record_batch(database, payloads):
    if any(p.get("poison") for p in payloads):
        raise ValueError("a payload the handler cannot digest")
    BATCHES.append(len(payloads))
    with db.transaction(database):
        for payload in payloads:
            database.execute("INSERT INTO effects (job, worker) VALUES (?, 'batch')", (payload["n"],))


queue.register_handler("test.batch", record_batch, batch=True)


def test_a_batch_handler_runs_many_jobs_at_once(store):
    BATCHES.clear()
    with db.transaction(store):
        for n in range(50):
            queue.enqueue(store, "test.batch", {"n": n})
    assert queue.run_until_idle(store) == 50
    assert BATCHES == [50]
    assert queue.stats(store)["done"] == 50


def test_one_bad_payload_does_not_hold_back_the_rest_of_its_batch(store):
    BATCHES.clear()
    with db.transaction(store):
        for n in range(5):
            queue.enqueue(store, "test.batch", {"n": n, "poison": n == 3})
    queue.run_until_idle(store)
    assert store.execute("SELECT COUNT(*) FROM effects").fetchone()[0] == 4
    assert queue.stats(store) == {"pending": 1, "running": 0, "done": 4, "failed": 0}


def test_finished_jobs_are_purged_after_a_week_but_failed_ones_stay(store):
    with db.transaction(store):
        for n in range(3):
            queue.enqueue(store, "test.record", {"n": n})
    queue.run_until_idle(store)
    store.execute("UPDATE outbox SET done_at = ? WHERE id = 1", (clock.in_seconds(-8 * 86400),))
    store.execute("UPDATE outbox SET status = 'failed', done_at = ? WHERE id = 2",
                  (clock.in_seconds(-30 * 86400),))
    assert queue.purge_done(store) == 1
    assert [r[0] for r in store.execute("SELECT id FROM outbox ORDER BY id")] == [2, 3]
