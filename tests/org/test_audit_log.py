"""The audit log for people and auditors: labelled actions in both languages, objects in
words, a change summary, a date filter, paging, a CSV export (itself audited), and one row
per editing session for the designer's autosave."""
import re
from datetime import timedelta
from pathlib import Path

from helpers import login, unit_id

from appliance import domains
from appliance.core import audit, clock, db

PACKAGE = Path(__file__).resolve().parents[2] / "appliance"


def test_every_action_code_recorded_anywhere_has_a_label():
    registry = domains.load()
    registry.activate()
    codes = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"audit\.record(?:_export)?\(\s*[\w()]+,\s*(.{0,120})", text, re.S):
            first = call.group(1).split(",")[0]   # the action: the call's second argument
            codes |= set(re.findall(r'"([a-z]+\.[a-z_]+)"', first))
        codes |= set(re.findall(r'action="([a-z]+\.[a-z_]+)"', text))
    assert codes, "no audit.record calls found"
    assert sorted(c for c in codes if c not in audit.ACTION_LABELS) == []


def test_actions_and_objects_read_in_words_in_chinese(app):
    alice = login(app.test_client(), "alice")
    east = unit_id(app, "EAST-01")
    alice.post(f"/org/units/{east}/edit", data={"code": "EAST-01", "name": "上海旗舰店",
                                                "type": "store", "name_en": "",
                                                "parent_id": unit_id(app, "EAST"), "active": "1"})
    alice.post("/language", data={"language": "zh_CN"})
    page = alice.get("/org/audit").get_data(as_text=True)
    assert "修改单元" in page                        # unit.update, in Chinese
    assert "上海旗舰店 (EAST-01)" in page             # the object by name, not "unit 4"
    assert "name: 上海一店 → 上海旗舰店" in page       # a change summary, not raw JSON
    assert '{"' not in page
    assert "code = EAST-01" in page and "created_at" not in page   # a creation, in words


def test_the_log_filters_by_date_and_pages(app):
    _fill(app, 120)
    alice = login(app.test_client(), "alice")
    first = alice.get("/org/audit?action=unit.").get_data(as_text=True)
    assert first.count("<tr>") == 51 and "page=2" in first       # 50 rows and a header
    second = alice.get("/org/audit?action=unit.&page=3").get_data(as_text=True)
    assert 0 < second.count("<tr>") - 1 <= 50
    today = clock.utcnow().date()
    old = alice.get(f"/org/audit?to={today - timedelta(days=3)}").get_data(as_text=True)
    assert "seeded" in old and "修改单元" not in old and "changed unit" not in old
    assert "No entries" not in old
    recent = alice.get(f"/org/audit?from={today - timedelta(days=1)}").get_data(as_text=True)
    assert "seeded" not in recent


def test_auditors_export_the_filtered_log_as_csv_and_the_export_is_logged(app):
    alice = login(app.test_client(), "alice")
    response = alice.get("/org/audit/export.csv?action=user.")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert text.count("\n") >= 7 and "user.create" in text and "auth.login" not in text
    with app.app_context():
        logged = db.query_one(db.get_db(), "SELECT * FROM audit_log WHERE action = 'export.audit'")
    assert logged and '"rows"' in logged["after"]
    assert login(app.test_client(), "bob").get("/org/audit/export.csv").status_code == 403


def test_autosave_writes_one_row_per_editing_session(app):
    with app.test_request_context():
        database = db.get_db()
        actor = {"id": 1, "username": "pat"}
        with db.transaction(database):
            for n in range(5):
                audit.record(database, "survey.draft_save", "survey", 7, None,
                             after={"questions": n}, actor=actor)
            audit.record(database, "survey.draft_save", "survey", 8, None, after={}, actor=actor)
        rows = db.query_all(database, "SELECT * FROM audit_log WHERE action = "
                                      "'survey.draft_save' ORDER BY id")
        assert [(r["entity_id"], r["after"]) for r in rows] == [("7", '{"questions": 4}'),
                                                                ("8", "{}")]
        with db.transaction(database):   # 31 minutes later: a new editing session
            database.execute("UPDATE audit_log SET at = ?", (clock.iso(
                clock.utcnow() - timedelta(minutes=31)),))
            audit.record(database, "survey.draft_save", "survey", 7, None, after={}, actor=actor)
        assert database.execute("SELECT COUNT(*) FROM audit_log WHERE action = "
                                "'survey.draft_save'").fetchone()[0] == 3


def _fill(app, n):
    """n unit changes now, and one old entry from a week ago."""
    with app.test_request_context():
        database = db.get_db()
        with db.transaction(database):
            for i in range(n):
                audit.record(database, "unit.update", "unit", 1, 1, before={"name": str(i)},
                             after={"name": str(i + 1)})
            database.execute(
                "INSERT INTO audit_log (at, username, action, entity, entity_id, ip, after) "
                "VALUES (?, 'system', 'setup.complete', 'settings', 'organisation', '', ?)",
                (clock.iso(clock.utcnow() - timedelta(days=7)), '{"note": "seeded"}'))


def test_every_action_label_reads_in_chinese_too(app):
    from flask_babel import force_locale
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        untranslated = [code for code, label in audit.ACTION_LABELS.items()
                        if str(label) == label._args[0]]
    assert untranslated == []
