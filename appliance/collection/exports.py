"""Response exports as jobs: asked for on the responses page, built by the job runner.

request_export() stores the request (format, checked filters, the user's export scope
at that moment), writes the audit row and enqueues topic ``collection.export`` in one
transaction; the job runner (`cem worker`, never a web worker) calls run_export(),
which writes DATA_DIR/exports/<id>-<random>.<ext> and marks the row ready. Only the
user who asked downloads the file. Several surveys never share one header row: XLSX
gets one sheet per survey, CSV one file per survey in a zip.
"""
import json
import logging
import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core import audit, clock, crypto, queue, settings
from ..core.db import query_all, query_one, transaction
from ..org.scope import Scope
from ..surveys import definition
from ..surveys import service as surveys
from . import admission, export
from . import responses_query as rq

log = logging.getLogger(__name__)
TOPIC = "collection.export"
SHOWN = 5
KEEP_DAYS = 7


def exports_dir(data_dir):
    return Path(data_dir) / "exports"


def request_export(db, user, fmt, personal, filters, scope, data_dir):
    """Queue an export of the responses matching filters inside scope; returns its id."""
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO exports (user_id, format, personal, filters, scope_paths, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (user["id"], fmt, int(personal), json.dumps(filters, ensure_ascii=False),
             json.dumps(scope.root_paths), clock.now_iso()))
        export_id = cursor.lastrowid
        audit.record(db, "export.personal" if personal else "export.responses", "response", "",
                     None, after={"export": export_id, "format": fmt,
                                  "filters": {k: v for k, v in filters.items() if v}})
        queue.enqueue(db, TOPIC, {"export_id": export_id, "data_dir": str(data_dir)},
                      dedupe_key=f"export:{export_id}", max_attempts=1)
    return export_id


def list_exports(db, user_id, limit=SHOWN):
    return query_all(db, "SELECT id, format, personal, status, row_count, created_at, "
                         "finished_at, error FROM exports WHERE user_id = ? "
                         "ORDER BY id DESC LIMIT ?", (user_id, limit))


def get_export(db, user_id, export_id):
    """The user's own export, or None (someone else's export is nobody's business)."""
    return query_one(db, "SELECT * FROM exports WHERE id = ? AND user_id = ?",
                     (export_id, user_id))


def file_path(data_dir, row):
    return exports_dir(data_dir) / row["file_name"]


def download_name(row):
    extension = "zip" if row["file_name"].endswith(".zip") else row["format"]
    return f"responses-{row['id']}.{extension}"


# --- the job ------------------------------------------------------------------------

def run_export(db, payload):
    """Queue handler: build the file of one export (claimed once by compare-and-set)."""
    export_id = payload["export_id"]
    with transaction(db):
        claimed = db.execute("UPDATE exports SET status = 'running' WHERE id = ? AND "
                             "status = 'pending'", (export_id,)).rowcount
    if not claimed:
        return
    row = query_one(db, "SELECT * FROM exports WHERE id = ?", (export_id,))
    try:
        name, count = _build(db, row, payload["data_dir"])
    except Exception as exc:   # keep the row telling what went wrong; the job is not retried
        log.exception("export %s failed", export_id)
        _finish(db, export_id, "failed", error=type(exc).__name__)
        return
    _finish(db, export_id, "ready", file_name=name, row_count=count)
    purge_old(db, payload["data_dir"])


def purge_old(db, data_dir, days=KEEP_DAYS):
    """Files of personal data do not pile up: exports older than `days` are deleted (the audit
    log keeps the record that they were made)."""
    cutoff = clock.in_seconds(-days * 86400)
    old = query_all(db, "SELECT id, file_name FROM exports WHERE created_at < ?", (cutoff,))
    for row in old:
        if row["file_name"]:
            (exports_dir(data_dir) / row["file_name"]).unlink(missing_ok=True)
    with transaction(db):
        db.execute("DELETE FROM exports WHERE created_at < ?", (cutoff,))
    return len(old)


def _finish(db, export_id, status, file_name=None, row_count=None, error=None):
    with transaction(db):
        db.execute("UPDATE exports SET status = ?, file_name = ?, row_count = ?, error = ?, "
                   "finished_at = ? WHERE id = ?",
                   (status, file_name, row_count, error, clock.now_iso(), export_id))


def _build(db, row, data_dir):
    filters, scope = json.loads(row["filters"]), Scope(json.loads(row["scope_paths"]))
    zone = _zone(db)
    keyring = crypto.Keyring.load(data_dir) if row["personal"] else None
    tables = [_table(db, scope, filters, survey_id, zone, keyring)
              for survey_id in rq.survey_ids(db, scope, filters)]
    folder = exports_dir(data_dir)
    folder.mkdir(mode=0o700, exist_ok=True)
    zipped = row["format"] == "csv" and len(tables) != 1
    name = f"{row['id']}-{secrets.token_hex(8)}.{'zip' if zipped else row['format']}"
    partial = folder / f".{name}.part"
    count = _write(partial, row["format"], zipped, tables)
    os.chmod(partial, 0o600)
    os.replace(partial, folder / name)
    return name, count


def _write(path, fmt, zipped, tables):
    if fmt == "xlsx":
        return export.write_xlsx(path, tables or [("responses", export.BASE_HEADERS, [])])
    if zipped:
        return export.write_csv_zip(path, tables)
    title, head, table_rows = tables[0]
    with open(path, "w", encoding="utf-8", newline="") as out:
        return export.write_csv(out, head, table_rows)


def _table(db, scope, filters, survey_id, zone, keyring):
    """(sheet title, header, lazy rows) for one survey's responses."""
    survey = surveys.get_survey(db, survey_id)
    versions = {v["id"]: v["version"] for v in surveys.list_versions(db, survey_id)}
    docs = [admission.version_document(db, vid) for vid in sorted(versions)]
    questions = {vid: definition.question_map(doc) for vid, doc in zip(sorted(versions), docs)}
    columns = export.columns_for(docs)
    personal = export.contact_columns(docs) if keyring else []
    head = export.header(columns, personal, zone)

    def rows():
        for response in rq.iter_responses(db, scope, {**filters, "survey_id": survey_id},
                                          export.MAX_ROWS):
            contact = _contact(keyring, response) if personal else {}
            yield export.row(response, questions.get(response["version_id"], {}),
                             versions.get(response["version_id"]), columns, personal,
                             contact, zone)
    title = export.sheet_titles([(survey_id, survey["name"] if survey else "")])[0]
    return title, head, rows()


def _contact(keyring, response):
    return json.loads(keyring.decrypt(response["contact_enc"])) if response["contact_enc"] else {}


def _zone(db):
    try:
        return ZoneInfo(settings.get(db, "org.timezone") or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
