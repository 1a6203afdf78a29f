"""O-data: operational series (unit, day, metric, value) beside the experience data."""
from flask_babel import lazy_gettext as _l

from ..core.db import query_one
from . import tree

NAMES = {"waiting_minutes": _l("Waiting time (minutes)"), "sales": _l("Sales"),
         "call_volume": _l("Call volume"), "regulator_complaints": _l("Complaints to the regulator")}


def name_of(metric):
    return str(NAMES.get(metric, metric))


def mean(db, metric, unit, date_from, date_to):
    """The mean daily value of a metric over the unit's subtree and period (None if none)."""
    ids = tree.subtree_ids(db, unit)
    row = query_one(db, f"SELECT AVG(value) AS v FROM odata_values WHERE metric = ? AND day "
                        f"BETWEEN ? AND ? AND unit_id IN ({','.join('?' * len(ids))})",
                    [metric, str(date_from), str(date_to), *ids])
    return row["v"] if row else None


def score(value, node):
    """0-100 between node["low"] (0) and node["high"] (100); reversed when low > high
    (e.g. waiting minutes: low 30, high 5)."""
    if value is None:
        return None
    low, high = float(node.get("low", 0)), float(node.get("high", 100))
    if low == high:
        return None
    return max(0.0, min(100.0, (value - low) / (high - low) * 100))


def metric_names(db):
    return [r[0] for r in db.execute("SELECT DISTINCT metric FROM odata_values ORDER BY metric")]


def means_by_node(db, nodes, metric, date_from, date_to):
    """{node id: mean daily value over its subtree} for each node (one query)."""
    everything = tree.units(db)
    ids = sorted({u for node in nodes for u in tree.subtree_ids(db, node)})
    rows = db.execute(f"SELECT unit_id, SUM(value), COUNT(*) FROM odata_values WHERE metric = ? "
                      f"AND unit_id IN ({','.join('?' * len(ids))}) AND day BETWEEN ? AND ? "
                      f"GROUP BY unit_id", [metric, *ids, str(date_from), str(date_to)]).fetchall()
    wanted = {node["id"]: [0.0, 0] for node in nodes}
    for unit_id, value_sum, n in rows:
        unit = everything.get(unit_id)
        for ancestor in (int(x) for x in unit["path"].strip("/").split("/")) if unit else ():
            if ancestor in wanted:
                wanted[ancestor][0] += value_sum
                wanted[ancestor][1] += n
    return {node_id: (total / n if n else None) for node_id, (total, n) in wanted.items()}


def beside(db, league_rows, date_from, date_to, metric=None):
    """An O-metric next to CSAT across the league's units, with their correlation (kept
    60 s; an import clears it)."""
    from . import cache
    key = (tuple((r["unit"]["id"], r["csat"]["mean"]) for r in league_rows), str(date_from),
           str(date_to), metric)
    return cache.cached(db, "odata", key, 60,
                        lambda: _beside(db, league_rows, date_from, date_to, metric))


def _beside(db, league_rows, date_from, date_to, metric=None):
    from scipy import stats as scipy_stats
    names = metric_names(db)
    metric = metric if metric in names else (names[0] if names else None)
    if metric is None or not league_rows:
        return None
    everything = tree.units(db)
    nodes = [everything[r["unit"]["id"]] for r in league_rows]
    means = means_by_node(db, nodes, metric, date_from, date_to)
    points = [[round(means[r["unit"]["id"]], 2), r["csat"]["mean"], r["unit"]["name"]]
              for r in league_rows if means[r["unit"]["id"]] is not None and r["csat"]["mean"]]
    r_value = None
    if len(points) >= 3 and len({p[0] for p in points}) > 1 and len({p[1] for p in points}) > 1:
        r_value = round(float(scipy_stats.pearsonr([p[0] for p in points],
                                                   [p[1] for p in points]).statistic), 3)
    return {"metric": metric, "o_name": name_of(metric), "x_name": "CSAT", "points": points,
            "r": r_value, "n": len(points)}


def summary(db):
    """[{metric, n, first, last}] what has been imported."""
    from ..core.db import query_all
    return query_all(db, "SELECT metric, COUNT(*) AS n, MIN(day) AS first, MAX(day) AS last "
                         "FROM odata_values GROUP BY metric ORDER BY metric")
