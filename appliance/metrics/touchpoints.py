"""Touchpoint scores: the questions bound to a touchpoint, from the per-question summaries.

A touchpoint's score is the top-2-box share (0-100) of its rating, CES and matrix
answers; its NPS/CSAT/CES in summary() come from its questions of those types.
"""
from .. import stats
from . import catalog, queries, tree

SCALE_TYPES = ("rating", "ces", "matrix")


def _survey_ids(db, unit, survey_id):
    return [survey_id] if survey_id else queries.surveys_with_data(db, unit["id"])


def keys_by_touchpoint(db, survey_ids):
    """{touchpoint: {(survey_id, summary key)}} of the scale questions bound to each."""
    found = {}
    for sid in survey_ids:
        for key, q in catalog.questions(db, sid).items():
            if q["touchpoint"] and q["type"] in SCALE_TYPES:
                keys = [f"{key}.{row}" for row in q["rows"]] if q["type"] == "matrix" else [key]
                found.setdefault(q["touchpoint"], set()).update((sid, k) for k in keys)
    return found


def score_of(cells, keys):
    n = sum(cells[k]["n"] for k in keys if k in cells)
    top = sum(cells[k]["top"] for k in keys if k in cells)
    return {"score": round(100 * top / n, 1) if n else None, "n": n,
            "low_base": stats.is_low_base(n)}


def scores(db, unit, date_from, date_to, survey_id=None):
    """{touchpoint: {score, n, low_base}} for one node."""
    survey_ids = _survey_ids(db, unit, survey_id)
    groups = keys_by_touchpoint(db, survey_ids)
    cells = queries.question_cells(db, [unit["id"]], date_from, date_to, survey_id)[unit["id"]]
    return {tp: score_of(cells, keys) for tp, keys in groups.items()}


def heatmap(db, units, date_from, date_to, survey_id=None):
    survey_ids = sorted({s for u in units for s in _survey_ids(db, u, survey_id)})
    groups = keys_by_touchpoint(db, survey_ids)
    cells = queries.question_cells(db, [u["id"] for u in units], date_from, date_to, survey_id)
    rows = [{"unit": tree.public(u), "cells": {tp: score_of(cells.get(u["id"], {}), keys)
                                               for tp, keys in groups.items()}} for u in units]
    return {"touchpoints": sorted(groups), "rows": rows}


def summary(db, unit, date_from, date_to, survey_id, touchpoint):
    """The metrics API body restricted to the questions bound to one touchpoint."""
    survey_ids = _survey_ids(db, unit, survey_id)
    bound = catalog.touchpoint_questions(db, survey_ids, touchpoint)
    cells = queries.question_cells(db, [unit["id"]], date_from, date_to, survey_id)[unit["id"]]
    def total(kinds):
        keys = [(sid, key) for sid, key, q in bound if q["type"] in kinds]
        return {m: sum(cells.get(k, {}).get(m, 0) for k in keys)
                for m in ("n", "total", "squares", "top", "bottom")}
    nps, csat, ces = total(("nps",)), total(("rating",)), total(("ces",))
    n = max(nps["n"], csat["n"], ces["n"])
    nps_result = stats.nps_of(nps["top"], nps["n"] - nps["top"] - nps["bottom"], nps["bottom"])
    csat_mean = stats.mean_of(csat["n"], csat["total"], csat["squares"])
    ces_mean = stats.mean_of(ces["n"], ces["total"], ces["squares"])
    return {"responses": n, "touchpoint": touchpoint, "nps": nps_result.as_dict(),
            "csat": {"mean": _r(csat_mean.mean), "top2": _share(csat["top"], csat["n"]),
                     "n": csat["n"], "low_base": csat_mean.low_base},
            "ces": {"mean": _r(ces_mean.mean), "easy": _share(ces["top"], ces["n"]),
                    "n": ces["n"], "low_base": ces_mean.low_base}}


def _share(hits, n):
    return round(hits / n, 4) if n else None


def _r(value):
    return None if value is None else round(value, 3)


def trend(db, unit, date_from, date_to, touchpoint, grain, survey_id=None):
    """[{period, score, n}] of one touchpoint's top-2-box share by day/week/month."""
    from . import periods
    keys = keys_by_touchpoint(db, _survey_ids(db, unit, survey_id)).get(touchpoint, set())
    monthly = grain in ("month", "quarter", "year")
    rows = queries.question_by_period(db, unit["id"], date_from, date_to, keys, monthly=monthly)
    merged = {label: [0, 0] for label in periods.buckets(date_from, date_to, grain)}
    for period, sums in rows:
        label = periods.label_of(period + ("-01" if monthly else ""), grain)
        if label in merged:
            merged[label][0] += sums["top"]
            merged[label][1] += sums["n"]
    return [{"period": label, "score": round(100 * top / n, 1) if n else None, "n": n}
            for label, (top, n) in merged.items()]
