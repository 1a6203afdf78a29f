"""The indicator tree's top index over time (day, week or month buckets): each bucket's
summed measures are read once for the whole range (two queries), then the tree is
evaluated bucket by bucket exactly as indicators.evaluate does for one period."""
from collections import defaultdict
from datetime import timedelta

from . import indicators, periods, queries
from .contrib import MEASURES, Q_MEASURES

GRAINS = ("day", "week", "month")


def index_trend(db, unit, date_from, date_to, grain, survey_id=None):
    """{"index": {key, name_zh, name_en, target} | None, "grain", "points": [{period, score,
    n, rag}]}."""
    tree = indicators.current(db)
    if tree is None:
        return {"index": None, "grain": grain, "points": []}
    monthly = grain == "month"
    cells = _merge(queries.cells_by_period(db, unit["id"], date_from, date_to, survey_id,
                                           monthly=monthly), grain, monthly, MEASURES)
    q_rows = queries.question_rows_by_period(db, unit["id"], date_from, date_to, monthly)
    q_cells = defaultdict(lambda: defaultdict(lambda: dict.fromkeys(Q_MEASURES, 0)))
    for period, key, sums in q_rows:
        target = q_cells[_label(period, grain, monthly)][key]
        for m in Q_MEASURES:
            target[m] += sums[m]
    points, head = [], None
    for label, (first, last) in _spans(date_from, date_to, grain):
        evaluated = indicators.evaluate_sums(db, tree, unit, cells.get(label) or _zero(),
                                             q_cells.get(label, {}), first, last)
        head = evaluated[0] if evaluated else None
        points.append({"period": label, "score": head and head["score"],
                       "n": head and head["n"], "rag": head["rag"] if head else "none"})
    index = None
    if head:
        index = {k: head[k] for k in ("key", "name_zh", "name_en", "target")}
    return {"index": index, "grain": grain, "points": points}


def _label(period, grain, monthly):
    return periods.label_of(period + ("-01" if monthly else ""), grain)


def _merge(rows, grain, monthly, measures):
    merged = {}
    for period, sums in rows:
        label = _label(period, grain, monthly)
        total = merged.setdefault(label, dict.fromkeys(measures, 0))
        for m in measures:
            total[m] += sums[m]
    return merged


def _spans(date_from, date_to, grain):
    """[(label, (first day, last day))] of the buckets, clipped to the range."""
    start, end = periods.parse(date_from), periods.parse(date_to)
    spans, cursor = {}, start
    while cursor <= end:
        label = periods.label_of(cursor, grain)
        first, _last = spans.get(label, (cursor, cursor))
        spans[label] = (first, cursor)
        cursor += timedelta(days=1)
    return list(spans.items())


def _zero():
    return dict.fromkeys(MEASURES, 0)
