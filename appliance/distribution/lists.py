"""Lists (static members) and segments (saved filters on attributes and on history).

History is the distribution domain's own: each invitation learns that it was answered, and
its NPS, from the collection domain's "response.accepted" event (tracking.py), so a segment
never reads the collection's tables.
"""
import json

from flask_babel import lazy_gettext as _l

from ..core import audit, clock
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError
from ..org import lookups
from . import segments


def check_filter(raw):
    """The saved filter of a segment, checked (segments.py), or ValidationError."""
    clean, errors = segments.check_filter(raw)
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
    more, more_params = segments.rule_sql(json.loads(contact_list["filter"]))
    return " AND ".join(clauses + more), params + more_params


def preview_count(db, unit, rule):
    """How many contacts in the unit a segment with this (raw) filter selects, before saving."""
    clean = check_filter(rule)
    return count_members(db, {"kind": "segment", "filter": segments.dumps(clean),
                              "unit_path": unit["path"]})


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
