"""Keeping the summaries: count new responses, recount changed buckets, re-roll moved units.

A bucket is (unit, survey, local day). New responses are added (once: metric_counted
remembers them); an erased or otherwise changed response has its whole bucket recounted
from the raw responses, and the difference goes up the tree. Every node's subtree sums
(metric_tree, by day and by month) change by the same deltas as its units' own rows.
"""
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from ..collection import feed
from ..core import settings
from ..core.db import transaction
from . import contrib, moments, paths
from .contrib import MEASURES, Q_MEASURES

OWN_KEY = ("unit_id", "survey_id", "day", "channel", "language")
Q_OWN_KEY = ("unit_id", "survey_id", "day", "question")
SEG_OWN_KEY = ("unit_id", "survey_id", "day", "field", "value")
TREE_KEY = ("node_id", "grain", "period", "survey_id", "channel", "language")
Q_TREE_KEY = ("node_id", "grain", "period", "survey_id", "question")
SEG_TREE_KEY = ("node_id", "grain", "period", "survey_id", "field", "value")
# kind: (own table, own key, tree table, tree key, measures, column that is 0 when empty)
KINDS = {"own": ("metric_own", OWN_KEY, "metric_tree", TREE_KEY, MEASURES, "responses"),
         "q_own": ("metric_q_own", Q_OWN_KEY, "metric_q_tree", Q_TREE_KEY, Q_MEASURES, "n"),
         "seg": ("metric_seg_own", SEG_OWN_KEY, "metric_seg_tree", SEG_TREE_KEY, MEASURES,
                 "responses")}


def zone(db):
    return ZoneInfo(settings.get(db, "org.timezone") or "Asia/Shanghai")


