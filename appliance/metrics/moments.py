"""Key-driver moments: the sums Johnson's relative weights need, kept like every summary.

A complete response whose version has an overall question (NPS, else CSAT) and at least
two driver questions, and that answered all of them with numbers, adds its vector
v = (outcome, driver 1..k) to its bucket (unit, survey, local day, keys) as
[1, v..., v_i * v_j for i <= j]: n, the sums and the upper triangle of the products.
Sums add up over units and days, so a node's drivers over any range are a few row reads
(metric_drv_tree by month and by day, like metric_tree) and a k x k eigen-decomposition:
the same result as the regression on every complete answer, with no raw answer read.
"""
import json

import numpy as np

from ..collection import feed
from ..core.db import transaction
from . import catalog, periods

OWN_KEY = ("unit_id", "survey_id", "day", "keys")
TREE_KEY = ("node_id", "grain", "period", "survey_id", "keys")
_KEYS = {}
_PAIRS = {}   # number of variables -> the (i, j) of the products' upper triangle


def outcome_and_drivers(questions):
    """(outcome key, [driver keys]) of a catalog {key: question}."""
    outcome = next((k for k, q in questions.items() if q["metric"] == "nps"), None) or \
        next((k for k, q in questions.items() if q["metric"] == "csat"), None)
    drivers = [k for k, q in questions.items() if q["metric"] == "driver" and k != outcome]
    return outcome, drivers


def keys_of(db, version_id, doc):
    """The version's (outcome, *drivers) keys, or None when it has no driver analysis."""
    memo = (getattr(db, "path", None), version_id)
    if memo not in _KEYS:
        outcome, drivers = outcome_and_drivers(catalog._index(doc or {}))
        _KEYS[memo] = (outcome, *drivers) if outcome and len(drivers) >= 2 else None
    return _KEYS[memo]


def contribution(response, keys):
    """[1, v..., products] of one response, or None unless every key has a number."""
    answers = response["answers"]
    answers = json.loads(answers) if isinstance(answers, str) else answers
    values = [answers.get(k) for k in keys]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return None
    pairs = _PAIRS.get(len(values)) or _PAIRS.setdefault(
        len(values), [(i, j) for i in range(len(values)) for j in range(i, len(values))])
    return np.array([1, *values, *(values[i] * values[j] for i, j in pairs)], dtype=float)


def add_response(target, db, response, doc, day):
    keys = keys_of(db, response["version_id"], doc)
    vector = contribution(response, keys) if keys else None
    if vector is not None:
        _add(target, (response["unit_id"], response["survey_id"], day, ",".join(keys)), vector)


def _add(target, key, vector, sign=1):
    if key in target:
        target[key] = target[key] + sign * vector
    else:
        target[key] = sign * vector


def subtract_bucket(target, db, unit_id, survey_id, day):
    """The bucket's own rows taken away (a recount adds its responses back)."""
    for row in db.execute("SELECT keys, moments FROM metric_drv_own WHERE unit_id = ? AND "
                          "survey_id = ? AND day = ?", (unit_id, survey_id, day)):
        _add(target, (unit_id, survey_id, day, row[0]), np.asarray(json.loads(row[1])), -1)


def apply(db, own, ancestry):
    """Own-row deltas {(unit, survey, day, keys): vector} and the same on every ancestor."""
    if not own:
        return
    tree = {}
    for (unit, survey, day, keys), vector in own.items():
        for node in ancestry[unit]:
            for grain, period in (("D", day), ("M", day[:7])):
                _add(tree, (node, grain, period, survey, keys), vector)
    _merge(db, "metric_drv_own", OWN_KEY, own)
    _merge(db, "metric_drv_tree", TREE_KEY, tree)


def _merge(db, table, key_columns, deltas):
    """Read, add, write back; a row whose n falls to zero is removed."""
    where = " AND ".join(f"{c} = ?" for c in key_columns)
    writes, drops = [], []
    for key, delta in deltas.items():
        row = db.execute(f"SELECT moments FROM {table} WHERE {where}", key).fetchone()
        total = delta + np.asarray(json.loads(row[0])) if row else delta
        if round(total[0]) <= 0:
            drops.append(key)
        else:
            writes.append((*key, int(round(total[0])), _dumps(total)))
    columns = key_columns + ("n", "moments")
    db.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                        f"({', '.join('?' * len(columns))}) ON CONFLICT "
                        f"({', '.join(key_columns)}) DO UPDATE SET n = excluded.n, "
                        f"moments = excluded.moments", writes)
    db.conn.executemany(f"DELETE FROM {table} WHERE {where}", drops)


