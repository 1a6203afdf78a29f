"""What the summaries' question keys mean: each survey's questions from its latest version.

{survey_id: {key: {"type", "metric", "touchpoint", "scale", "text"}}} read through the
surveys domain's service, once per published version per process.
"""
from ..surveys import service as surveys

_CACHE = {}


def questions(db, survey_id):
    """Read once per request (an indicator trend asks for every node of every bucket)."""
    from flask import g, has_request_context
    if not has_request_context():
        return _questions(db, survey_id)
    memo = g.setdefault("metrics_catalog", {})
    if survey_id not in memo:
        memo[survey_id] = _questions(db, survey_id)
    return memo[survey_id]


def _questions(db, survey_id):
    version = surveys.published_version(db, survey_id)
    if version is None:
        return {}
    key = (getattr(db, "path", None), version["id"])
    if key not in _CACHE:
        _CACHE[key] = _index(version["document"])
    return _CACHE[key]


def _index(doc):
    found = {}
    for page in doc.get("pages", []):
        for q in page["questions"]:
            scale = q.get("scale")
            found[q["key"]] = {
                "key": q["key"], "type": q["type"], "metric": q.get("metric"),
                "touchpoint": q.get("touchpoint"), "text": q.get("text", {}),
                "scale": max(p["value"] for p in scale) if isinstance(scale, list)
                else (scale or (10 if q["type"] == "nps" else 7 if q["type"] == "ces" else 5)),
                "choices": [c["key"] for c in q.get("choices", [])],
                "rows": [r["key"] for r in q.get("rows", [])]}
    return found


def touchpoint_questions(db, survey_ids, touchpoint):
    """[(survey_id, key, question)] of the questions bound to a touchpoint."""
    return [(sid, key, q) for sid in survey_ids for key, q in questions(db, sid).items()
            if q["touchpoint"] == touchpoint]


def by_touchpoint(db, survey_ids):
    """{(survey_id, question key): touchpoint} of every bound scale question."""
    return {(sid, key): q["touchpoint"] for sid in survey_ids
            for key, q in questions(db, sid).items()
            if q["touchpoint"] and q["type"] in ("rating", "nps", "ces", "matrix")}


def survey_name(db, survey_id):
    survey = surveys.get_survey(db, survey_id)
    return survey["name"] if survey else str(survey_id)
