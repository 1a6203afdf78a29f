"""Alert conditions: checked when a rule is saved, matched against a response's facts, and
read back in words. Pure (no Flask app or database needed; words are lazy translations).

Facts (loop.facts): {"nps", "csat", "ces": number or None, "scales": [(key, value, touchpoint)],
"choices": {key: [choice keys]}, "sensitive": [{"category", "word"}], "negative": bool,
"tags": {tag ids}}.
Conditions: {"kind": "score", "metric": "nps"|"csat"|"ces", "max": n} | {"kind": "any_scale",
"max": n} | {"kind": "detractor"} | {"kind": "sensitive", "categories": [..] (empty: any)} |
{"kind": "sentiment"} (negative) | {"kind": "tag", "tags": [..]} |
{"kind": "choice", "question": key, "choices": [..]}.
Unit conditions (loop.drops, checked for each store by the metric-rules job, never mixed
with the above): {"kind": "nps_drop", "points": n} (the last 7 days' NPS at least n points
below the 90 days before, and the fall significant) | {"kind": "volume_drop", "percent": n}
(the last 7 days' responses below n % of the usual, and significantly so).
"""
from ..stats import nps_category
from flask_babel import lazy_gettext as _l

RANGES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "any_scale": (1, 10)}
METRIC_NAMES = {"nps": "NPS", "csat": "CSAT", "ces": "CES"}
KINDS = ("score", "any_scale", "detractor", "sensitive", "sentiment", "tag", "choice",
         "nps_drop", "volume_drop")
UNIT_KINDS = ("nps_drop", "volume_drop")   # about a unit's period, checked by a job


def check(condition, categories=(), tags=()):
    """A message for a bad condition, or None."""
    kind = condition.get("kind")
    if kind not in KINDS:
        return _l("Unknown condition.")
    if kind in ("score", "any_scale"):
        key = condition.get("metric") if kind == "score" else "any_scale"
        if key not in RANGES:
            return _l("Choose NPS, CSAT or CES.")
        low, high = RANGES[key]
        value = condition.get("max")
        if not isinstance(value, int) or not low <= value <= high:
            return _l("The threshold must be a whole number from %(lo)s to %(hi)s.", lo=low, hi=high)
    if kind == "sensitive" and set(condition.get("categories", [])) - set(categories):
        return _l("Choose sensitive-word categories from the list.")
    if kind == "tag" and (not condition.get("tags") or set(condition["tags"]) - set(tags)):
        return _l("Choose at least one tag from the taxonomy.")
    if kind == "choice" and not (condition.get("question") and condition.get("choices")):
        return _l("Name the question and at least one choice.")
    if kind in UNIT_KINDS:
        field = "points" if kind == "nps_drop" else "percent"
        if not isinstance(condition.get(field), int) or not 1 <= condition[field] <= 100:
            return _l("The threshold must be a whole number from %(lo)s to %(hi)s.", lo=1, hi=100)
    return None


def is_unit_rule(conditions):
    return any(c["kind"] in UNIT_KINDS for c in conditions)


def matches(condition, facts):
    """What matched (a short list of strings for the alert), or [] when it did not."""
    kind = condition["kind"]
    if kind == "score":
        value = facts.get(condition["metric"])
        return [f"{condition['metric']}={value}"] if value is not None and \
            value <= condition["max"] else []
    if kind == "any_scale":
        return [f"{key}={value}" for key, value, _tp in facts["scales"]
                if value <= condition["max"]]
    if kind == "detractor":
        nps = facts.get("nps")
        return [f"nps={nps}"] if nps is not None and nps_category(nps) == "detractor" else []
    if kind in UNIT_KINDS:
        return _unit_matches(condition, facts.get("unit"))
    if kind == "sensitive":
        wanted = set(condition.get("categories") or [])
        return [f"{s['category']}:{s['word']}" for s in facts["sensitive"]
                if not wanted or s["category"] in wanted]
    if kind == "sentiment":
        return ["negative"] if facts["negative"] else []
    if kind == "tag":
        return sorted(set(condition["tags"]) & facts["tags"])
    chosen = facts["choices"].get(condition["question"], [])
    return [f"{condition['question']}={c}" for c in chosen if c in condition["choices"]]


def _unit_matches(condition, unit):
    """unit (loop.drops.unit_facts): the store's last 7 days against the 90 days before."""
    if not unit:
        return []
    if condition["kind"] == "nps_drop":
        change = unit["nps_change"]
        if change["delta"] is not None and change["significant"] and \
                change["delta"] <= -condition["points"]:
            return [f"NPS {unit['nps_before']:.0f} -> {unit['nps_now']:.0f}"]
        return []
    volume = unit["volume"]
    if volume["significant"] and volume["now"] < volume["expected"] * condition["percent"] / 100:
        return [f"responses {volume['now']} / {volume['expected']:.0f}"]
    return []


def rule_matches(match, conditions, facts):
    """(matched?, what matched) for all/any of the conditions."""
    found = [matches(c, facts) for c in conditions]
    hit = all(found) if match == "all" else any(found)
    return bool(conditions) and hit, [item for items in found for item in items]


def describe(condition, category_names=None, tag_names=None):
    """One condition in words."""
    kind = condition["kind"]
    if kind == "score":
        return _l("%(metric)s is %(n)s or lower", metric=METRIC_NAMES[condition["metric"]],
                  n=condition["max"])
    if kind == "any_scale":
        return _l("any rating or matrix row is %(n)s or lower", n=condition["max"])
    if kind == "detractor":
        return _l("the customer is a detractor (NPS 0-6)")
    if kind == "sensitive":
        names = [str((category_names or {}).get(c, c)) for c in condition.get("categories") or []]
        return _l("the text has a sensitive word (%(which)s)", which=", ".join(names)) if names \
            else _l("the text has any sensitive word")
    if kind == "sentiment":
        return _l("the text is negative")
    if kind == "tag":
        names = [str((tag_names or {}).get(t, t)) for t in condition["tags"]]
        return _l("the text is tagged %(tags)s", tags=", ".join(names))
    if kind == "nps_drop":
        return _l("the last 7 days' NPS is %(n)s points or more below the 90 days before "
                  "(significant)", n=condition["points"])
    if kind == "volume_drop":
        return _l("the last 7 days bring fewer than %(n)s %% of the usual responses "
                  "(significant)", n=condition["percent"])
    return _l("question %(q)s is answered %(choices)s", q=condition["question"],
              choices=", ".join(condition["choices"]))


def describe_rule(match, conditions, category_names=None, tag_names=None):
    parts = [str(describe(c, category_names, tag_names)) for c in conditions]
    if len(parts) == 1:
        return str(_l("When %(what)s", what=parts[0]))
    joiner = str(_l(" and ")) if match == "all" else str(_l(" or "))
    return str(_l("When %(what)s", what=joiner.join(parts)))
