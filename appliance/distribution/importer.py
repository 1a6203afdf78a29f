"""Contact import from CSV (UTF-8, UTF-8 with BOM, or GBK) or XLSX: every row checked
before anything is written, so a file with bad rows changes nothing and lists them all;
then an upsert by email or phone (blind index) in short transactions."""
import csv
import io
import json

from flask_babel import lazy_gettext as _l

from ..core import audit, clock
from ..core.db import transaction
from ..org import lookups
from . import contacts, keys, lists

MAX_ROWS = 100_000
MAX_CELL = 2000          # characters; a 10 MB cell is refused, never stored
BATCH = 2000             # rows a write transaction (respondents wait at most one batch)
MAX_BAD_SHOWN = 200
COLUMNS = {  # header (lower case, English or Chinese) -> field
    "name": "name", "姓名": "name", "email": "email", "邮箱": "email", "电子邮件": "email",
    "phone": "phone", "mobile": "phone", "手机": "phone", "手机号": "phone", "电话": "phone",
    "unit": "unit", "单位": "unit", "门店": "unit", "language": "language", "语言": "language",
    "timezone": "timezone", "时区": "timezone",
}


class ImportRejected(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} bad rows")
        self.problems = problems   # [(row number, message)]


def decode(raw):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([(0, _l("The file is neither UTF-8 nor GBK text."))])


def read_rows(filename, raw):
    """[header, row, row...] as lists of text from a .csv or .xlsx upload."""
    if filename.lower().endswith(".xlsx"):
        return _xlsx_rows(raw)
    reader = csv.reader(io.StringIO(decode(raw), newline=""))
    try:
        return [row for row in reader]
    except csv.Error as exc:
        raise ImportRejected([(reader.line_num, _l(
            "Row %(n)s cannot be read (%(why)s); a cell may be far too large.",
            n=reader.line_num, why=str(exc)))]) from None


