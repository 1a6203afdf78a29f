"""Response exports as CSV or XLSX; every cell neutralised against formula injection."""
import csv
import io
import json

from openpyxl import Workbook

from ..surveys import definition
from . import responses_query

BASE_COLUMNS = ["id", "submitted_at", "survey_id", "version_id", "unit_code", "unit_name",
                "channel", "language", "nps", "csat", "ces", "hidden"]
MAX_ROWS = 200_000


def safe_cell(value):
    """Prefix ' to text a spreadsheet would run as a formula (= + - @ tab CR)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def columns_for(docs):
    """(key, header) for every question of the documents, in order, contact fields excepted."""
    seen, columns = set(), []
    for doc in docs:
        for _page, q in definition.questions(doc):
            if q["type"] != "contact" and q["key"] not in seen:
                seen.add(q["key"])
                columns.append((q["key"], f"{q['key']} {definition.text_for(q['text'], 'zh_CN')}"))
    return columns


def contact_columns(docs):
    return [(q["key"], field) for doc in docs for _p, q in definition.questions(doc)
            if q["type"] == "contact" for field in q.get("fields", [])]


def rows(db, responses, question_columns, personal_columns):
    """Header, then one list of safe cells per response."""
    yield BASE_COLUMNS + [h for _k, h in question_columns] + \
        [f"{key}.{field}" for key, field in personal_columns]
    for response in responses:
        doc = responses_query.document_of(db, response)
        by_key = definition.question_map(doc)
        answers = json.loads(response["answers"])
        cells = [response["id"], response["submitted_at"], response["survey_id"],
                 response["version_id"], response["unit_code"], response["unit_name"],
                 response["channel"], response["language"], response["nps"], response["csat"],
                 response["ces"], response["hidden"]]
        cells += [_answer_text(by_key.get(k), answers, k) for k, _h in question_columns]
        if personal_columns:
            contact = responses_query.contact_of(response)
            cells += [(contact.get(k) or {}).get(f, "") for k, f in personal_columns]
        yield [safe_cell(c) for c in cells]


def _answer_text(question, answers, key):
    text = definition.display_answer(question, answers.get(key), "zh_CN")
    other = answers.get(f"{key}.other")
    return f"{text}: {other}" if other else text


def to_csv(table):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in table:
        writer.writerow(row)
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def to_xlsx(table):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("responses")
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
