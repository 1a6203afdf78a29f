"""The indicator editor refuses bad trees with clear messages; O-data imports all or nothing."""
import pytest

from appliance.core.db import get_db
from appliance.metrics import demo as metrics_demo
from appliance.metrics import indicators, service, tree
from metrics_helpers import add, deliver, restaurant_survey


@pytest.fixture
def survey(app):
    with app.app_context():
        database = get_db()
        found = restaurant_survey(database)
        for code, nps in (("EAST-01", 10), ("EAST-01", 6), ("SOUTH-01", 9)):
            add(database, found, code, "2026-03-10T04:00:00.000000Z", nps=nps, csat=5,
                ratings=(5, 3, 4, 2))
        deliver(database)
        return found


def nodes(survey_id, **changes):
    found = metrics_demo.indicator_nodes(survey_id)
    for node in found:
        node.update(changes.get(node["key"], {}))
    return found


def form(rows):
    data = {f: [] for f in ("key", "parent", "name_zh", "name_en", "weight", "metric",
                            "survey_id", "question", "target")}
    for row in rows:
        for field in data:
            data[field].append(str(row.get(field, "")))
    return data


def test_indicators_roll_up_to_an_index_with_targets_and_rag(app, survey):
    with app.app_context():
        database = get_db()
        indicators.save(database, nodes(survey["id"]))
        result = service.summary(database, tree.by_code(database, "EAST-01"), "2026-03-10",
                                 "2026-03-10")["indicators"]
    by_key = {i["key"]: i for i in result}
    assert by_key["loyalty"]["score"] == 50.0            # NPS 0 -> 50 on 0-100
    assert by_key["ordering"]["score"] == 100.0 and by_key["checkout"]["score"] == 0.0
    assert by_key["journey"]["score"] == 50.0            # (100 + 0 + 100 + 0) / 4
    assert by_key["cx_index"]["score"] == pytest.approx(0.4 * 50 + 0.3 * 100 + 0.3 * 50)
    assert by_key["satisfaction"]["rag"] == "green" and by_key["loyalty"]["rag"] == "amber"   # 50 against 52


@pytest.mark.parametrize("changes, message", [
    ({"loyalty": {"weight": 0.5}}, "add up to 1.1"),
    ({"cx_index": {"parent": "journey"}}, "cycle"),
    ({"ordering": {"metric": "question_mean", "question": "q2"}}, "cannot be measured"),
    ({"loyalty": {"weight": "abc"}}, "must be a number"),
])
def test_the_editor_refuses_a_bad_tree_and_keeps_the_last_version(as_user, app, survey,
                                                                    changes, message):
    pat = as_user("pat")
    assert pat.post("/indicators", data=form(nodes(survey["id"]))).status_code == 302
    response = pat.post("/indicators", data=form(nodes(survey["id"], **changes)))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert indicators.current(get_db())["version"] == 1


def test_indicator_edits_are_versioned_and_audit_logged(as_user, app, survey):
    pat = as_user("pat")
    pat.post("/indicators", data=form(nodes(survey["id"])))
    pat.post("/indicators", data=form(nodes(survey["id"], cx_index={"target": 70})))
    with app.app_context():
        database = get_db()
        assert indicators.current(database)["version"] == 2
        rows = database.execute("SELECT username FROM audit_log WHERE action = "
                                "'indicators.save'").fetchall()
    assert [r[0] for r in rows] == ["pat", "pat"]
    assert as_user("bob").get("/indicators").status_code == 403


def upload(client, content, name="odata.csv"):
    import io
    return client.post("/odata", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_odata_csv_in_gbk_with_chinese_headers_is_imported(as_user, app, survey):
    text = "门店编码,日期,指标,数值\nEAST-01,2026-03-10,waiting_minutes,12.5\nSOUTH-01,2026-03-10,waiting_minutes,30\n"
    assert upload(as_user("pat"), text.encode("gbk")).status_code == 302
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM odata_values").fetchone()[0] == 2


def test_odata_with_bad_rows_imports_nothing_and_lists_them(as_user, app, survey):
    text = ("\ufeffunit,date,metric,value\nEAST-01,2026-03-10,waiting_minutes,12\n"
            "NOPE,2026-03-10,waiting_minutes,3\nEAST-02,2026-02-30,waiting_minutes,abc\n")
    response = upload(as_user("pat"), text.encode("utf-8"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Row 3" in page and "Row 4" in page and "abc" in page
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM odata_values").fetchone()[0] == 0


def test_odata_xlsx_import(as_user, app, survey):
    import io
    from openpyxl import Workbook
    book = Workbook()
    book.active.append(["unit", "date", "metric", "value"])
    book.active.append(["EAST-01", "2026-03-10", "sales", 1234.5])
    out = io.BytesIO()
    book.save(out)
    assert upload(as_user("pat"), out.getvalue(), "o.xlsx").status_code == 302


def test_odata_push_api_needs_a_principal_and_writes_all_or_nothing(app, client, survey):
    from flask import g
    from appliance.org import users
    assert client.post("/api/v1/odata", json={"values": []}).status_code == 401
    def as_pat():
        g.user = users.load_session_user(get_db(), _user_id(app, "pat"))
    app.before_request_funcs.setdefault(None, []).append(as_pat)
    bad = client.post("/api/v1/odata", json={"values": [
        {"unit": "EAST-01", "date": "2026-03-10", "metric": "sales", "value": 5},
        {"unit": "EAST-01", "date": "2026-03-10", "metric": "Sales!", "value": 5}]})
    assert bad.status_code == 400 and bad.get_json()["errors"][0]["field"] == "row 3 metric"
    good = client.post("/api/v1/odata", json={"values": [
        {"unit": "EAST-01", "date": "2026-03-10", "metric": "sales", "value": 5}]})
    assert good.status_code == 201 and good.get_json()["imported"] == 1


def _user_id(app, name):
    with app.app_context():
        return get_db().execute("SELECT id FROM users WHERE username = ?", (name,)).fetchone()[0]


def test_journey_editor_saves_stages_and_touchpoints(as_user, app, survey):
    data = {"journey_key": "mall", "journey_zh": "商场", "journey_en": "Mall",
            "stage": ["park", "park", "shop"], "stage_zh": ["停车", "停车", "购物"],
            "stage_en": ["", "", ""], "key": ["parking", "exit", "shopping"],
            "name_zh": ["停车场", "出场", "购物"], "name_en": ["", "", ""],
            "target": ["70", "", "80"]}
    assert as_user("pat").post("/journeys/edit", data=data).status_code == 302
    data["target"] = ["abc", "", ""]
    assert as_user("pat").post("/journeys/edit", data=data).status_code == 400
    page = as_user("pat").get("/journeys").get_data(as_text=True)
    assert "停车场" in page and "购物" in page
