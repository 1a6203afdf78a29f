"""Import org units from CSV: all rows or none, every bad row listed with its reason.

Columns: code, name, type, parent_code, name_en (optional). A parent may be an
existing unit or another row of the file, in any order.
"""
import csv
import io

from flask_babel import gettext as _

from ..core.db import transaction
from . import units as units_service

REQUIRED_COLUMNS = ("code", "name", "type", "parent_code")
MAX_ROWS = 20_000


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
    try:
        return _parse(text)
    except csv.Error as exc:   # e.g. a field over csv.field_size_limit() (131,072 characters)
        message = _("A field is longer than %(n)s characters.", n=f"{csv.field_size_limit():,}") \
            if "field larger" in str(exc) else _("The file is not readable CSV.")
        raise ImportRejected([(0, message)]) from None


def _parse(text):
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRejected([(1, _("Missing column(s): %(cols)s. Expected: %(expected)s.",
                                    cols=", ".join(missing),
                                    expected=", ".join(REQUIRED_COLUMNS) + ", name_en"))])
    rows = []
    for line, row in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            raise ImportRejected([(line, _("At most %(n)s rows per file.", n=MAX_ROWS))])
        rows.append((line, {k: (row.get(k) or "").strip() for k in REQUIRED_COLUMNS + ("name_en",)}))
    if not rows:
        raise ImportRejected([(1, _("The file has no rows."))])
    return rows


def import_units(db, text, scope, default_parent):
    """Validate every row, then insert all in one transaction. Returns units created."""
    rows = parse(text)
    problems = _check(db, rows, scope)
    if problems:
        raise ImportRejected(problems)
    created = []
    with transaction(db):
        by_code = {}
        for line, row in _parent_first(rows):
            parent = (by_code.get(row["parent_code"])
                      or units_service.get_unit_by_code(db, row["parent_code"])
                      if row["parent_code"] else default_parent)
            unit = units_service.create_unit(db, row["code"], row["name"], row["type"], parent,
                                             row["name_en"])
            by_code[row["code"]] = unit
            created.append(unit)
    return created


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
        if units_service.get_unit_by_code(db, row["code"]):
            problems.append((line, _("Unit code %(code)s is already used.", code=row["code"])))
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


def _parent_first(rows):
    """Order rows so each parent from the file is created before its children."""
    pending, done, ordered = list(rows), set(), []
    file_codes = {row["code"] for _line, row in rows}
    while pending:
        ready = [(l, r) for l, r in pending
                 if r["parent_code"] not in file_codes or r["parent_code"] in done]
        ordered += ready
        done |= {r["code"] for _l, r in ready}
        pending = [item for item in pending if item not in ready]
    return ordered
