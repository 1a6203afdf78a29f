"""O-data import: a CSV/XLSX file or a JSON list of (unit code, date, metric, value), all or
nothing: any bad row and nothing is written, with the bad rows listed (row, field, message).
CSV may be UTF-8 (with or without BOM) or GBK, as Excel in China saves it."""
import csv
import io
import re

from flask_babel import lazy_gettext as _l

from ..core import audit, clock
from ..core.db import transaction
from ..core.errors import ValidationError
from . import filters, tree

METRIC = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
HEADERS = {"unit": ("unit", "unit_code", "code", "门店编码", "单元编码", "编码"),
           "date": ("date", "day", "日期"), "metric": ("metric", "指标"),
           "value": ("value", "数值", "值")}
MAX_ROWS = 200_000
SHOWN_ERRORS = 20


def read_file(data, filename):
    """[{unit, date, metric, value}] as text, from the uploaded bytes."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook   # only where a workbook is read
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        table = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            table = list(csv.reader(io.StringIO(_decode(data))))
        except csv.Error:   # e.g. a field over csv.field_size_limit() (131,072 characters)
            raise ValidationError({"file": _l("The file is not readable CSV (a field may be "
                                              "too long).")}) from None
    if not table:
        raise ValidationError({"file": _l("The file is empty.")})
    columns = _columns(table[0])
    return [{name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
            for row in table[1:] if any(c.strip() for c in row)]


def _decode(data):
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": _l("The file is neither UTF-8 nor GBK text.")})


def _columns(header):
    names = [h.strip().lower() for h in header]
    found = {}
    for name, aliases in HEADERS.items():
        match = next((i for i, h in enumerate(names) if h in aliases), None)
        if match is None:
            raise ValidationError({"file": _l("The first row needs the columns unit, date, "
                                              "metric and value.")})
        found[name] = match
    return found


def check(db, rows, scope):
    """(clean rows as tuples, [{"row", "field", "message"}])."""
    clean, problems = [], []
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": _l("At most %(n)s rows at a time.", n=MAX_ROWS)})
    for number, row in enumerate(rows, start=2):
        errors = {}
        unit = tree.by_code(db, str(row.get("unit", "")))
        if unit is None or not scope.contains_path(unit["path"]):
            errors["unit"] = _l("No unit %(code)s in your part of the organisation.",
                                code=str(row.get("unit", ""))[:40])
        day = filters._date(str(row.get("date", ""))[:10], "date", errors)
        if not METRIC.match(str(row.get("metric", ""))):
            errors["metric"] = _l("A metric is a lower-case key such as waiting_minutes.")
        try:
            value = float(str(row.get("value", "")).replace(",", ""))
        except ValueError:
            errors["value"] = _l("%(value)s is not a number.", value=str(row.get("value"))[:20])
            value = None
        problems += [{"row": number, "field": f, "message": str(m)} for f, m in errors.items()]
        if not errors:
            clean.append((unit["id"], day.isoformat(), row["metric"], value))
    return clean, problems


def import_rows(db, rows, scope, actor=None, source="file"):
    """Write every row or none. Returns the number written."""
    clean, problems = check(db, rows, scope)
    if problems:
        listed = {f"row {p['row']} {p['field']}": _l("Row %(row)s: %(message)s", row=p["row"],
                                                      message=p["message"])
                  for p in problems[:SHOWN_ERRORS]}
        raise ValidationError(listed, _l("%(n)s rows are not valid; nothing was imported.",
                                         n=len({p["row"] for p in problems})))
    now = clock.now_iso()
    with transaction(db):
        db.conn.executemany("INSERT OR REPLACE INTO odata_values (unit_id, day, metric, value, "
                            "imported_at) VALUES (?, ?, ?, ?, ?)", [r + (now,) for r in clean])
        audit.record(db, "odata.import", "odata", source, None, actor=actor,
                     after={"rows": len(clean), "metrics": sorted({r[2] for r in clean})})
    from . import cache
    cache.forget("odata")
    return len(clean)
