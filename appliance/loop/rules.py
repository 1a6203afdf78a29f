"""Alert rules: read from the editor's form, checked, stored (audit-logged), paused, tested."""
import json

from flask_babel import lazy_gettext as _l

from ..core import audit, clock
from ..core.db import query_all, query_one, transaction
from ..core.forms import Form
from ..org import lookups
from ..org import units as units_service
from ..org import users as users_service
from ..text import display_names as text_words
from . import conditions
from .sla import PRIORITIES

ROLE_LEVELS = [f"{role}@{level}" for level in range(4)
               for role in ("unit_manager", "programme_manager")]
FIELDS = ("name", "unit_id", "survey_id", "touchpoint", "match", "conditions", "notify_email",
          "notify_app", "open_ticket", "priority", "recipient_roles", "recipient_users",
          "digest_minutes")


def _condition_list(form, data, tag_ids):
    found = []
    for metric in ("nps", "csat", "ces"):
        if data.get(f"c_{metric}"):
            found.append({"kind": "score", "metric": metric,
                          "max": form.integer(f"{metric}_max", *conditions.RANGES[metric])})
    if data.get("c_scale"):
        found.append({"kind": "any_scale", "max": form.integer("scale_max", 1, 10)})
    for kind in ("detractor", "sentiment"):
        if data.get(f"c_{kind}"):
            found.append({"kind": kind})
    if data.get("c_sensitive"):
        found.append({"kind": "sensitive", "categories": _many(data, "sensitive_categories")})
    if data.get("c_tag"):
        found.append({"kind": "tag", "tags": _many(data, "tags")})
    if data.get("c_nps_drop"):
        found.append({"kind": "nps_drop", "points": form.integer("drop_points", 1, 100)})
    if data.get("c_volume_drop"):
        found.append({"kind": "volume_drop", "percent": form.integer("volume_percent", 1, 100)})
    if data.get("c_choice"):
        found.append({"kind": "choice", "question": form.text("choice_question", max_length=40),
                      "choices": [c.strip() for c in data.get("choice_values", "").split(",")
                                  if c.strip()][:20]})
    for condition in found:
        problem = conditions.check(condition, text_words.CATEGORIES, tag_ids)
        if problem:
            form.error(_field_of(condition), problem)
    if not found:
        form.error("conditions", _l("Choose at least one condition."))
    elif conditions.is_unit_rule(found) and not all(c["kind"] in conditions.UNIT_KINDS
                                                     for c in found):
        form.error("conditions", _l("A drop of a store's NPS or volume is checked per store, "
                                    "not per response: make it a rule of its own."))
    return found


def _field_of(condition):
    kind = condition["kind"]
    return {"score": f"{condition.get('metric')}_max", "any_scale": "scale_max",
            "nps_drop": "drop_points", "volume_drop": "volume_percent",
            "sensitive": "sensitive_categories", "tag": "tags",
            "choice": "choice_values"}.get(kind, f"c_{kind}")


def _many(data, name):
    values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
    return [v for v in values if v][:30]


def read_form(db, data, scope, tag_ids):
    """The rule's values from the editor's form, or ValidationError (nothing is saved)."""
    form = Form(data)
    values = {"name": form.text("name", max_length=100),
              "match": form.choice("match", ("all", "any")),
              "priority": form.choice("priority", PRIORITIES),
              "touchpoint": form.text("touchpoint", required=False, max_length=40),
              "digest_minutes": form.integer("digest_minutes", 0, 1440, required=False) or 0,
              "survey_id": form.integer("survey_id", 1, required=False)}
    unit = units_service.get_unit(db, form.integer("unit_id", 1) or 0)
    if unit is None or not scope.contains_path(unit["path"]):
        form.error("unit_id", _l("Choose a unit in your part of the organisation."))
    values["unit_id"] = unit["id"] if unit else None
    values["conditions"] = _condition_list(form, data, tag_ids)
    for flag in ("notify_email", "notify_app", "open_ticket"):
        values[flag] = int(bool(data.get(flag)))
    if not (values["notify_email"] or values["notify_app"] or values["open_ticket"]):
        form.error("notify_email", _l("Choose at least one action."))
    values["recipient_roles"] = [r for r in _many(data, "recipient_roles") if r in ROLE_LEVELS]
    values["recipient_users"] = _named_users(db, form, data.get("recipient_users", ""), scope)
    if (values["notify_email"] or values["notify_app"]) and not (
            values["recipient_roles"] or values["recipient_users"]):
        form.error("recipient_roles", _l("Choose who is notified."))
    form.check()
    return values


def _named_users(db, form, text, scope):
    known = {u["username"].lower(): u["id"] for u in users_service.list_users(db, scope)}
    names = [n.strip() for n in text.replace("，", ",").split(",") if n.strip()]
    unknown = [n for n in names if n.lower() not in known]
    if unknown:
        form.error("recipient_users", _l("Unknown user: %(name)s", name=unknown[0][:64]))
    return [known[n.lower()] for n in names if n.lower() in known]