def _dumps(vector):
    return json.dumps([int(x) if float(x).is_integer() else x for x in vector.tolist()],
                      separators=(",", ":"))


def read(db, node_id, date_from, date_to, survey_id, keys):
    """(n, sums, products matrix) of the node's subtree over the local dates (inclusive)."""
    when, params = periods.sql(date_from, date_to, "node_id = ?", [node_id])
    total = None
    for row in db.execute(f"SELECT moments FROM metric_drv_tree WHERE {when} AND "
                          f"survey_id = ? AND keys = ?", [*params, survey_id, ",".join(keys)]):
        vector = np.asarray(json.loads(row[0]))
        total = vector if total is None else total + vector
    size = len(keys)
    if total is None:
        return 0, np.zeros(size), np.zeros((size, size))
    products = np.zeros((size, size))
    products[np.triu_indices(size)] = total[1 + size:]
    products = products + np.triu(products, 1).T
    return int(round(total[0])), total[1:1 + size], products


def rebuild_node(db, node, subtree_ids):
    """A node's tree rows from its subtree's own rows (a unit moved)."""
    db.execute("DELETE FROM metric_drv_tree WHERE node_id = ?", (node,))
    marks = ",".join("?" * len(subtree_ids))
    tree = {}
    for survey, day, keys, text in db.execute(
            f"SELECT survey_id, day, keys, moments FROM metric_drv_own WHERE unit_id IN "
            f"({marks})", list(subtree_ids)):
        vector = np.asarray(json.loads(text))
        for grain, period in (("D", day), ("M", day[:7])):
            _add(tree, (node, grain, period, survey, keys), vector)
    _insert(db, "metric_drv_tree", TREE_KEY, tree)


def _insert(db, table, key_columns, rows):
    columns = key_columns + ("n", "moments")
    db.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                        f"({', '.join('?' * len(columns))})",
                        [(*key, int(round(v[0])), _dumps(v)) for key, v in rows.items()])


def write_all(db, own, ancestors):
    """A full rebuild: every own row {key: vector} and the tree from them, into empty tables.
    ancestors: {unit id: [node ids along its path]}."""
    _insert(db, "metric_drv_own", OWN_KEY, own)
    tree = {}
    for (unit, survey, day, keys), vector in own.items():
        for node in ancestors.get(unit, [unit]):
            for grain, period in (("D", day), ("M", day[:7])):
                _add(tree, (node, grain, period, survey, keys), vector)
    _insert(db, "metric_drv_tree", TREE_KEY, tree)


def filling(db):
    """True while an upgrade's backfill has units left."""
    return db.execute("SELECT 1 FROM metric_drv_backfill LIMIT 1").fetchone() is not None


def backfill(db, seconds=None):
    """Add the counted responses of the (unit, month)s still listed in metric_drv_backfill,
    one per transaction (intake keeps writing between them; ~15 ms each at 1,000,000
    responses), for at most `seconds`. Idempotent: the unit-month's own rows are recounted
    from its counted responses and the difference applied. Returns unit-months done."""
    import time
    from . import paths
    done, started = 0, time.monotonic()
    while seconds is None or time.monotonic() - started < seconds:
        row = db.execute("SELECT unit_id, month FROM metric_drv_backfill ORDER BY unit_id, "
                         "month LIMIT 1").fetchone()
        if row is None:
            break
        unit_id, month = row[0], row[1]
        days = (f"{month}-01", f"{month}-31")
        with transaction(db):
            deltas = {}
            for survey_id, day in db.execute("SELECT DISTINCT survey_id, day FROM metric_drv_own "
                                             "WHERE unit_id = ? AND day BETWEEN ? AND ?",
                                             (unit_id, *days)):
                subtract_bucket(deltas, db, unit_id, survey_id, day)
            counted = dict(db.execute("SELECT response_id, day FROM metric_counted WHERE "
                                      "unit_id = ? AND day BETWEEN ? AND ?",
                                      (unit_id, *days)).fetchall())
            for response in feed.countable_by_ids(db, list(counted)):
                add_response(deltas, db, response, feed.document(db, response["version_id"]),
                             counted[response["id"]])
            apply(db, deltas, paths.ancestry(db, {unit_id}))
            db.execute("DELETE FROM metric_drv_backfill WHERE unit_id = ? AND month = ?",
                       (unit_id, month))
        done += 1
    return done
