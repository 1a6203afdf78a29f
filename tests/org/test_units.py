import io

from appliance.core import db
from helpers import unit_id


def count(app, table):
    with app.app_context():
        return db.get_db().execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_an_admin_adds_a_unit_under_a_region(app, as_user):
    east = unit_id(app, "EAST")
    response = as_user("alice").post(f"/org/units/new?parent_id={east}",
                                     data={"code": "EAST-03", "name": "南京一店", "type": "store"})
    assert response.status_code == 302
    with app.app_context():
        unit = db.query_one(db.get_db(), "SELECT * FROM units WHERE code = 'EAST-03'")
        assert unit["depth"] == 2 and unit["path"].startswith(f"/1/{east}/")
        entry = db.query_one(db.get_db(), "SELECT * FROM audit_log WHERE action = 'unit.create' "
                                          "ORDER BY id DESC LIMIT 1")
        assert entry["username"] == "alice" and "南京一店" in entry["after"]


def test_a_duplicate_code_is_refused_with_400(app, as_user):
    east = unit_id(app, "EAST")
    before = count(app, "units")
    response = as_user("alice").post(f"/org/units/new?parent_id={east}",
                                     data={"code": "EAST-01", "name": "again", "type": "store"},
                                     headers={"Accept-Language": "en"})
    assert response.status_code == 400 and b"already used" in response.data
    assert count(app, "units") == before


def test_moving_a_unit_under_its_own_subtree_is_refused(app, as_user):
    east, store = unit_id(app, "EAST"), unit_id(app, "EAST-01")
    response = as_user("alice").post(f"/org/units/{east}/edit", data={
        "code": "EAST", "name": "华东区", "type": "region", "parent_id": store, "active": "1"},
        headers={"Accept-Language": "en"})
    assert response.status_code == 400 and b"under itself" in response.data


def test_moving_a_region_moves_its_stores_and_the_audit_keeps_before_and_after(app, as_user):
    east, south = unit_id(app, "EAST"), unit_id(app, "SOUTH")
    response = as_user("alice").post(f"/org/units/{east}/edit", data={
        "code": "EAST", "name": "华东区", "type": "region", "parent_id": south, "active": "1"})
    assert response.status_code == 302
    # charlie manages only SOUTH-01, so still cannot see the moved stores; a SOUTH admin would
    with app.app_context():
        store = db.query_one(db.get_db(), "SELECT * FROM units WHERE code = 'EAST-01'")
        assert store["path"].startswith(f"/1/{south}/{east}/") and store["depth"] == 3
        entry = db.query_one(db.get_db(), "SELECT * FROM audit_log WHERE action = 'unit.update'")
        assert entry["before"] and entry["after"]


def test_bad_unit_input_gets_400_never_500(app, as_user):
    east = unit_id(app, "EAST")
    alice = as_user("alice")
    for data in ({"code": "", "name": "x", "type": "store"},
                 {"code": "A B", "name": "x", "type": "store"},
                 {"code": "OK1", "name": "x" * 101, "type": "store"},
                 {"code": "OK2", "name": "x", "type": "planet"},
                 {"code": "OK3", "name": "bad \x01 char", "type": "store"}):
        assert alice.post(f"/org/units/new?parent_id={east}", data=data).status_code == 400
    response = alice.post(f"/org/units/new?parent_id={east}",
                          data=b"code=OK4&name=\xff\xfe&type=store",
                          content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert count(app, "units") == 6


def test_csv_import_is_all_or_nothing_and_lists_the_bad_rows(app, as_user):
    alice = as_user("alice")
    bad = ("code,name,type,parent_code,name_en\n"
           "NORTH,华北区,region,GROUP,North\n"
           "NORTH-01,北京一店,store,NORTH,\n"
           "NORTH-02,,store,NORTH,\n"
           "EAST-01,重复,planet,NORTH,\n"
           "X1,环1,store,X2,\nX2,环2,store,X1,\n")
    response = alice.post("/org/units/import", data={"file": (io.BytesIO(bad.encode()), "u.csv")},
                          content_type="multipart/form-data", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "line 4" in page and "line 5" in page and "Choose a unit type" in page
    assert count(app, "units") == 6
    good = "code,name,type,parent_code,name_en\nNORTH-01,北京一店,store,NORTH,\nNORTH,华北区,region,GROUP,North\n"
    response = alice.post("/org/units/import", data={"file": (io.BytesIO(good.encode("gbk")), "u.csv")},
                          content_type="multipart/form-data")
    assert response.status_code == 200 and "EAST-01" in response.get_data(as_text=True)  # confirm
    assert count(app, "units") == 6
    response = alice.post("/org/units/import", data={"text": good, "missing": "keep"})
    assert response.status_code == 302
    assert count(app, "units") == 8


def test_a_csv_import_cannot_reach_outside_the_scope(app, as_user):
    # dave is an analyst (no manage_units); make him none the wiser with an admin of EAST only
    text = "code,name,type,parent_code\nS9,外部店,store,SOUTH\n"
    response = as_user("dave").post("/org/units/import", data={"file": (io.BytesIO(text.encode()), "u.csv")},
                                    content_type="multipart/form-data")
    assert response.status_code == 403


def test_an_admin_creates_a_user_whose_email_is_encrypted(app, as_user):
    store = unit_id(app, "EAST-02")
    response = as_user("alice").post("/org/users/new", data={
        "username": "frank", "password": "Store-Pass-2026", "display_name": "Frank",
        "email": "frank@example.com", "role": "unit_manager", "unit_id": store})
    assert response.status_code == 302
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT * FROM users WHERE username = 'frank'")
        assert row["must_change_password"] == 1 and "frank@" not in row["email_enc"]
        entry = db.query_one(db.get_db(), "SELECT * FROM audit_log WHERE action = 'user.create'"
                                          " ORDER BY id DESC LIMIT 1")
        assert "frank" in entry["after"] and "Store-Pass" not in entry["after"]
