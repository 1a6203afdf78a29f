"""Text summaries (migration 0071): the /text page's counts and trends read these, not
text_items / text_terms.

Every write to text_items / text_terms (store.py) runs inside `tracking(db, item_ids)`:
the items' contributions are read before and after the change and the difference is
appended to text_sum_pending in the same transaction. fold() (the job runner: after each
text job and every few seconds) adds the pending differences, summed, to the unit's own
rows and to every ancestor's subtree rows (day and month) and deletes them, in one
transaction. So a retried analysis, a relabel or an erasure can never count twice, and
once folded the sums equal a recomputation (rebuild() recomputes; a test compares);
folding many items at once keeps the writes few. A moved unit is re-rolled (reconcile(),
on unit.moved), as the metrics summaries are.
"""
from collections import Counter
from contextlib import contextmanager

from ..org import lookups

KEY = ("unit_id", "day", "kind", "term", "source", "channel", "survey_id", "sentiment")
TREE = ("node_id", "kind", "grain", "period", "term", "source", "channel", "survey_id",
        "sentiment")
_ITEMS = ("SELECT i.unit_id, substr(i.occurred_at, 1, 10), 'item', '', i.source, i.channel, "
          "COALESCE(i.survey_id, 0), i.sentiment, i.id FROM text_items i WHERE i.id IN ({})")
_TERMS = ("SELECT i.unit_id, substr(i.occurred_at, 1, 10), t.kind, t.term, i.source, "
          "i.channel, COALESCE(i.survey_id, 0), i.sentiment, i.id FROM text_items i "
          "JOIN text_terms t ON t.item_id = i.id WHERE i.id IN ({})")


