"""The smaller things a new user noticed: the brand once, the autocomplete attribute,
a favicon, units in natural order, role descriptions, English names for the demo units."""
import io

from helpers import login, make_app

from appliance.core import db


def test_the_brand_is_shown_once_in_the_header_and_on_the_login_page(app):
    login_page = app.test_client().get("/login").get_data(as_text=True)
    brand = login_page.split('class="auth-brand"')[1].split("</div>")[0]
    assert brand.count("听见") == 1
    header = login(app.test_client(), "alice").get("/").get_data(as_text=True)
    header = header.split('class="brand"')[1].split("</a>")[0]
    assert header.count("Tingjian") + header.count("听见") == 1


def test_the_autocomplete_attribute_is_not_escaped(app):
    page = login(app.test_client(), "bob").get("/account/password").get_data(as_text=True)
    assert 'autocomplete="new-password"' in page and "&#34;" not in page


def test_a_favicon_is_served_from_the_package(app):
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"
    response.close()


def test_units_are_listed_in_natural_order(app):
    alice = login(app.test_client(), "alice")
    csv_text = "code,name,type,parent_code\n" + "".join(
        f"EAST-{n},店{n},store,EAST\n" for n in (10, 3, 2))
    alice.post("/org/units/import", data={"file": (io.BytesIO(csv_text.encode()), "u.csv")},
               content_type="multipart/form-data")
    alice.post("/org/units/import", data={"text": csv_text, "missing": "keep"})
    page = alice.get("/org/units").get_data(as_text=True)
    order = [page.index(f"EAST-{n}<") if f"EAST-{n}<" in page else page.index(f"EAST-{n}")
             for n in ("01", "02", "2", "3", "10")]
    assert order == sorted(order)


def test_the_user_form_says_what_each_role_may_do(app):
    page = login(app.test_client(), "alice").get("/org/users/new",
                                                headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "Designs and publishes surveys" in text and "Sees dashboards and overviews only" in text


def test_the_demo_units_have_english_names(tmp_path):
    from appliance.setup import demo
    app = make_app(tmp_path / "demo")
    with app.app_context():
        demo.seed_organisation(db.get_db(), {}, echo=lambda *_: None)
        names = [r[0] for r in db.get_db().execute("SELECT name_en FROM units")]
    assert "Shanghai Wanda Plaza" in names
    assert all(name and name.isascii() for name in names)