def day_bounds(day, tz):
    """[start, end) in UTC ISO of a local day."""
    start = datetime.combine(date.fromisoformat(day), time(), tz)
    end = start + timedelta(days=1)
    return tuple(m.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ") for m in (start, end))


class Deltas:
    """Differences to apply to the own and tree tables, gathered before one write."""

    def __init__(self, db):
        self.db = db
        self.drv = {}   # key-driver moments: {(unit, survey, day, keys): vector}
        self.own = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
        self.q_own = defaultdict(lambda: dict.fromkeys(Q_MEASURES, 0))
        self.seg = defaultdict(lambda: dict.fromkeys(MEASURES, 0))

    def add(self, table, key, values, sign=1):
        target = getattr(self, table)[key]
        for name, value in values.items():
            target[name] += sign * value

    def add_response(self, response, doc, day):
        unit, survey = response["unit_id"], response["survey_id"]
        values = contrib.cell(response, doc)
        self.add("own", (unit, survey, day, response["channel"] or "", response["language"]),
                 values)
        for field, value in contrib.segments_of(response):
            self.add("seg", (unit, survey, day, field, value), values)
        for question, values in contrib.questions(response, doc).items():
            self.add("q_own", (unit, survey, day, question), values)
        moments.add_response(self.drv, self.db, response, doc, day)


def count_new(db, rows):
    """Add responses not yet counted. Returns how many were added."""
    if not rows:
        return 0
    tz = zone(db)
    with transaction(db):
        counted = _already_counted(db, [r["id"] for r in rows])
        fresh = [r for r in rows if r["id"] not in counted]
        deltas, marks = Deltas(db), []
        for row in fresh:
            day = contrib.local_day(row["submitted_at"], tz)
            deltas.add_response(row, feed.document(db, row["version_id"]), day)
            marks.append((row["id"], row["unit_id"], row["survey_id"], day))
        db.conn.executemany("INSERT INTO metric_counted (response_id, unit_id, survey_id, day) "
                            "VALUES (?, ?, ?, ?)", marks)
        apply(db, deltas)
    return len(fresh)


def _already_counted(db, ids):
    found = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(r[0] for r in db.execute(
            f"SELECT response_id FROM metric_counted WHERE response_id IN "
            f"({','.join('?' * len(chunk))})", chunk))
    return found


def recount(db, buckets):
    """Recount whole buckets {(unit_id, survey_id, day)} from the raw responses.

    Every bucket is emptied before any is counted again: a response that changed bucket is
    still marked under its old one until that one is emptied (marking it under its new one
    first broke metric_counted's uniqueness whenever the set's order put the new one first)."""
    tz = zone(db)
    with transaction(db):
        deltas = Deltas(db)
        for unit_id, survey_id, day in buckets:
            _empty_bucket(db, deltas, unit_id, survey_id, day)
        for unit_id, survey_id, day in buckets:
            _count_bucket(db, deltas, unit_id, survey_id, day, tz)
        apply(db, deltas)


def _empty_bucket(db, deltas, unit_id, survey_id, day):
    where, key = "unit_id = ? AND survey_id = ? AND day = ?", (unit_id, survey_id, day)
    for kind, (name, key_columns, _tree, _tree_key, measures, _n) in KINDS.items():
        for row in db.execute(f"SELECT * FROM {name} WHERE {where}", key):
            deltas.add(kind, tuple(row[c] for c in key_columns),
                       {m: row[m] for m in measures}, sign=-1)
    moments.subtract_bucket(deltas.drv, db, unit_id, survey_id, day)
    db.execute(f"DELETE FROM metric_counted WHERE {where}", key)


def _count_bucket(db, deltas, unit_id, survey_id, day, tz):
    rows = feed.countable_in_bucket(db, unit_id, survey_id, *day_bounds(day, tz))
    for row in rows:
        deltas.add_response(row, feed.document(db, row["version_id"]), day)
    db.conn.executemany("INSERT INTO metric_counted (response_id, unit_id, survey_id, day) "
                        "VALUES (?, ?, ?, ?)", [(r["id"], unit_id, survey_id, day) for r in rows])


def apply(db, deltas):
    """Write own-table deltas and the same deltas on every ancestor's tree rows."""
    units = {key[0] for kind in KINDS for key in getattr(deltas, kind)} | \
        {key[0] for key in deltas.drv}
    ancestry = paths.ancestry(db, units)
    moments.apply(db, deltas.drv, ancestry)
    for kind, (own, own_key, tree_table, tree_key, measures, empty) in KINDS.items():
        rows = getattr(deltas, kind)
        _upsert(db, own, own_key, measures, rows)
        tree = _tree_deltas(rows, measures, ancestry)
        _upsert(db, tree_table, tree_key, measures, tree)
        if any(v[empty] < 0 for v in rows.values()):
            _drop_empty(db, own, own_key, empty, rows)
            _drop_empty(db, tree_table, tree_key, empty, tree)


def _tree_deltas(rows, measures, ancestry):
    """{tree key: {measure: delta}}: each own delta on every ancestor by day, and by month
    from the unit's month totals (one addition per unit and month, not per day)."""
    monthly, tree = {}, {}
    for (unit, survey, day, *rest), values in rows.items():
        vector = [values[m] for m in measures]
        _add_to(monthly, (unit, day[:7], survey, *rest), vector)
        for node in ancestry[unit]:
            _add_to(tree, (node, "D", day, survey, *rest), vector)
    for (unit, month, *rest), vector in monthly.items():
        for node in ancestry[unit]:
            _add_to(tree, (node, "M", month, *rest), vector)
    return {key: dict(zip(measures, vector)) for key, vector in tree.items()}


def _add_to(target, key, vector):
    found = target.get(key)
    target[key] = list(vector) if found is None else [a + b for a, b in zip(found, vector)]


def _upsert(db, table, key_columns, measures, rows):
    changed = [(key, values) for key, values in rows.items() if any(values.values())]
    if not changed:
        return
    columns = key_columns + measures
    updates = ", ".join(f"{m} = {m} + excluded.{m}" for m in measures)
    db.conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {updates}",
        [tuple(key) + tuple(values[m] for m in measures) for key, values in changed])


def _drop_empty(db, table, key_columns, empty, rows):
    """Rows whose counts fell to zero (everything in them was erased) are removed, looked
    up by the keys just changed."""
    where = " AND ".join(f"{c} = ?" for c in key_columns)
    db.conn.executemany(f"DELETE FROM {table} WHERE {where} AND {empty} <= 0", list(rows))
