"""Import org units from CSV: all rows or none, every bad row listed with its reason.

Columns: code, name, type, parent_code, name_en (optional). A parent may be an
existing unit or another row of the file, in any order. A code that already exists
updates that unit (rename, new type, move under another parent, reactivate), so an
org chart can be re-synced; units of your part missing from the file are deactivated
only when the caller confirms it (unit_sync.py).
"""
import csv
import io

from flask_babel import gettext as _

from . import units as units_service
from .unit_sync import Plan, apply_plan, make_plan

REQUIRED_COLUMNS = ("code", "name", "type", "parent_code")
MAX_ROWS = 20_000
MAX_FIELD = 1_000
__all__ = ["ImportRejected", "Plan", "decode", "import_units", "parse", "plan_import"]


class ImportRejected(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems   # list of (line number, message)


def decode(raw_bytes):
    if b"\x00" in raw_bytes:
        raise ImportRejected([(0, _("The file contains NUL bytes; save it as CSV text (UTF-8)."))])
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw_bytes.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([(0, _("The file is neither UTF-8 nor GBK text."))])


def parse(text):
    """[(line, row)] of the CSV text, or ImportRejected naming what is wrong."""
    if "\x00" in text:
        raise ImportRejected([(0, _("The file contains NUL characters; save it as CSV text."))])
    reader = csv.DictReader(io.StringIO(text))
    try:
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportRejected([(1, _("Missing column(s): %(cols)s. Expected: %(expected)s.",
                                        cols=", ".join(missing),
                                        expected=", ".join(REQUIRED_COLUMNS) + ", name_en"))])
        rows = _rows(reader)
    except csv.Error as exc:   # e.g. a field over csv.field_size_limit() (131,072 characters)
        if "field larger" in str(exc):
            raise ImportRejected([(reader.line_num, _("A field is longer than %(n)s characters.",
                                                      n=f"{csv.field_size_limit():,}"))]) from None
        raise ImportRejected([(reader.line_num, _("The file is not valid CSV (%(why)s).",
                                                  why=str(exc)))]) from None
    if not rows:
        raise ImportRejected([(1, _("The file has no rows."))])
    return rows


def _rows(reader):
    rows = []
    for line, row in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            raise ImportRejected([(line, _("At most %(n)s rows per file.", n=MAX_ROWS))])
        values = {k: (row.get(k) or "").strip() for k in REQUIRED_COLUMNS + ("name_en",)}
        if any(len(v) > MAX_FIELD for v in values.values()):
            raise ImportRejected([(line, _("A field is longer than %(n)s characters.",
                                           n=MAX_FIELD))])
        rows.append((line, values))
    return rows


def plan_import(db, text, scope, default_parent):
    """Validate every row; the Plan of what importing would create, update and deactivate."""
    rows = parse(text)
    problems = _check(db, rows, scope)
    if problems:
        raise ImportRejected(problems)
    return make_plan(db, rows, scope, default_parent)


def import_units(db, text, scope, default_parent, deactivate_missing=False):
    """Create, update (and, when confirmed, deactivate) in one transaction. Returns the Plan."""
    plan = plan_import(db, text, scope, default_parent)
    problems = apply_plan(db, plan, default_parent, deactivate_missing)
    if problems:
        raise ImportRejected(problems)
    return plan


def _check(db, rows, scope):
    problems, seen = [], {}
    file_codes = {row["code"] for _line, row in rows}
    for line, row in rows:
        errors = units_service.validate_fields(row["code"], row["name"], row["type"])
        problems += [(line, f"{field}: {message}") for field, message in errors.items()]
        if row["code"] in seen:
            problems.append((line, _("Code %(code)s repeats line %(other)s.",
                                     code=row["code"], other=seen[row["code"]])))
        seen.setdefault(row["code"], line)
        existing = units_service.get_unit_by_code(db, row["code"])
        if existing and not scope.contains_path(existing["path"]):
            problems.append((line, _("Unit %(code)s is outside your part of the organisation.",
                                     code=row["code"])))
        problems += _check_parent(db, line, row, file_codes, scope)
    if not problems and _has_cycle(rows):
        problems.append((0, _("The parent codes form a cycle.")))
    return sorted(problems)


def _check_parent(db, line, row, file_codes, scope):
    code = row["parent_code"]
    if not code or code in file_codes:
        return []
    parent = units_service.get_unit_by_code(db, code)
    if parent is None:
        return [(line, _("Parent code %(code)s is not a unit nor a row of this file.", code=code))]
    if not scope.contains_path(parent["path"]):
        return [(line, _("Parent %(code)s is outside your part of the organisation.", code=code))]
    return []


def _has_cycle(rows):
    parent_of = {row["code"]: row["parent_code"] for _line, row in rows}
    for start in parent_of:
        seen, code = set(), start
        while code in parent_of:
            if code in seen:
                return True
            seen.add(code)
            code = parent_of[code]
    return False