def _xlsx_rows(raw):
    from openpyxl import load_workbook
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:   # a broken or foreign file: openpyxl raises many kinds
        raise ImportRejected([(0, _l("The file is not a readable .xlsx workbook."))]) from None
    rows = [["" if v is None else str(v) for v in row]
            for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def parse(rows, default_unit, units_by_code):
    """(checked records, problems). A record: {fields..., unit_id, line}."""
    if not rows:
        return [], [(0, _l("The file is empty."))]
    header = [h.strip().lower() for h in rows[0]]
    known = [COLUMNS.get(h) for h in header]
    if "email" not in known and "phone" not in known:
        return [], [(1, _l("The first row must name the columns, with email or phone among "
                           "them (name, email, phone, unit, language, timezone, ...)."))]
    if len(rows) - 1 > MAX_ROWS:
        return [], [(0, _l("At most %(n)s rows a file.", n=MAX_ROWS))]
    records, problems = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        record, problem = _record(row, header, known, default_unit, units_by_code)
        if problem:
            problems.append((line, problem))
        else:
            records.append({**record, "line": line})
    return records, problems


def _record(row, header, known, default_unit, units_by_code):
    if any(len(cell) > MAX_CELL for cell in row):
        return None, _l("A cell is longer than %(n)s characters.", n=MAX_CELL)
    fields, attributes = {}, {}
    for name, field, cell in zip(header, known, row):
        if field:
            fields[field] = cell.strip()
        elif name and cell.strip():
            attributes[name[:40]] = cell.strip()
    fields["attributes"] = attributes
    code = fields.pop("unit", "")
    unit = units_by_code.get(code) if code else default_unit
    if unit is None:
        return None, _l("Unknown unit (or outside your part of the organisation): %(code)s",
                        code=code[:40])
    errors = contacts.check_fields(fields)
    if errors:
        return None, "; ".join(str(v) for v in errors.values())
    return {**fields, "unit_id": unit["id"]}, None


def _existing(db, records):
    """{index: contact id} for the records' email and phone indexes already stored."""
    found = {}
    for kind in ("email", "phone"):
        values = [r[f"{kind}_index"] for r in records if r[f"{kind}_index"]]
        for start in range(0, len(values), 900):
            chunk = values[start:start + 900]
            for row in db.execute(f"SELECT id, {kind}_index FROM contacts WHERE {kind}_index IN "
                                  f"({','.join('?' * len(chunk))})", chunk):
                found[row[1]] = row[0]
    return found


def match(db, records):
    """Give each record the id of the contact it updates (or None); problems for records that
    repeat one another or match two different contacts."""
    blind = keys.blind_key()
    for r in records:
        r["email_index"] = keys.blind_index("email", r.get("email"), blind)
        r["phone_index"] = keys.blind_index("phone", r.get("phone"), blind)
    existing, seen, problems = _existing(db, records), {}, []
    for r in records:
        ids = {existing.get(r["email_index"]), existing.get(r["phone_index"])} - {None}
        twin = seen.get(r["email_index"]) or seen.get(r["phone_index"])
        if len(ids) > 1:
            problems.append((r["line"], _l("The email and the phone belong to two different "
                                           "contacts.")))
        elif twin:
            problems.append((r["line"], _l("Same email or phone as row %(n)s.", n=twin)))
        r["contact_id"] = ids.pop() if ids else None
        for index in (r["email_index"], r["phone_index"]):
            if index:
                seen.setdefault(index, r["line"])
    return problems


def write(db, records, list_id=None):
    """Insert or update every record, BATCH rows a transaction. Returns (created, updated)."""
    ring, blind, now = keys.keyring(), keys.blind_key(), clock.now_iso()
    created = updated = 0
    for start in range(0, len(records), BATCH):
        chunk = records[start:start + BATCH]
        rows = [{**contacts.sealed_row(r, ring, blind), "unit_id": r["unit_id"],
                 "updated_at": now} for r in chunk]
        fresh = [row for r, row in zip(chunk, rows) if not r["contact_id"]]
        known = [(row, r["contact_id"]) for r, row in zip(chunk, rows) if r["contact_id"]]
        with transaction(db):
            if known:
                names = list(known[0][0])
                db.conn.executemany(f"UPDATE contacts SET {', '.join(f'{k} = ?' for k in names)} "
                                    f"WHERE id = ?", [[*row.values(), cid] for row, cid in known])
            if fresh:
                names = [*fresh[0], "created_at"]
                db.conn.executemany(f"INSERT INTO contacts ({', '.join(names)}) VALUES "
                                    f"({', '.join('?' * len(names))})",
                                    [[*row.values(), now] for row in fresh])
            if list_id:
                lists.add_members(db, list_id, _ids(db, chunk))
        created, updated = created + len(fresh), updated + len(known)
    return created, updated


def _ids(db, chunk):
    """The contact ids of the chunk's records (just inserted or updated), by blind index."""
    found = _existing(db, chunk)
    return {found.get(r["email_index"]) or found.get(r["phone_index"]) for r in chunk} - {None}


def import_contacts(db, filename, raw, default_unit, units_by_code, list_id=None):
    """The whole import; raises ImportRejected (nothing written) when any row is bad."""
    records, problems = parse(read_rows(filename, raw), default_unit, units_by_code)
    problems += match(db, records) if not problems else []
    if problems:
        raise ImportRejected(problems)
    created, updated = write(db, records, list_id)
    with transaction(db):
        audit.record(db, "contact.import", "contact", "", default_unit["id"],
                     after={"file": filename[:100], "created": created, "updated": updated,
                            "list_id": list_id})
    return created, updated


def record_export(db, scope):
    """Every export of personal data is audit-logged (before the file is sent)."""
    audit.record_export(db, "export.contacts", "contact",
                        {"rows": contacts.count_in_scope(db, scope), "format": "csv"})


def export_rows(db, scope, ring):
    """Header and rows of the contacts in scope, personal fields decrypted (for the export)."""
    where, params = scope.sql("c.unit_id")
    yield ["name", "email", "phone", "unit", "language", "timezone", "attributes"]
    codes = {}
    for row in db.execute(f"SELECT c.* FROM contacts c WHERE {where} ORDER BY c.id", params):
        c = contacts.reveal(dict(row), ring)
        if c["unit_id"] not in codes:
            codes[c["unit_id"]] = lookups.units_by_id(db, [c["unit_id"]])[c["unit_id"]]["code"]
        c["unit_code"] = codes[c["unit_id"]]
        yield [c["name"], c["email"], c["phone"], c["unit_code"], c["language"], c["timezone"],
               json.dumps(c["attributes"], ensure_ascii=False)]
