"""The event log: one row per event however many subscribers, each reading from its cursor."""
import pytest

from appliance.core import clock, db, events, queue
from appliance.core.config import REPO_ROOT

SEEN = []


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr(queue, "STREAMS", {})
    monkeypatch.setattr(queue, "HANDLERS", dict(queue.HANDLERS))
    monkeypatch.setattr(queue, "BATCH_HANDLERS", dict(queue.BATCH_HANDLERS))
    SEEN.clear()
    database = db.connect(tmp_path / "events.db")
    db.migrate(database, REPO_ROOT / "migrations")
    return database


def one_by_one(_db, payload):
    SEEN.append(("one", payload["n"]))


def together(_db, payloads):
    if any(p.get("poison") for p in payloads):
        raise ValueError("cannot handle a poisoned order")
    SEEN.append(("batch", [p["n"] for p in payloads]))


def subscribe_both():
    queue.register_subscriber("order.placed", "order.placed>test.one_by_one", one_by_one)
    queue.register_subscriber("order.placed", "order.placed>test.together", together, batch=True)


def publish(store, *payloads):
    with db.transaction(store):
        for payload in payloads:
            events.publish(store, "order.placed", payload)


def test_an_event_is_one_row_and_reaches_every_subscriber_once(store):
    subscribe_both()
    publish(store, {"n": 1}, {"n": 2}, {"n": 3})
    with db.transaction(store):
        events.publish(store, "order.cancelled", {"n": 9})   # nobody listens: nothing runs
    assert store.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 4
    assert store.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
    assert queue.stats(store)["pending"] == 6   # three events waiting for each of two subscribers
    assert queue.run_until_idle(store) == 6
    assert SEEN == [("one", 1), ("one", 2), ("one", 3), ("batch", [1, 2, 3])]
    assert queue.run_until_idle(store) == 0 and queue.stats(store)["pending"] == 0
    publish(store, {"n": 4})
    queue.run_until_idle(store)
    assert SEEN[-2:] == [("one", 4), ("batch", [4])]


def test_an_event_in_a_rolled_back_transaction_never_happened(store):
    subscribe_both()
    with pytest.raises(RuntimeError):
        with db.transaction(store):
            events.publish(store, "order.placed", {"n": 1})
            raise RuntimeError("the data write failed")
    assert queue.run_until_idle(store) == 0 and SEEN == []


def test_a_payload_the_handler_fails_on_is_retried_from_the_outbox(store):
    subscribe_both()
    publish(store, {"n": 1}, {"n": 2, "poison": True}, {"n": 3})
    queue.run_until_idle(store)
    assert ("batch", [1]) in SEEN and ("batch", [3]) in SEEN   # the others went on
    job = db.query_one(store, "SELECT * FROM outbox")
    assert job["topic"] == "order.placed>test.together" and job["status"] == "pending"
    assert job["run_after"] > clock.now_iso()   # after a backoff
    store.execute("UPDATE outbox SET run_after = ?", (clock.now_iso(),))
    assert queue.run_one(store) == "retry"      # still poisoned: retried with backoff
    assert queue.stats(store) == {"pending": 1, "running": 0, "done": 0, "failed": 0}


def test_read_events_are_purged_after_a_week_unread_ones_stay(store):
    subscribe_both()
    publish(store, {"n": 1}, {"n": 2})
    queue.run_until_idle(store)
    publish(store, {"n": 3})   # not read yet
    store.execute("UPDATE events SET created_at = ?", (clock.in_seconds(-8 * 86400),))
    assert queue.purge_done(store) == 2
    assert [r[0] for r in store.execute("SELECT payload FROM events")] == ['{"n": 3}']
