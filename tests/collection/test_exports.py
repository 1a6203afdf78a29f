"""Exports run in the job runner, one table per survey, typed cells, strict filters, audited."""
import copy
import csv
import io
import re
import zipfile
from datetime import datetime

from collection_helpers import EVERY_TYPE, link_for, publish_survey, t
from openpyxl import load_workbook

from appliance.core import db, queue

OTHER = {"schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
         "title": t("回访", "Follow-up"), "hidden_fields": ["unit"],
         "pages": [{"key": "p1", "questions": [
             {"key": "effort", "type": "ces", "text": t("费力度", "Effort"), "scale": 7,
              "metric": "ces"},
             {"key": "note", "type": "text", "text": t("备注", "Note")}]}]}


def submit(client, token, answers):
    response = client.post("/api/v1/responses", json={"token": token, "answers": answers})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["response_id"]


def two_surveys(app, client):
    every = publish_survey(app)
    other = publish_survey(app, OTHER)
    submit(client, link_for(app, every["id"], "EAST-01"), {
        "nps": 8, "comment": "=HYPERLINK(\"http://x\") 很好", "grid": {"r1": 1, "r2": 3},
        "contact": {"name": "王小明", "phone": "+442071838750"}, "contact.consent": True})
    submit(client, link_for(app, other["id"], "EAST-01"), {"effort": 6, "note": "-cmd|calc"})
    return every, other


def ask(client, fmt, query="", personal=False):
    return client.post(f"/responses/exports{query}",
                       data={"format": fmt + ("_personal" if personal else "")})


def run_jobs(app):
    with app.app_context():
        queue.run_until_idle(db.get_db())


def download(client):
    links = re.findall(r'href="(/responses/exports/\d+/download)"',
                       client.get("/responses/").get_data(as_text=True))
    response = client.get(links[0])
    response.get_data()
    response.close()
    return response


def exports_rows(app):
    with app.app_context():
        return db.query_all(db.get_db(), "SELECT * FROM exports ORDER BY id")


def test_an_export_is_built_by_the_job_runner_and_offered_when_ready(app, as_user, client):
    two_surveys(app, client)
    alice = as_user("alice")
    assert ask(alice, "csv").status_code == 302
    page = alice.get("/responses/").get_data(as_text=True)
    assert 'data-status="pending"' in page and "/download" not in page   # nothing built yet
    assert exports_rows(app)[0]["status"] == "pending"
    run_jobs(app)
    page = alice.get("/responses/").get_data(as_text=True)
    assert 'data-status="ready"' in page and "/download" in page
    assert as_user("pat").get("/responses/exports/1/download").status_code == 404   # not theirs


def test_all_surveys_give_one_sheet_per_survey_with_its_own_headers(app, as_user, client):
    every, other = two_surveys(app, client)
    alice = as_user("alice")
    ask(alice, "xlsx")
    run_jobs(app)
    book = load_workbook(io.BytesIO(download(alice).data))
    assert len(book.sheetnames) == 2
    first, second = (book[name] for name in book.sheetnames)
    head1 = [c.value for c in next(first.iter_rows(max_row=1))]
    head2 = [c.value for c in next(second.iter_rows(max_row=1))]
    assert "effort 费力度" in head2 and "nps 推荐可能性" not in head2
    assert "nps 推荐可能性" in head1 and "note 备注" not in head1
    assert second.max_row == 2 and first.max_row == 2


def test_csv_of_several_surveys_is_one_file_per_survey_in_a_zip(app, as_user, client):
    two_surveys(app, client)
    alice = as_user("alice")
    ask(alice, "csv")
    run_jobs(app)
    response = download(alice)
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert len(archive.namelist()) == 2
    texts = [archive.read(name).decode("utf-8") for name in archive.namelist()]
    assert all(text.startswith("\ufeffid,") for text in texts)
    assert sum("note 备注" in text.splitlines()[0] for text in texts) == 1