def contributions(db, item_ids):
    """Counter {own key: n} of these items as stored now."""
    found, ids = Counter(), sorted(set(item_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for sql in (_ITEMS, _TERMS):
            for row in db.execute(sql.format(marks), chunk):
                found[tuple(row[:8])] += 1
    return found


@contextmanager
def tracking(db, item_ids=()):
    """Inside the caller's transaction: yields a list the body may extend with ids it
    creates; afterwards the summaries change by (after - before) of all those items."""
    ids = list(item_ids)
    before = contributions(db, ids)
    yield ids
    after = contributions(db, ids)
    delta = Counter(after)
    delta.subtract(before)
    db.conn.executemany(f"INSERT INTO text_sum_pending ({', '.join(KEY)}, n) VALUES "
                        f"({', '.join('?' * (len(KEY) + 1))})",
                        [k + (n,) for k, n in delta.items() if n])


FOLD_ROWS = 200_000


def fold(db):
    """Add the pending differences to the sums (in slices of FOLD_ROWS, one transaction
    each). Returns the pending rows folded."""
    from ..core.db import transaction
    folded = 0
    while True:
        with transaction(db):
            last = db.execute("SELECT MAX(id) FROM (SELECT id FROM text_sum_pending ORDER BY id "
                              "LIMIT ?)", (FOLD_ROWS,)).fetchone()[0]
            if last is None:
                return folded
            rows = db.execute(f"SELECT {', '.join(KEY)}, SUM(n) FROM text_sum_pending "
                              f"WHERE id <= ? GROUP BY {', '.join(KEY)}", (last,)).fetchall()
            apply(db, {tuple(r[:8]): r[8] for r in rows if r[8]})
            folded += db.execute("DELETE FROM text_sum_pending WHERE id <= ?",
                                 (last,)).rowcount


def fold_tick(app):
    """The job runner's safety net: fold what a write left pending."""
    from ..core.db import connect
    db = connect(app.config["DATABASE"])
    try:
        fold(db)
    finally:
        db.close()


def apply(db, own):
    if not own:
        return
    ancestry = _ancestry(db, {key[0] for key in own})
    tree = Counter()
    for (unit, day, *rest), n in own.items():
        for node in ancestry[unit]:
            tree[(node, rest[0], "D", day, *rest[1:])] += n
            tree[(node, rest[0], "M", day[:7], *rest[1:])] += n
    _upsert(db, "text_sum_own", KEY, own)
    _upsert(db, "text_sum_tree", TREE, {k: v for k, v in tree.items() if v})
    _upsert_all(db, tree)
    if any(v < 0 for v in own.values()):
        _drop_empty(db, "text_sum_own", KEY, own)
        _drop_empty(db, "text_sum_tree", TREE, tree)
        _drop_empty(db, "text_sum_all", TREE[:5], {k[:5]: 0 for k in tree})


def _upsert_all(db, tree):
    """text_sum_all: the tree's deltas summed over source, channel and survey."""
    totals = {}
    for (node, kind, grain, period, term, _s, _c, _v, sentiment), n in tree.items():
        row = totals.setdefault((node, kind, grain, period, term), [0, 0, 0])
        row[0] += n
        row[1] += n if sentiment == "negative" else 0
        row[2] += n if sentiment == "positive" else 0
    db.conn.executemany(
        "INSERT INTO text_sum_all (node_id, kind, grain, period, term, n, negative, positive) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (node_id, kind, grain, period, term) "
        "DO UPDATE SET n = n + excluded.n, negative = negative + excluded.negative, "
        "positive = positive + excluded.positive",
        sorted(k + tuple(v) for k, v in totals.items() if any(v)))


def _upsert(db, table, key, rows):
    db.conn.executemany(
        f"INSERT INTO {table} ({', '.join(key)}, n) VALUES ({', '.join('?' * (len(key) + 1))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET n = n + excluded.n",
        sorted(k + (n,) for k, n in rows.items()))


def _drop_empty(db, table, key, rows):
    where = " AND ".join(f"{c} = ?" for c in key)
    db.conn.executemany(f"DELETE FROM {table} WHERE {where} AND n <= 0", list(rows))


def _ids(path):
    return [int(x) for x in path.strip("/").split("/") if x]


def _ancestry(db, unit_ids):
    """{unit: [ancestor ids and its own]} along the paths last rolled up."""
    unit_ids = sorted(unit_ids)
    stored = {}
    for start in range(0, len(unit_ids), 500):
        chunk = unit_ids[start:start + 500]
        stored.update(db.execute(f"SELECT unit_id, path FROM text_sum_paths WHERE unit_id IN "
                                 f"({','.join('?' * len(chunk))})", chunk).fetchall())
    missing = [u for u in unit_ids if u not in stored]
    if missing:
        now = {u: row["path"] for u, row in lookups.units_by_id(db, missing).items()}
        stored.update(now)
        db.conn.executemany("INSERT OR REPLACE INTO text_sum_paths (unit_id, path) VALUES (?, ?)",
                            now.items())
    return {u: _ids(stored[u]) for u in unit_ids}


def reconcile(db, _payload=None):
    """Re-roll every node on an old or new path of a unit that moved. Returns the nodes."""
    from ..core.db import transaction
    fold(db)
    now = lookups.unit_paths(db)
    with transaction(db):
        stored = dict(db.execute("SELECT unit_id, path FROM text_sum_paths").fetchall())
        moved = [u for u, path in stored.items() if u in now and now[u] != path]
        affected = sorted({n for u in moved for n in _ids(stored[u]) + _ids(now[u]) if n in now})
        for node in affected:
            _rebuild_node(db, node, [u for u, p in now.items() if p.startswith(now[node])])
        db.conn.executemany("UPDATE text_sum_paths SET path = ? WHERE unit_id = ?",
                            [(now[u], u) for u in moved])
    return affected


def _rebuild_node(db, node, subtree_ids):
    db.execute("DELETE FROM text_sum_tree WHERE node_id = ?", (node,))
    db.execute("DELETE FROM text_sum_all WHERE node_id = ?", (node,))
    marks = ",".join("?" * len(subtree_ids))
    rest = "kind, term, source, channel, survey_id, sentiment"
    for grain, period in (("D", "day"), ("M", "substr(day, 1, 7)")):
        db.execute(f"INSERT INTO text_sum_tree (node_id, grain, period, {rest}, n) "
                   f"SELECT ?, ?, {period}, {rest}, SUM(n) FROM text_sum_own "
                   f"WHERE unit_id IN ({marks}) GROUP BY {period}, {rest}",
                   [node, grain, *subtree_ids])
    db.execute(f"INSERT INTO text_sum_all {ALL_FROM_TREE} WHERE node_id = ? "
               f"GROUP BY node_id, kind, grain, period, term", (node,))


ALL_FROM_TREE = ("(node_id, kind, grain, period, term, n, negative, positive) "
                 "SELECT node_id, kind, grain, period, term, SUM(n), "
                 "SUM(CASE WHEN sentiment = 'negative' THEN n ELSE 0 END), "
                 "SUM(CASE WHEN sentiment = 'positive' THEN n ELSE 0 END) FROM text_sum_tree")


def rebuild(db):
    """Recompute every summary from text_items / text_terms (summary_rebuild.py)."""
    from .summary_rebuild import rebuild_all
    return rebuild_all(db)
