"""Org units: a tree of any depth kept with a materialised path for fast subtree queries."""
import re

from flask_babel import lazy_gettext as _l

from ..core import audit, clock, events
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError
from ..core.forms import CONTROL_CHARS

UNIT_TYPES = ("group", "business_line", "region", "area", "store", "branch", "department")
TYPE_LABELS = {
    "group": _l("Group"), "business_line": _l("Business line"), "region": _l("Region"),
    "area": _l("Area"), "store": _l("Store"), "branch": _l("Branch"),
    "department": _l("Department"),
}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


def get_unit(db, unit_id):
    return query_one(db, "SELECT * FROM units WHERE id = ?", (unit_id,))


def get_unit_by_code(db, code):
    return query_one(db, "SELECT * FROM units WHERE code = ?", (code,))


def root_unit(db):
    return query_one(db, "SELECT * FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1")


def list_units(db, scope, search="", limit=None):
    where, params = scope.sql("u.id")
    sql = (f"SELECT u.*, p.name AS parent_name, "
           f"(SELECT COUNT(*) FROM units c WHERE c.parent_id = u.id) AS children "
           f"FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE {where}")
    if search:
        sql += " AND (u.name LIKE ? OR u.code LIKE ? OR u.name_en LIKE ?)"
        params += [f"%{search}%"] * 3
    sql += " ORDER BY u.path"
    if limit:
        return query_all(db, sql + f" LIMIT {int(limit)}", params)
    return tree_sorted(query_all(db, sql, params))


def natural_key(code):
    """'EAST-2' before 'EAST-10': runs of digits compare as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower())
            for part in re.split(r"(\d+)", code or "") if part]


def tree_sorted(rows):
    """Depth-first, each unit's children in natural order of their codes."""
    code_of = {r["id"]: r["code"] for r in rows}

    def key(row):
        ids = [int(x) for x in row["path"].strip("/").split("/") if x]
        return [natural_key(code_of.get(i, f"{i:020d}")) for i in ids]
    return sorted(rows, key=key)


def validate_fields(code, name, unit_type):
    errors = {}
    if not CODE_PATTERN.match(code or ""):
        errors["code"] = _l("Code: 1-40 letters, digits, '-', '_' or '.', starting with a "
                            "letter or digit.")
    if not name or len(name) > 100:
        errors["name"] = _l("Name is required, at most 100 characters.")
    elif CONTROL_CHARS.search(name):
        errors["name"] = _l("Contains control characters.")
    if unit_type not in UNIT_TYPES:
        errors["type"] = _l("Choose a unit type.")
    return errors


def create_unit(db, code, name, unit_type, parent, name_en=""):
    """Insert a unit under parent (None for the root), audited, in a transaction (or the
    caller's, e.g. a whole CSV import)."""
    errors = validate_fields(code, name, unit_type)
    if name_en and CONTROL_CHARS.search(name_en):
        errors["name_en"] = _l("Contains control characters.")
    if not errors and get_unit_by_code(db, code):
        errors["code"] = _l("Unit code %(code)s is already used.", code=code)
    if errors:
        raise ValidationError(errors)
    with transaction(db):
        return _insert_unit(db, code, name, unit_type, parent, name_en)


def _insert_unit(db, code, name, unit_type, parent, name_en):
    cursor = db.execute(
        "INSERT INTO units (parent_id, code, name, name_en, type, path, depth, created_at) "
        "VALUES (?, ?, ?, ?, ?, '', ?, ?)",
        (parent["id"] if parent else None, code, name, name_en, unit_type,
         parent["depth"] + 1 if parent else 0, clock.now_iso()))
    unit_id = cursor.lastrowid
    path = f"{parent['path'] if parent else '/'}{unit_id}/"
    db.execute("UPDATE units SET path = ? WHERE id = ?", (path, unit_id))
    unit = get_unit(db, unit_id)
    audit.record(db, "unit.create", "unit", unit_id, unit_id, after=unit)
    return unit


def update_unit(db, unit, code, name, unit_type, parent, name_en="", active=True):
    errors = validate_fields(code, name, unit_type)
    other = get_unit_by_code(db, code)
    if other and other["id"] != unit["id"]:
        errors["code"] = _l("Unit code %(code)s is already used.", code=code)
    if parent is None and unit["parent_id"] is not None:
        errors["parent_id"] = _l("Only the top of the organisation has no parent.")
    if parent is not None and parent["path"].startswith(unit["path"]):
        errors["parent_id"] = _l("A unit cannot be moved under itself or its own sub-units.")
    if errors:
        raise ValidationError(errors)
    with transaction(db):
        db.execute("UPDATE units SET code = ?, name = ?, name_en = ?, type = ?, active = ? "
                   "WHERE id = ?", (code, name, name_en, unit_type, int(active), unit["id"]))
        if parent is not None and parent["id"] != unit["parent_id"]:
            _move(db, unit, parent)
        after = get_unit(db, unit["id"])
        audit.record(db, "unit.update", "unit", unit["id"], unit["id"], before=unit, after=after)
    return after


def _move(db, unit, parent):
    new_path = f"{parent['path']}{unit['id']}/"
    events.publish(db, "unit.moved", {"unit_id": unit["id"], "old_path": unit["path"],
                                      "new_path": new_path})
    depth_change = parent["depth"] + 1 - unit["depth"]
    db.execute("UPDATE units SET parent_id = ? WHERE id = ?", (parent["id"], unit["id"]))
    db.execute("UPDATE units SET path = ? || substr(path, ?), depth = depth + ? "
               "WHERE path LIKE ?",
               (new_path, len(unit["path"]) + 1, depth_change, unit["path"] + "%"))


def tree_fingerprint(db):
    """Changes whenever a unit is added, renamed, moved or (de)activated (caches key on it)."""
    return tuple(db.execute("SELECT COUNT(*), MAX(id), TOTAL(LENGTH(path) * id), "
                            "TOTAL(COALESCE(parent_id, 0) * id), TOTAL(active * id), "
                            "TOTAL(LENGTH(name) * id + LENGTH(code)) FROM units").fetchone())


def ancestors(db, unit):
    ids = [int(x) for x in unit["path"].strip("/").split("/") if x]
    rows = {r["id"]: r for r in query_all(
        db, f"SELECT * FROM units WHERE id IN ({','.join('?' * len(ids))})", ids)}
    return [rows[i] for i in ids if i in rows]
