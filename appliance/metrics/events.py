"""Event subscribers: the job runner keeps the summaries as responses arrive or change."""
from ..collection import feed
from . import contrib, moments, paths, store


def on_accepted(db, payloads):
    """response.accepted (batch): count the new responses."""
    ids = [p["response_id"] for p in payloads if "response_id" in p]
    store.count_new(db, feed.countable_by_ids(db, ids))


def on_batch_accepted(db, payload):
    """response.batch_accepted ({"from_id", "to_id"}): bulk seeding and imports."""
    step = 5000
    for start in range(payload["from_id"], payload["to_id"] + 1, step):
        end = min(start + step - 1, payload["to_id"])
        store.count_new(db, feed.countable_in_id_range(db, start, end))


def on_changed(db, payloads):
    """response.erased (batch), or any change to counted responses: recount their buckets."""
    ids = [p["response_id"] for p in payloads if "response_id" in p]
    buckets = _counted_buckets(db, ids)
    tz = store.zone(db)
    for unit_id, survey_id, submitted_at in feed.bucket_of(db, ids).values():
        if submitted_at:
            buckets.add((unit_id, survey_id, contrib.local_day(submitted_at, tz)))
    if buckets:
        store.recount(db, buckets)


def _counted_buckets(db, ids):
    found = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(tuple(r) for r in db.execute(
            f"SELECT unit_id, survey_id, day FROM metric_counted WHERE response_id IN "
            f"({','.join('?' * len(chunk))})", chunk))
    return found


def on_unit_moved(db, _payload):
    paths.reconcile(db)


def reconcile_tick(app):
    """Periodic safety net: re-roll units moved without an event; after an upgrade, fill
    the key-driver moments of the responses counted before them (up to 20 s a tick)."""
    from ..core.db import connect
    db = connect(app.config["DATABASE"])
    try:
        paths.reconcile(db)
        moments.backfill(db, seconds=20)
    finally:
        db.close()


def rebuild_all(db, echo=lambda line: None):
    """From scratch (after a time-zone change): see rebuild.py."""
    from . import rebuild
    return rebuild.rebuild_all(db, echo)