def _columns(values):
    return {k: json.dumps(v) if isinstance(v, list) else v for k, v in values.items()}


def create(db, values):
    now = clock.now_iso()
    row = {**_columns(values), "created_at": now, "updated_at": now}
    with transaction(db):
        rule_id = db.execute(f"INSERT INTO alert_rules ({', '.join(row)}) VALUES "
                             f"({', '.join('?' * len(row))})", list(row.values())).lastrowid
        audit.record(db, "loop.rule_create", "alert_rule", rule_id, values["unit_id"],
                     after=values)
    return rule_id


def update(db, rule, values):
    row = {**_columns(values), "updated_at": clock.now_iso()}
    with transaction(db):
        db.execute(f"UPDATE alert_rules SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
                   [*row.values(), rule["id"]])
        audit.record(db, "loop.rule_update", "alert_rule", rule["id"], values["unit_id"],
                     before={k: rule[k] for k in FIELDS}, after=values)


def set_paused(db, rule, paused):
    with transaction(db):
        db.execute("UPDATE alert_rules SET paused = ?, updated_at = ? WHERE id = ?",
                   (int(paused), clock.now_iso(), rule["id"]))
        audit.record(db, "loop.rule_pause" if paused else "loop.rule_resume", "alert_rule",
                     rule["id"], rule["unit_id"])


def _parsed(row):
    if row:
        for field in ("conditions", "recipient_roles", "recipient_users"):
            row[field] = json.loads(row[field])
    return row


SELECT = "SELECT r.* FROM alert_rules r"


def _read(db, sql, params=()):
    """Rules with their unit's path, code and name beside them (org's lookups)."""
    return [_parsed(r) for r in lookups.with_unit_fields(db, query_all(db, sql, params))]


def get_rule(db, scope, rule_id):
    where, params = scope.sql("r.unit_id")
    found = _read(db, f"{SELECT} WHERE r.id = ? AND {where}", [rule_id, *params])
    return found[0] if found else None


def list_rules(db, scope):
    where, params = scope.sql("r.unit_id")
    return _read(db, f"{SELECT} WHERE {where} ORDER BY r.id", params)


def active_rules(db):
    """Every rule that is not paused (the evaluation works for the whole appliance)."""
    return _read(db, f"{SELECT} WHERE r.paused = 0 ORDER BY r.id")


def applies(rule, facts, unit_path):
    """Does the rule watch this response (its unit, survey, touchpoint)?"""
    response = facts["response"]
    if conditions.is_unit_rule(rule["conditions"]) or not unit_path.startswith(rule["unit_path"]):
        return False
    return not rule["survey_id"] or rule["survey_id"] == response["survey_id"]


def evaluate(rule, facts):
    """(matched?, what matched); a touchpoint narrows the scale conditions to its questions."""
    if rule["touchpoint"]:
        facts = {**facts, "scales": [s for s in facts["scales"] if s[2] == rule["touchpoint"]]}
    return conditions.rule_matches(rule["match"], rule["conditions"], facts)


def in_words(rule, language):
    return conditions.describe_rule(rule["match"], rule["conditions"], text_words.CATEGORIES,
                                    text_words.tag_names(language))


def prefill(rule):
    """The editor's form fields for a stored rule (the inverse of read_form), as pairs."""
    pairs = [(k, str(rule[k] if rule[k] is not None else "")) for k in
             ("name", "unit_id", "survey_id", "touchpoint", "match", "priority", "digest_minutes")]
    pairs += [(flag, "1") for flag in ("notify_email", "notify_app", "open_ticket") if rule[flag]]
    pairs += [("recipient_roles", r) for r in rule["recipient_roles"]]
    for c in rule["conditions"]:
        kind = c["kind"]
        if kind == "score":
            pairs += [(f"c_{c['metric']}", "1"), (f"{c['metric']}_max", str(c["max"]))]
        elif kind == "any_scale":
            pairs += [("c_scale", "1"), ("scale_max", str(c["max"]))]
        elif kind == "sensitive":
            pairs += [("c_sensitive", "1")] + [("sensitive_categories", x) for x in c["categories"]]
        elif kind == "tag":
            pairs += [("c_tag", "1")] + [("tags", x) for x in c["tags"]]
        elif kind == "nps_drop":
            pairs += [("c_nps_drop", "1"), ("drop_points", str(c["points"]))]
        elif kind == "volume_drop":
            pairs += [("c_volume_drop", "1"), ("volume_percent", str(c["percent"]))]
        elif kind == "choice":
            pairs += [("c_choice", "1"), ("choice_question", c["question"]),
                      ("choice_values", ", ".join(c["choices"]))]
        else:
            pairs.append((f"c_{kind}", "1"))
    return pairs
