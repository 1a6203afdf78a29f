"""Bob manages EAST-01, charlie SOUTH-01: neither may reach the other's part of the tree."""
from helpers import PASSWORD, unit_id

from appliance.core import db
from appliance.org import units as units_service
from appliance.org import users as users_service


def test_a_unit_manager_lists_only_his_subtree(as_user):
    page = as_user("bob").get("/org/units").get_data(as_text=True)
    assert "上海一店" in page
    assert "广州一店" not in page and "杭州一店" not in page and "华南区" not in page


def test_a_regional_analyst_sees_the_region_and_its_stores(as_user):
    page = as_user("dave").get("/org/units").get_data(as_text=True)
    assert "上海一店" in page and "杭州一店" in page and "广州一店" not in page


def test_another_units_record_by_id_is_404(app, as_user):
    other = unit_id(app, "SOUTH-01")
    assert as_user("bob").get(f"/org/units/{other}").status_code == 404
    assert as_user("dave").get(f"/org/units/{other}").status_code == 404
    assert as_user("dave").get("/org/units/999999").status_code == 404


def test_editing_units_without_the_right_is_403_for_any_id_so_ids_reveal_nothing(app, as_user):
    bob = as_user("bob")
    for code in ("EAST-01", "SOUTH-01"):
        assert bob.get(f"/org/units/{unit_id(app, code)}/edit").status_code == 403
    assert bob.get("/org/units/999999/edit").status_code == 403


def test_an_admin_of_a_subtree_cannot_edit_outside_it(app, as_user):
    with app.app_context():
        database = db.get_db()
        with db.transaction(database):
            users_service.create_user(database, "eve", "Eve", "eve@example.com", PASSWORD,
                                      "admin", units_service.get_unit_by_code(database, "EAST"))
    eve, other = as_user("eve"), unit_id(app, "SOUTH-01")
    assert eve.get(f"/org/units/{unit_id(app, 'EAST-01')}/edit").status_code == 200
    assert eve.get(f"/org/units/{other}/edit").status_code == 404
    response = eve.post(f"/org/units/{other}/edit",
                        data={"code": "HACK", "name": "x", "type": "store"})
    assert response.status_code == 404


def test_exports_are_scoped(as_user):
    csv_text = as_user("bob").get("/org/units/export.csv").get_data(as_text=True)
    assert "EAST-01" in csv_text and "SOUTH-01" not in csv_text and "GROUP" not in csv_text


def test_users_and_audit_need_the_right_role(as_user):
    assert as_user("bob").get("/org/users").status_code == 403
    assert as_user("erin").get("/org/audit").status_code == 403
    assert as_user("alice").get("/org/users").status_code == 200


def test_unknown_ids_are_404_not_500(as_user):
    assert as_user("alice").get("/org/units/999999").status_code == 404
    assert as_user("alice").get("/org/users/999999/edit").status_code == 404
