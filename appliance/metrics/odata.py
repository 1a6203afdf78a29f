"""O-data: operational series (unit, day, metric, value) beside the experience data."""
from ..core.db import query_one
from . import tree


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
    rows = db.execute("SELECT unit_id, SUM(value), COUNT(*) FROM odata_values WHERE metric = ? "
                      "AND day BETWEEN ? AND ? GROUP BY unit_id",
                      (metric, str(date_from), str(date_to))).fetchall()
    everything = tree.units(db)
    found = {}
    for node in nodes:
        total = count = 0
        for unit_id, value_sum, n in rows:
            if unit_id in everything and everything[unit_id]["path"].startswith(node["path"]):
                total, count = total + value_sum, count + n
        found[node["id"]] = total / count if count else None
    return found


def beside(db, league_rows, date_from, date_to, metric=None):
    """An O-metric next to CSAT across the league's units, with their correlation."""
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
    return {"metric": metric, "o_name": metric, "x_name": "CSAT", "points": points,
            "r": r_value, "n": len(points)}
