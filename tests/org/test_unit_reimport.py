"""Re-importing the org chart: existing codes are updated (renamed, moved), units missing
from the file are deactivated only after a confirmation step, all or nothing."""
import io

from helpers import login

from appliance.core import db

HEADER = "code,name,type,parent_code,name_en\n"
FULL = HEADER + ("GROUP,测试集团,group,,\n"
                 "EAST,华东大区,region,GROUP,East China\n"
                 "SOUTH,华南区,region,GROUP,\n"
                 "EAST-01,上海一店,store,SOUTH,\n"          # moved to the south
                 "EAST-02,杭州西湖店,store,EAST,\n"         # renamed
                 "EAST-03,苏州一店,store,EAST,\n")          # new; SOUTH-01 is missing


def _upload(client, text):
    return client.post("/org/units/import", data={"file": (io.BytesIO(text.encode()), "u.csv")},
                       content_type="multipart/form-data", headers={"Accept-Language": "en"})


def _units(app):
    with app.app_context():
        return {r["code"]: r for r in db.query_all(
            db.get_db(), "SELECT u.*, p.code AS parent_code FROM units u "
                         "LEFT JOIN units p ON p.id = u.parent_id")}


def test_reimport_asks_before_deactivating_what_the_file_no_longer_lists(app):
    alice = login(app.test_client(), "alice")
    before = _units(app)
    confirm = _upload(alice, FULL)
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "SOUTH-01" in page and "not in the file" in page
    assert _units(app) == before                      # nothing happened yet
    done = alice.post("/org/units/import", data={"text": FULL, "missing": "deactivate"})
    assert done.status_code == 302
    after = _units(app)
    assert after["EAST"]["name"] == "华东大区" and after["EAST"]["name_en"] == "East China"
    assert after["EAST-02"]["name"] == "杭州西湖店"
    assert after["EAST-01"]["parent_code"] == "SOUTH"
    assert after["EAST-01"]["path"].startswith(after["SOUTH"]["path"])
    assert after["EAST-03"]["parent_code"] == "EAST" and after["EAST-03"]["active"] == 1
    assert after["SOUTH-01"]["active"] == 0
    assert after["EAST-01"]["id"] == before["EAST-01"]["id"]   # the same unit, its data kept


def test_keeping_the_missing_units_still_updates_the_others(app):
    alice = login(app.test_client(), "alice")
    assert alice.post("/org/units/import", data={"text": FULL, "missing": "keep"}).status_code == 302
    after = _units(app)
    assert after["SOUTH-01"]["active"] == 1 and after["EAST-02"]["name"] == "杭州西湖店"


def test_a_bad_row_in_a_reimport_changes_nothing(app):
    alice = login(app.test_client(), "alice")
    before = _units(app)
    bad = FULL + "EAST,再改名,region,EAST-01,\n"   # repeats EAST, and under its own store
    response = _upload(alice, bad)
    assert response.status_code == 400 and "repeats line" in response.get_data(as_text=True)
    moved_under_itself = HEADER + "EAST,华东区,region,EAST-01,\n"
    response = alice.post("/org/units/import", data={"text": moved_under_itself, "missing": "keep"})
    assert response.status_code == 400 and "under itself" in response.get_data(as_text=True)
    assert _units(app) == before


def test_a_reimport_cannot_touch_units_outside_the_scope(app):
    with app.test_request_context():
        from appliance.org import units as units_service
        from appliance.org import users as users_service
        database = db.get_db()
        users_service.create_user(database, "rita", "Rita", "", "Region-Admin-2026", "admin",
                                  units_service.get_unit_by_code(database, "EAST"))
    rita = login(app.test_client(), "rita", "Region-Admin-2026")
    response = _upload(rita, HEADER + "SOUTH-01,抢来的店,store,EAST,\n")
    assert response.status_code == 400 and "不在您负责的组织范围内" in response.get_data(as_text=True)
    assert _units(app)["SOUTH-01"]["name"] == "广州一店"


def test_each_import_problem_is_its_own_bullet(app):
    alice = login(app.test_client(), "alice")
    bad = HEADER + "A B,x,store,,\nOK1,,planet,,\n"
    page = _upload(alice, bad).get_data(as_text=True)
    bullets = page.split("Nothing was imported")[1].split("</ul>")[0].count("<li>")
    assert bullets == 3   # a bad code; a missing name; a bad type
