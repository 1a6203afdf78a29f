"""The org paths the summaries were rolled up along, and re-rolling units that moved.

metric_tree holds each node's subtree sums along the paths stored in metric_paths.
When the org tree changes (a "unit.moved" event, or the periodic check), every node on
an old or new path of a moved unit is rebuilt from the units' own rows along the
current paths, so a moved store counts under its new region only, once.
"""
from ..core.db import transaction
from ..org import units as org_units
from ..org.scope import Scope
from .contrib import MEASURES, Q_MEASURES


def _ids(path):
    return [int(x) for x in path.strip("/").split("/") if x]


def current_paths(db):
    return {u["id"]: u["path"] for u in org_units.list_units(db, Scope(["/"]))}


def ancestry(db, unit_ids):
    """{unit id: [its ancestors' ids and its own]} along the stored paths."""
    unit_ids = list(unit_ids)
    stored = _stored(db, unit_ids)
    missing = [u for u in unit_ids if u not in stored]
    if missing:
        now = current_paths(db)
        for unit_id in missing:
            stored[unit_id] = now[unit_id]
        db.conn.executemany("INSERT OR REPLACE INTO metric_paths (unit_id, path) VALUES (?, ?)",
                            [(u, stored[u]) for u in missing])
    return {u: _ids(stored[u]) for u in unit_ids}


def _stored(db, unit_ids):
    found = {}
    for start in range(0, len(unit_ids), 500):
        chunk = unit_ids[start:start + 500]
        found.update((r[0], r[1]) for r in db.execute(
            f"SELECT unit_id, path FROM metric_paths WHERE unit_id IN "
            f"({','.join('?' * len(chunk))})", chunk))
    return found


def reconcile(db):
    """Re-roll every node affected by units whose path changed. Returns the nodes rebuilt."""
    now = current_paths(db)
    with transaction(db):
        stored = dict(db.execute("SELECT unit_id, path FROM metric_paths").fetchall())
        moved = [u for u, path in stored.items() if u in now and now[u] != path]
        if not moved:
            return []
        affected = sorted({n for u in moved for n in _ids(stored[u]) + _ids(now[u]) if n in now})
        for node in affected:
            rebuild_node(db, node, [u for u, p in now.items() if p.startswith(now[node])])
        db.conn.executemany("UPDATE metric_paths SET path = ? WHERE unit_id = ?",
                            [(now[u], u) for u in moved])
    return affected


# tree table: (own table, the columns besides unit/day, measures)
ROLLED = {"metric_tree": ("metric_own", "survey_id, channel, language", MEASURES),
          "metric_q_tree": ("metric_q_own", "survey_id, question", Q_MEASURES),
          "metric_seg_tree": ("metric_seg_own", "survey_id, field, value", MEASURES),
          "metric_sent_tree": ("metric_sent_own", "survey_id", ("sent", "responded"))}


def rebuild_node(db, node, subtree_ids):
    """Every tree table's rows of one node, from the own rows of its subtree."""
    from . import moments
    moments.rebuild_node(db, node, subtree_ids)
    marks = ",".join("?" * len(subtree_ids))
    for tree, (own, columns, measures) in ROLLED.items():
        db.execute(f"DELETE FROM {tree} WHERE node_id = ?", (node,))
        sums = ", ".join(f"SUM({m})" for m in measures)
        for grain, period in (("D", "day"), ("M", "substr(day, 1, 7)")):
            db.execute(f"INSERT INTO {tree} (node_id, grain, period, {columns}, "
                       f"{', '.join(measures)}) SELECT ?, ?, {period}, {columns}, {sums} "
                       f"FROM {own} WHERE unit_id IN ({marks}) GROUP BY {period}, {columns}",
                       [node, grain, *subtree_ids])
