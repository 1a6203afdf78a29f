"""`cem text import FILE.csv|xlsx`: external texts (reviews, call-centre notes), all or nothing.

Columns: unit_code, date, source, channel, text. A CSV may be UTF-8 (with or
without BOM) or GBK/GB18030; each problem (undecodable line, unknown unit,
bad date, empty or too long text) is reported with its line number and then
nothing at all is written. A clean file goes in in one transaction.
"""
import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

from ..core import audit, clock
from ..core.db import transaction
from ..org import units as units_service
from ..org.scope import Scope

COLUMNS = ("unit_code", "date", "source", "channel", "text")
REQUIRED = ("unit_code", "date", "source", "text")
MAX_TEXT = 5000
MAX_ROWS = 200_000
MAX_REPORTED = 50
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S",
                "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ImportProblems(Exception):
    """The file cannot be imported; problems is [(line, message)]."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems

    def report(self):
        shown = [f"line {line}: {message}" if line else message
                 for line, message in self.problems[:MAX_REPORTED]]
        if len(self.problems) > MAX_REPORTED:
            shown.append(f"... and {len(self.problems) - MAX_REPORTED} more")
        return "\n".join(shown)


def read_rows(path):
    """(encoding, [(line, {column: value})], [(line, problem)]); raises ImportProblems
    when the file cannot be read at all."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return "xlsx", _xlsx_rows(path), []
    if path.suffix.lower() != ".csv":
        raise ImportProblems([(0, f"{path.name}: expected a .csv or .xlsx file")])
    return _csv_rows(path.read_bytes())


def decode_lines(raw):
    """Decode line by line in the encoding most lines fit; (encoding, text, bad line numbers)."""
    raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    lines = raw.split(b"\n")
    encoding = max(("utf-8", "gb18030"), key=lambda e: sum(_fits(line, e) for line in lines))
    bad = [n for n, line in enumerate(lines, 1) if not _fits(line, encoding)]
    text = "\n".join(line.decode(encoding, errors="replace") for line in lines)
    return encoding, text, bad


def _fits(line, encoding):
    try:
        line.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def _csv_rows(raw):
    encoding, text, bad = decode_lines(raw)
    problems = [(n, "cannot be read as UTF-8 or GBK text; save the file as UTF-8") for n in bad]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    columns = _columns(header)
    rows = []
    try:
        for record in reader:
            line = reader.line_num
            if any(field.strip() for field in record) and line not in bad:
                rows.append((line, dict(zip(columns, record))))
    except csv.Error as exc:   # e.g. a field over csv.field_size_limit()
        problems.append((reader.line_num, f"not readable CSV ({exc})"))
    return encoding, rows, problems


def _columns(header):
    names = [str(h or "").strip().lower() for h in (header or [])]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ImportProblems([(1, "the header row must name the columns "
                                  f"{', '.join(COLUMNS)}; missing: {', '.join(missing)}")])
    return names


def _xlsx_rows(path):
    from openpyxl import load_workbook
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:   # openpyxl raises many kinds for a damaged file
        raise ImportProblems([(0, f"{path.name} is not a readable .xlsx workbook ({error})")])
    sheet_rows = book.worksheets[0].iter_rows(values_only=True)
    try:
        columns = _columns(next(sheet_rows, None))
        return _capped_rows(columns, sheet_rows)
    finally:
        sheet_rows.close()   # the sheet's own handle on the file, before the workbook's
        book.close()


def _capped_rows(columns, sheet_rows):
    """Rows streamed from the read-only sheet, stopping one past MAX_ROWS: a sheet of a
    million rows is refused after reading MAX_ROWS of them, not loaded whole first."""
    rows = []
    for number, values in enumerate(sheet_rows, 2):
        if number > MAX_ROWS + 1:
            raise ImportProblems([(number, f"too many rows (more than {MAX_ROWS:,}); split the "
                                           f"file into parts of at most {MAX_ROWS:,}")])
        if any(v not in (None, "") for v in values):
            rows.append((number, dict(zip(columns, values))))
    return rows


def parse_date(value):
    """An ISO timestamp (UTC) from a date cell or string, or None."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%dT00:00:00Z")
    text = str(value or "").strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).strftime("%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            continue
    return None


def clean_row(row, units):
    """(values, [message]) for one row."""
    cell = {c: ("" if row.get(c) is None else str(row.get(c)).strip()) for c in COLUMNS}
    problems = []
    unit_id = units.get(cell["unit_code"].upper())
    if unit_id is None:
        problems.append(f"unknown unit code {cell['unit_code']!r}" if cell["unit_code"]
                        else "the unit code is empty")
    occurred = parse_date(row.get("date"))
    if occurred is None or occurred[:10] > clock.now_iso()[:10]:
        problems.append(f"bad date {cell['date']!r}; write it as YYYY-MM-DD, not in the future")
    for name, limit in (("source", 40), ("channel", 40)):
        if len(cell[name]) > limit or CONTROL.search(cell[name]):
            problems.append(f"the {name} must be at most {limit} plain characters")
    if not cell["source"]:
        problems.append("the source is empty (e.g. dianping, call_centre)")
    text = cell["text"]
    if not text:
        problems.append("the text is empty")
    elif len(text) > MAX_TEXT:
        problems.append(f"the text has {len(text):,} characters; at most {MAX_TEXT:,} are allowed")
    values = {"unit_id": unit_id, "occurred_at": occurred, "source": cell["source"],
              "channel": cell["channel"], "text": CONTROL.sub(" ", text)}
    return values, problems


def validate(db, rows, problems=()):
    """[(line, values)] or raise ImportProblems listing every bad row."""
    units = {u["code"].upper(): u["id"] for u in units_service.list_units(db, Scope(["/"]))}
    problems, clean = list(problems), []
    if not rows and not problems:
        problems.append((0, "the file has no rows under its header"))
    if len(rows) > MAX_ROWS:
        raise ImportProblems([(0, f"too many rows ({len(rows):,}); split the file into parts "
                                  f"of at most {MAX_ROWS:,}")])
    for line, row in rows:
        values, messages = clean_row(row, units)
        problems += [(line, m) for m in messages]
        clean.append((line, values))
    if problems:
        raise ImportProblems(sorted(problems, key=lambda p: p[0]))
    return clean


def import_file(db, path, actor=None):
    """Validate the whole file, then insert it in one transaction. Returns (import id, rows)."""
    encoding, rows, problems = read_rows(path)
    clean = validate(db, rows, problems)
    with transaction(db):
        import_id = db.execute(
            "INSERT INTO text_imports (filename, encoding, rows, imported_by, created_at) "
            "VALUES (?, ?, ?, ?, ?)", (Path(path).name, encoding, len(clean),
                                       actor["username"] if actor else "system",
                                       clock.now_iso())).lastrowid
        db.conn.executemany(
            "INSERT INTO external_texts (import_id, line, unit_id, occurred_at, source, channel, "
            "text) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(import_id, line, v["unit_id"], v["occurred_at"], v["source"], v["channel"],
              v["text"]) for line, v in clean])
        audit.record(db, "text.import", "text_import", import_id, actor=actor,
                     after={"file": Path(path).name, "rows": len(clean), "encoding": encoding})
    return import_id, len(clean)
