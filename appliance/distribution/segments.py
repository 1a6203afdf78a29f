"""A segment's saved filter: conditions over contact attributes (all or any of them) and
conditions on history, checked with a message per condition and turned into SQL.

    {"match": "all"|"any",
     "conditions": [{"attribute": "level", "op": "equals", "value": "gold"}, ...],
     "language": "zh_CN", "responded_days": 90, "not_responded_days": 30,
     "last_nps": "detractor"}

op: equals, in (a list of values), contains, before / after (a date, YYYY-MM-DD, compared
with the attribute's first ten characters), empty (absent or ''). The attribute conditions
combine by "match"; language and history always all apply. A single-attribute segment of
before (attribute, value) is read as one "equals" condition (migration 0056 rewrote them).
"""
import json
import re
from datetime import date

from flask_babel import lazy_gettext as _l

from ..core import clock

ATTRIBUTE = re.compile(r"^[A-Za-z0-9_\u4e00-\u9fff]{1,40}$")
OPS = ("equals", "in", "contains", "before", "after", "empty")
MAX_CONDITIONS, MAX_IN_VALUES, MAX_VALUE = 10, 50, 200
LAST_SCORE = {"detractor": "<= 6", "passive": "BETWEEN 7 AND 8", "promoter": ">= 9"}
LAST_NPS = ("(SELECT i.nps FROM invitations i WHERE i.contact_id = c.id AND i.responded_at "
            "IS NOT NULL ORDER BY i.responded_at DESC LIMIT 1)")
SPLIT = re.compile(r"[,，;；\n]")


def conditions_of(rule):
    """The attribute conditions of a saved filter (a legacy single attribute included)."""
    found = list(rule.get("conditions") or [])
    if rule.get("attribute"):
        found.append({"attribute": rule["attribute"], "op": "equals",
                      "value": rule.get("value", "")})
    return found


def _check_value(op, value):
    """(clean value, error message or None) for one condition's value."""
    text = str(value if value is not None else "").strip()
    if op == "empty":
        return "", None
    if op == "in":
        values = [v.strip() for v in SPLIT.split(text) if v.strip()]
        if not values or len(values) > MAX_IN_VALUES or any(len(v) > MAX_VALUE for v in values):
            return values, _l("list 1 to %(n)s values, separated by commas.", n=MAX_IN_VALUES)
        return values, None
    if op in ("before", "after"):
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return text, _l("enter a date as YYYY-MM-DD, e.g. 2026-12-31.")
    if not text or len(text) > MAX_VALUE:
        return text, _l("enter a value (at most %(n)s characters), or choose \"is empty\".",
                        n=MAX_VALUE)
    return text, None


def _check_condition(raw):
    """(clean condition, error message or None)."""
    attribute, op = str(raw.get("attribute", "")).strip(), raw.get("op") or "equals"
    if not ATTRIBUTE.match(attribute):
        return None, _l("attribute names are letters, digits and _ (at most 40).")
    if op not in OPS:
        return None, _l("choose how to compare.")
    value, problem = _check_value(op, raw.get("value"))
    return {"attribute": attribute, "op": op, "value": value}, problem


def _blank(raw):
    return not str(raw.get("attribute", "")).strip() and \
        not str(raw.get("value", "") or "").strip()


def check_conditions(raw_conditions, errors):
    clean = []
    rows = [c for c in raw_conditions if not _blank(c)]
    if len(rows) > MAX_CONDITIONS:
        errors["conditions"] = _l("At most %(n)s conditions.", n=MAX_CONDITIONS)
    for number, raw in enumerate(rows[:MAX_CONDITIONS], start=1):
        condition, problem = _check_condition(raw)
        if problem:
            errors[f"condition_{number}"] = _l("Condition %(n)s: %(problem)s", n=number,
                                               problem=problem)
        else:
            clean.append(condition)
    return clean


def check_filter(raw):
    """The saved filter of a segment, checked; ValidationError-ready errors filled in."""
    errors, clean = {}, {"match": "any" if raw.get("match") == "any" else "all"}
    clean["conditions"] = check_conditions(conditions_of(raw), errors)
    if raw.get("language"):
        if raw["language"] in ("zh_CN", "en"):
            clean["language"] = raw["language"]
        else:
            errors["language"] = _l("Language: zh_CN or en.")
    for name in ("responded_days", "not_responded_days"):
        if raw.get(name) not in (None, ""):
            try:
                clean[name] = int(raw[name])
                assert 1 <= clean[name] <= 3650
            except (ValueError, AssertionError):
                errors[name] = _l("Enter a number of days from 1 to 3650.")
    if raw.get("last_nps"):
        if raw["last_nps"] not in LAST_SCORE:
            errors["last_nps"] = _l("Choose detractor, passive or promoter.")
        clean["last_nps"] = raw["last_nps"]
    return clean, errors


def _attribute_sql(condition):
    """(SQL over contacts c, params) for one attribute condition."""
    path, op, value = f'$."{condition["attribute"]}"', condition["op"], condition["value"]
    field = "json_extract(c.attributes, ?)"
    if op == "equals":
        return f"{field} = ?", [path, value]
    if op == "in":
        return f"{field} IN ({', '.join('?' * len(value))})", [path, *value]
    if op == "contains":
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", value.lower()) + "%"
        return f"LOWER({field}) LIKE ? ESCAPE '\\'", [path, pattern]
    if op == "empty":
        return f"COALESCE({field}, '') = ''", [path]
    compare = "<" if op == "before" else ">"
    return (f"({field} LIKE '____-__-__%' AND SUBSTR({field}, 1, 10) {compare} ?)",
            [path, path, value])


def rule_sql(rule):
    """(list of SQL clauses over contacts c, params) selecting the segment's contacts."""
    clauses, params = [], []
    parts = [_attribute_sql(c) for c in conditions_of(rule)]
    if parts:
        joiner = " OR " if rule.get("match") == "any" else " AND "
        clauses.append("(" + joiner.join(sql for sql, _ in parts) + ")")
        params += [p for _, ps in parts for p in ps]
    if rule.get("language"):
        clauses.append("c.language = ?")
        params.append(rule["language"])
    for name, negate in (("responded_days", ""), ("not_responded_days", "NOT ")):
        if rule.get(name):
            clauses.append(f"{negate}EXISTS (SELECT 1 FROM invitations i WHERE i.contact_id = "
                           f"c.id AND i.responded_at >= ?)")
            params.append(clock.in_seconds(-86400 * rule[name]))
    if rule.get("last_nps"):
        clauses.append(f"{LAST_NPS} {LAST_SCORE[rule['last_nps']]}")
    return clauses, params


def from_form(form):
    """The raw filter from the segment form: rows of attribute/op/value fields."""
    raw = {k: form.get(k, "") for k in ("match", "language", "responded_days",
                                        "not_responded_days", "last_nps")}
    raw["conditions"] = [{"attribute": a, "op": o, "value": v} for a, o, v in zip(
        form.getlist("attribute"), form.getlist("op"), form.getlist("value"))]
    return raw


def dumps(rule):
    return json.dumps(rule, ensure_ascii=False)