def test_one_survey_as_csv_has_a_single_charset_and_neutralised_formulas(app, as_user, client):
    every, _other = two_surveys(app, client)
    alice = as_user("alice")
    ask(alice, "csv", f"?survey_id={every['id']}")
    run_jobs(app)
    response = download(alice)
    assert response.headers["Content-Type"].count("charset") == 1
    assert response.headers["Cache-Control"] == "no-store"
    cells = [c for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig"))) for c in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c[:1] in ("=", "@") for c in cells)


def test_xlsx_cells_are_typed_matrix_rows_are_columns_and_phones_kept(app, as_user, client):
    every, _other = two_surveys(app, client)
    alice = as_user("alice")
    ask(alice, "xlsx", f"?survey_id={every['id']}", personal=True)
    run_jobs(app)
    sheet = load_workbook(io.BytesIO(download(alice).data)).active
    rows = list(sheet.iter_rows(values_only=True))
    record = dict(zip(rows[0], rows[1]))
    assert record["nps"] == 8 and isinstance(record["nps 推荐可能性"], int)
    assert record["grid.r1 矩阵 · 选项r1"] == 1 and record["grid.r2 矩阵 · 选项r2"] == 3
    submitted = record["submitted_at (Asia/Shanghai)"]
    assert isinstance(submitted, datetime)
    with app.app_context():
        stored = db.query_one(db.get_db(), "SELECT submitted_at FROM responses WHERE id = 1")
    assert submitted.strftime("%H") == f"{(int(stored['submitted_at'][11:13]) + 8) % 24:02d}"
    assert record["contact.phone"] == "+442071838750"   # E.164 kept: not prefixed, not a number
    assert record["comment 其他建议"].startswith("'=HYPERLINK")
    assert not any(isinstance(v, str) and v.startswith("=") for row in rows for v in row)


def test_a_malformed_filter_is_refused_not_widened_to_every_survey(app, as_user, client):
    two_surveys(app, client)
    alice = as_user("alice")
    for query in ("?survey_id=abc", "?unit_id=1x", "?date_from=2026-13", "?score_min=x"):
        response = ask(alice, "csv", query)
        assert response.status_code == 400, query
    assert ask(alice, "pdf").status_code == 400
    assert exports_rows(app) == []


def test_exports_of_personal_data_are_audited_and_need_the_capability(app, as_user, client):
    two_surveys(app, client)
    assert ask(as_user("bob"), "xlsx", personal=True).status_code == 403
    assert ask(as_user("alice"), "xlsx", personal=True).status_code == 302
    with app.app_context():
        actions = [r["action"] for r in db.query_all(db.get_db(), "SELECT action FROM audit_log")]
    assert "export.personal" in actions


def test_a_survey_name_cannot_break_the_sheet(app, as_user, client):
    doc = copy.deepcopy(EVERY_TYPE)
    survey = publish_survey(app, doc)
    with app.app_context():
        db.get_db().execute("UPDATE surveys SET name = ? WHERE id = ?",
                            ("季度/回访:[门店]*?" + "长" * 40, survey["id"]))
    submit(client, link_for(app, survey["id"], "EAST-01"), {"nps": 9})
    alice = as_user("alice")
    ask(alice, "xlsx")
    run_jobs(app)
    book = load_workbook(io.BytesIO(download(alice).data))
    assert len(book.sheetnames[0]) <= 31 and not re.search(r"[\[\]:*?/\\]", book.sheetnames[0])


def test_exports_older_than_a_week_are_deleted_with_their_files(app, as_user, client):
    from appliance.collection import exports
    two_surveys(app, client)
    alice = as_user("alice")
    ask(alice, "csv")
    run_jobs(app)
    row = exports_rows(app)[0]
    path = exports.file_path(app.config["DATA_DIR"], row)
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    with app.app_context():
        database = db.get_db()
        database.execute("UPDATE exports SET created_at = '2020-01-01T00:00:00.000000Z'")
        assert exports.purge_old(database, app.config["DATA_DIR"]) == 1
    assert not path.exists() and exports_rows(app) == []
