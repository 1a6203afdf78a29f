"""What a (re-)import of the org CSV changes, and applying it in one transaction.

A row whose code exists updates that unit; a new code creates one; units of the
importer's part that the file no longer lists (and that have no listed unit under
them) are deactivated only when the import is confirmed with deactivate_missing.
"""
from dataclasses import dataclass, field

from ..core.db import query_all, transaction
from ..core.errors import ValidationError
from . import units as units_service


@dataclass
class Plan:
    create: list = field(default_factory=list)      # (line, row)
    update: list = field(default_factory=list)      # (line, row, unit) that really change
    unchanged: int = 0
    missing: list = field(default_factory=list)     # active units the file no longer lists

    @property
    def created(self):
        return self.create


def make_plan(db, rows, scope, top):
    plan = Plan()
    for line, row in rows:
        unit = units_service.get_unit_by_code(db, row["code"])
        if unit is None:
            plan.create.append((line, row))
        elif _changes(db, unit, row, top):
            plan.update.append((line, row, unit))
        else:
            plan.unchanged += 1
    plan.missing = _missing(db, rows, scope, top)
    return plan


def _changes(db, unit, row, top):
    parent = _parent_code(db, unit)
    wanted_parent = row["parent_code"] or (top["code"] if unit["id"] != top["id"] else "")
    return (unit["name"], unit["type"], unit["name_en"], parent, unit["active"]) != (
        row["name"], row["type"], row["name_en"] or unit["name_en"], wanted_parent, 1)


def _parent_code(db, unit):
    parent = units_service.get_unit(db, unit["parent_id"]) if unit["parent_id"] else None
    return parent["code"] if parent else ""


def _missing(db, rows, scope, top):
    listed = {row["code"] for _line, row in rows}
    where, params = scope.sql("u.id")
    units = query_all(db, f"SELECT u.* FROM units u WHERE {where} AND u.active = 1 "
                          f"ORDER BY u.path", params)
    listed_paths = [u["path"] for u in units if u["code"] in listed]
    return [u for u in units if u["code"] not in listed and u["id"] != top["id"]
            and not any(p.startswith(u["path"]) for p in listed_paths)]


def apply_plan(db, plan, top, deactivate_missing):
    """All or nothing: returns [(line, problem)] and rolls back on the first problem."""
    try:
        with transaction(db):
            by_code = _create(db, plan, top)
            for line, row, unit in plan.update:
                _update(db, line, row, by_code, top)
            if deactivate_missing:
                for unit in plan.missing:
                    _deactivate(db, unit)
    except _RowProblem as problem:
        return [(problem.line, problem.message)]
    return []


class _RowProblem(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.line, self.message = line, message


def _create(db, plan, top):
    by_code = {}
    for line, row in _parent_first(plan.create):
        parent = _resolve_parent(db, row, by_code, top)
        try:
            by_code[row["code"]] = units_service.create_unit(
                db, row["code"], row["name"], row["type"], parent, row["name_en"])
        except ValidationError as exc:
            raise _RowProblem(line, " ".join(str(v) for v in exc.errors.values()))
    return by_code


def _update(db, line, row, by_code, top):
    unit = units_service.get_unit_by_code(db, row["code"])   # fresh: earlier moves change paths
    parent = None if unit["parent_id"] is None else _resolve_parent(db, row, by_code, top)
    try:
        units_service.update_unit(db, unit, row["code"], row["name"], row["type"], parent,
                                  row["name_en"] or unit["name_en"], True)
    except ValidationError as exc:
        raise _RowProblem(line, " ".join(str(v) for v in exc.errors.values()))


def _deactivate(db, unit):
    fresh = units_service.get_unit(db, unit["id"])
    parent = units_service.get_unit(db, fresh["parent_id"]) if fresh["parent_id"] else None
    units_service.update_unit(db, fresh, fresh["code"], fresh["name"], fresh["type"], parent,
                              fresh["name_en"], False)


def _resolve_parent(db, row, by_code, top):
    if not row["parent_code"]:
        return units_service.get_unit(db, top["id"])
    return by_code.get(row["parent_code"]) or units_service.get_unit_by_code(db, row["parent_code"])


def _parent_first(rows):
    """Order rows so each parent from the file is created before its children."""
    pending, done, ordered = list(rows), set(), []
    codes = {row["code"] for _line, row in rows}
    while pending:
        ready = [(l, r) for l, r in pending if r["parent_code"] not in codes or r["parent_code"] in done]
        if not ready:
            break
        ordered += ready
        done |= {r["code"] for _l, r in ready}
        pending = [item for item in pending if item not in ready]
    return ordered
