"""Key drivers of the overall score (NPS, else CSAT) by Johnson's relative weights.

The regression reads the driver moments (moments.py: n, sums and sums of products of the
complete cases, kept by the job runner like every summary) of the node's subtree over
the period, so it covers every complete answer and reads no raw response; below
MIN_BASE complete answers it says why it cannot run.
"""
from .. import stats
from . import catalog, moments, queries

MIN_BASE = 50


def analyse(db, unit, date_from, date_to, survey_id=None):
    survey_ids = [survey_id] if survey_id else queries.surveys_with_data(db, unit["id"])
    if not survey_ids:
        return {"ok": False, "reason": "no_data", "drivers": [], "n": 0}
    sid = survey_ids[0]
    questions = catalog.questions(db, sid)
    outcome, keys = moments.outcome_and_drivers(questions)
    if outcome is None or len(keys) < 2:
        return {"ok": False, "reason": "no_drivers", "drivers": [], "n": 0}
    if moments.filling(db):
        return {"ok": False, "reason": "filling", "drivers": [], "n": 0, "min_base": MIN_BASE}
    n, sums, products = moments.read(db, unit["id"], date_from, date_to, sid, (outcome, *keys))
    result = stats.relative_weights_from_moments(n, sums, products, min_base=MIN_BASE)
    if result.reason:
        return {"ok": False, "reason": result.reason, "drivers": [], "n": result.n,
                "min_base": MIN_BASE}
    means = [float(total) / n for total in sums[1:]]
    drivers = [{"key": k, "text": questions[k]["text"], "touchpoint": questions[k]["touchpoint"],
                "importance": round(share, 4), "weight": round(w, 4),
                "performance": round(stats.normalise(m, "mean", questions[k]["scale"]), 1)}
               for k, share, w, m in zip(keys, result.shares, result.weights, means)]
    drivers.sort(key=lambda d: -d["importance"])
    return {"ok": True, "outcome": outcome, "r2": round(result.r2, 4), "n": result.n,
            "drivers": drivers}
