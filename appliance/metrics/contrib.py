"""What one response adds to the summaries: its cell measures and its per-question measures.

Pure: a response row (as collection.feed returns it) and its version's document in,
plain dicts out. The version the respondent answered decides each question's type and
scale, so a survey whose questions changed between versions is counted as answered.
"""
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from ..stats import nps_category

MEASURES = ("responses", "nps_n", "promoters", "passives", "detractors", "csat_n", "csat_sum",
            "csat_sq", "csat_top2", "ces_n", "ces_sum", "ces_sq", "ces_easy")
Q_MEASURES = ("n", "total", "squares", "top", "bottom")
NUMERIC = ("nps", "rating", "ces", "number")
CHOICE = ("single_choice", "dropdown", "multiple_choice")
# hidden fields summarised as segments: a few values each (never an order or customer id)
SEGMENT_FIELDS = ("channel", "member_level", "segment", "tier", "customer_type", "store_type")
SEGMENT_VALUE_MAX = 40


def local_day(submitted_at, zone):
    """The ISO UTC timestamp's date in the organisation's time zone (YYYY-MM-DD)."""
    moment = datetime.fromisoformat(submitted_at.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone).date().isoformat()


def segments_of(response):
    """[(field, value)] of the response's hidden fields that are segments."""
    hidden = response.get("hidden")
    if isinstance(hidden, str):
        try:
            hidden = json.loads(hidden or "{}")
        except ValueError:
            return []
    if not isinstance(hidden, dict):
        return []
    return [(field, str(hidden[field])) for field in SEGMENT_FIELDS
            if hidden.get(field) not in (None, "") and len(str(hidden[field])) <= SEGMENT_VALUE_MAX]


def _scale(doc, metric, default):
    for page in doc.get("pages", []):
        for q in page["questions"]:
            if q.get("metric") == metric:
                return int(q.get("scale") or default) if not isinstance(q.get("scale"), list) \
                    else max(p["value"] for p in q["scale"])
    return default


def cell(response, doc):
    """{measure: value} of one response for metric_own / metric_tree."""
    values = dict.fromkeys(MEASURES, 0)
    values["responses"] = 1
    if response["nps"] is not None:
        values["nps_n"] = 1
        values[nps_category(response["nps"]) + "s"] = 1
    for metric, default, top_name, top_from in (("csat", 5, "csat_top2", 1), ("ces", 7, "ces_easy", 2)):
        value = response[metric]
        if value is not None:
            scale = _scale(doc, metric, default)
            values[f"{metric}_n"] = 1
            values[f"{metric}_sum"] = float(value)
            values[f"{metric}_sq"] = float(value) ** 2
            values[top_name] = int(value >= scale - top_from)
    return values


def _numeric(value, top_from, bottom_to):
    value = float(value)
    return {"n": 1, "total": value, "squares": value * value, "top": int(value >= top_from),
            "bottom": int(value <= bottom_to)}


def _bounds(q):
    if q["type"] == "nps":
        return 9, 6
    if q["type"] == "ces":
        scale = int(q.get("scale") or 7)
        return scale - 2, 3
    scale = q.get("scale") or 5
    top = max(p["value"] for p in scale) if isinstance(scale, list) else int(scale)
    return top - 1, (1 if top <= 3 else 2)


def questions(response, doc):
    """{question key: {measure: value}}: numeric questions, matrix rows ("q4.row") and
    each choice of a choice question ("q8=yes": n answered, top chosen)."""
    answers = json.loads(response["answers"]) if isinstance(response["answers"], str) \
        else response["answers"]
    found = {}
    for page in doc.get("pages", []):
        for q in page["questions"]:
            value = answers.get(q["key"])
            if value is None or value == "":
                continue
            found.update(_question(q, value))
    return found


def _question(q, value):
    kind = q["type"]
    if kind in NUMERIC and isinstance(value, (int, float)) and not isinstance(value, bool):
        if kind == "number":
            return {q["key"]: _numeric(value, float("inf"), float("-inf"))}
        return {q["key"]: _numeric(value, *_bounds(q))}
    if kind == "matrix" and isinstance(value, dict):
        top, bottom = _bounds(q)
        return {f"{q['key']}.{row}": _numeric(v, top, bottom) for row, v in value.items()
                if isinstance(v, (int, float)) and not isinstance(v, bool)}
    if kind in CHOICE:
        chosen = set(value) if isinstance(value, list) else {value}
        return {f"{q['key']}={c['key']}": {"n": 1, "total": 0.0, "squares": 0.0,
                                           "top": int(c["key"] in chosen), "bottom": 0}
                for c in q.get("choices", [])}
    return {}
