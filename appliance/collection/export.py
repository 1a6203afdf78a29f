"""Response export files: one table per survey, typed cells, every text cell neutralised.

Pure: no Flask, no database. The job (exports.py) hands in each survey's responses and
the documents of the versions they answered. A table is a header and rows of typed
values (numbers as numbers, times as datetimes in the organisation's time zone); the
CSV writer turns them into text, the XLSX writer keeps the types. A matrix gives one
column per row. Text a spreadsheet would run as a formula (= + - @ tab CR) gets a
leading ' (CSV and XLSX alike); a value that is only a number or a phone number
(+8613800138000, -5) cannot run anything and is kept as it is.
"""
import csv
import io
import json
import re
import zipfile
from datetime import date, datetime


from ..core import clock
from ..surveys import definition

BASE_HEADERS = ["id", "submitted_at", "survey_id", "version", "unit_code", "unit_name",
                "channel", "language", "nps", "csat", "ces", "hidden"]
MAX_ROWS = 200_000
NUMERIC_TYPES = ("nps", "rating", "ces", "number")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 ().-]*")
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def safe_text(text):
    """Prefix ' to text a spreadsheet would run as a formula; numbers and phones stay."""
    if text[:1] in FORMULA_START and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, datetime, date)) and not isinstance(value, bool):
        return value
    return safe_text(str(value))


def columns_for(docs):
    """[(key, row_key or None, header)] for every answer column of the documents, in order."""
    seen, columns = set(), []
    for doc in docs:
        for _page, q in definition.questions(doc):
            text = definition.text_for(q["text"], "zh_CN")
            if q["type"] == "contact":
                continue
            if q["type"] == "matrix":
                for row in q.get("rows", []):
                    if (q["key"], row["key"]) not in seen:
                        seen.add((q["key"], row["key"]))
                        row_text = definition.text_for(row["text"], "zh_CN")
                        columns.append((q["key"], row["key"],
                                        f"{q['key']}.{row['key']} {text} · {row_text}"))
            elif (q["key"], None) not in seen:
                seen.add((q["key"], None))
                columns.append((q["key"], None, f"{q['key']} {text}"))
    return columns


def contact_columns(docs):
    found = []
    for doc in docs:
        for _page, q in definition.questions(doc):
            if q["type"] == "contact":
                found += [(q["key"], f) for f in q.get("fields", []) if (q["key"], f) not in found]
    return found


def header(columns, personal_columns, zone):
    base = [f"submitted_at ({zone.key})" if h == "submitted_at" else h for h in BASE_HEADERS]
    return [safe_text(h) for h in base + [h for _k, _r, h in columns]
            + [f"{k}.{f}" for k, f in personal_columns]]


def row(response, by_key, version, columns, personal_columns, contact, zone):
    """One response as typed values, in the header's order (by_key: its version's questions)."""
    answers = json.loads(response["answers"])
    submitted = response["submitted_at"] or response["started_at"]
    cells = [response["id"], _local(submitted, zone), response["survey_id"], version,
             response["unit_code"], response["unit_name"], response["channel"],
             response["language"], response["nps"], response["csat"], response["ces"],
             response["hidden"] if response["hidden"] not in ("{}", "") else ""]
    cells += [answer_value(by_key.get(k), answers, k, r) for k, r, _h in columns]
    cells += [(contact.get(k) or {}).get(f, "") for k, f in personal_columns]
    return [safe_cell(c) for c in cells]


def _local(iso_utc, zone):
    return clock.parse(iso_utc).astimezone(zone).replace(tzinfo=None) if iso_utc else None


def answer_value(question, answers, key, row_key=None):
    value = answers.get(key)
    if question is None or value in (None, "", [], {}):
        return None
    if row_key is not None:
        return value.get(row_key) if isinstance(value, dict) else None
    if question["type"] in NUMERIC_TYPES and isinstance(value, (int, float)):
        return value
    if question["type"] == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    text = definition.display_answer(question, value, "zh_CN")
    other = answers.get(f"{key}.other")
    return f"{text}: {other}" if other else text


# --- writers: tables is [(sheet title, header, rows iterable)] ---------------------

def sheet_titles(surveys):
    """Unique Excel sheet names (31 characters, no []:*?/\\) for [(survey_id, name)]."""
    titles = []
    for survey_id, name in surveys:
        title = SHEET_FORBIDDEN.sub(" ", f"{survey_id} {name}")[:31].strip()
        titles.append(title if title not in titles else f"{survey_id}"[:31])
    return titles


def csv_text(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_csv(out, head, table_rows):
    """UTF-8 with a BOM so Excel reads the Chinese; out is a text stream."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(head)
    count = 0
    for values in table_rows:
        writer.writerow([csv_text(v) for v in values])
        count += 1
    return count


def write_csv_zip(path, tables):
    """One CSV per survey in a zip; returns the rows written."""
    count = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for title, head, table_rows in tables:
            with archive.open(f"{title}.csv", "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                count += write_csv(text, head, table_rows)
                text.flush()
                text.detach()
    return count


def write_xlsx(path, tables):
    """One sheet per survey, typed cells; returns the rows written."""
    from openpyxl import Workbook   # loaded by the job runner that writes exports, not every web worker
    book = Workbook(write_only=True)
    count = 0
    for title, head, table_rows in tables:
        sheet = book.create_sheet(title)
        sheet.append(head)
        for values in table_rows:
            sheet.append([_xlsx_cell(sheet, v) for v in values])
            count += 1
    book.save(path)
    return count


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"   # text is text, never a formula, whatever it starts with
        return cell
    return value
