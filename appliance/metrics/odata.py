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
