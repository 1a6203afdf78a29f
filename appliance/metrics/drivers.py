"""Key drivers of the overall score (NPS, else CSAT) by Johnson's relative weights.

The regression needs answers, not sums: it reads the latest `sample` complete responses
of the node's subtree in the period (through collection.feed) and says why when the base
is too small.
"""
import json

from .. import stats
from ..collection import feed
from . import catalog, queries, store, tree

MIN_BASE = 50


def _outcome_and_drivers(questions):
    outcome = next((k for k, q in questions.items() if q["metric"] == "nps"), None) or \
        next((k for k, q in questions.items() if q["metric"] == "csat"), None)
    drivers = [k for k, q in questions.items() if q["metric"] == "driver" and k != outcome]
    return outcome, drivers


def analyse(db, unit, date_from, date_to, survey_id=None, sample=5000):
    survey_ids = [survey_id] if survey_id else queries.surveys_with_data(db, unit["id"])
    if not survey_ids:
        return {"ok": False, "reason": "no_data", "drivers": [], "n": 0}
    sid = survey_ids[0]
    questions = catalog.questions(db, sid)
    outcome, keys = _outcome_and_drivers(questions)
    if outcome is None or len(keys) < 2:
        return {"ok": False, "reason": "no_drivers", "drivers": [], "n": 0}
    tz = store.zone(db)
    start, end = store.day_bounds(str(date_from), tz)[0], store.day_bounds(str(date_to), tz)[1]
    rows = feed.sample_answers(db, tree.subtree_ids(db, unit), sid, start, end, sample)
    x, y = [], []
    for row in rows:
        answers = json.loads(row["answers"])
        values = [answers.get(k) for k in [outcome] + keys]
        if all(isinstance(v, (int, float)) for v in values):
            y.append(values[0])
            x.append(values[1:])
    result = stats.relative_weights_from_data(x, y, min_base=MIN_BASE) if x else \
        stats.DriversResult(None, None, None, 0, "low_base")
    if result.reason:
        return {"ok": False, "reason": result.reason, "drivers": [], "n": result.n,
                "min_base": MIN_BASE}
    means = [sum(col) / len(col) for col in zip(*x)]
    drivers = [{"key": k, "text": questions[k]["text"], "touchpoint": questions[k]["touchpoint"],
                "importance": round(share, 4), "weight": round(w, 4),
                "performance": round(stats.normalise(m, "mean", questions[k]["scale"]), 1)}
               for k, share, w, m in zip(keys, result.shares, result.weights, means)]
    drivers.sort(key=lambda d: -d["importance"])
    return {"ok": True, "outcome": outcome, "r2": round(result.r2, 4), "n": result.n,
            "drivers": drivers}
