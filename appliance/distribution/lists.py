"""Lists (static members) and segments (saved filters on attributes and on history).

History is the distribution domain's own: each invitation learns that it was answered, and
its NPS, from the collection domain's "response.accepted" event (tracking.py), so a segment
never reads the collection's tables.
"""
import json
import re

from flask_babel import lazy_gettext as _l

from ..core import audit, clock
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError
from ..org import lookups

ATTRIBUTE = re.compile(r"^[A-Za-z0-9_\u4e00-\u9fff]{1,40}$")
LAST_SCORE = {"detractor": "<= 6", "passive": "BETWEEN 7 AND 8", "promoter": ">= 9"}
LAST_NPS = ("(SELECT i.nps FROM invitations i WHERE i.contact_id = c.id AND i.responded_at "
            "IS NOT NULL ORDER BY i.responded_at DESC LIMIT 1)")


def check_filter(raw):
    """The saved filter of a segment, checked: {language, attribute, value, responded_days,
    not_responded_days, last_nps}."""
    errors, clean = {}, {}
    if raw.get("language"):
        clean["language"] = raw["language"] if raw["language"] in ("zh_CN", "en") else \
            errors.setdefault("language", _l("Language: zh_CN or en."))
    if raw.get("attribute"):
        if not ATTRIBUTE.match(raw["attribute"]):
            errors["attribute"] = _l("Attribute names: letters, digits and _ (at most 40).")
        clean["attribute"], clean["value"] = raw["attribute"], str(raw.get("value", ""))[:200]
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
    if errors:
        raise ValidationError(errors)
    return clean


def members_sql(contact_list, unit_path):
    """(WHERE fragment over contacts c, params) selecting the list's members in its unit."""
    where, params = lookups.path_sql(unit_path, "c.unit_id")
    clauses, params = [where], list(params)
    if contact_list["kind"] == "static":
        clauses.append("c.id IN (SELECT contact_id FROM list_members WHERE list_id = ?)")
        params.append(contact_list["id"])
        return " AND ".join(clauses), params
    rule = json.loads(contact_list["filter"])
    if rule.get("language"):
        clauses.append("c.language = ?")
        params.append(rule["language"])
    if rule.get("attribute"):
        clauses.append("json_extract(c.attributes, ?) = ?")
        params += [f'$."{rule["attribute"]}"', rule["value"]]
    for name, negate in (("responded_days", ""), ("not_responded_days", "NOT ")):
        if rule.get(name):
            clauses.append(f"{negate}EXISTS (SELECT 1 FROM invitations i WHERE i.contact_id = "
                           f"c.id AND i.responded_at >= ?)")
            params.append(clock.in_seconds(-86400 * rule[name]))
    if rule.get("last_nps"):
        clauses.append(f"{LAST_NPS} {LAST_SCORE[rule['last_nps']]}")
    return " AND ".join(clauses), params


def list_lists(db, scope):
    where, params = scope.sql("l.unit_id")
    rows = lookups.with_unit_fields(db, query_all(
        db, f"SELECT l.* FROM contact_lists l WHERE {where} ORDER BY l.id", params))
    for row in rows:
        row["members"] = count_members(db, row)
        row["rule"] = json.loads(row["filter"])
    return rows


def get_list(db, scope, list_id):
    where, params = scope.sql("l.unit_id")
    row = query_one(db, f"SELECT l.* FROM contact_lists l WHERE l.id = ? AND {where}",
                    [list_id, *params])
    return lookups.with_unit_fields(db, [row])[0] if row else None


def count_members(db, contact_list):
    where, params = members_sql(contact_list, contact_list["unit_path"])
    return db.execute(f"SELECT COUNT(*) FROM contacts c WHERE {where}", params).fetchone()[0]


def create(db, unit, name, kind, rule=None):
    if not name or len(name) > 100:
        raise ValidationError({"name": _l("Name is required, at most 100 characters.")})
    rule = check_filter(rule or {}) if kind == "segment" else {}
    with transaction(db):
        list_id = db.execute("INSERT INTO contact_lists (unit_id, name, kind, filter, created_at) "
                             "VALUES (?, ?, ?, ?, ?)",
                             (unit["id"], name, kind, json.dumps(rule, ensure_ascii=False),
                              clock.now_iso())).lastrowid
        audit.record(db, "list.create", "contact_list", list_id, unit["id"],
                     after={"name": name, "kind": kind, "filter": rule})
    return list_id


def add_members(db, list_id, contact_ids):
    """In the caller's transaction (the import adds what it imported)."""
    db.conn.executemany("INSERT INTO list_members (list_id, contact_id) VALUES (?, ?) "
                        "ON CONFLICT DO NOTHING", [(list_id, cid) for cid in contact_ids])


def by_name(db, unit, name):
    return query_one(db, "SELECT * FROM contact_lists WHERE unit_id = ? AND name = ? AND "
                         "kind = 'static'", (unit["id"], name))
