"""Test helpers importable from any test folder (`from helpers import ...`): the cast,
app construction and seeding, login, ids. conftest.py builds its fixtures from these."""
import os
import re
import socket

from appliance import create_app
from appliance.core import crypto, db, settings
from appliance.org import units as units_service
from appliance.org import users as users_service

PASSWORD = "Correct-Horse-42"
CAST = [  # username, role, unit code
    ("alice", "admin", "GROUP"),
    ("pat", "programme_manager", "GROUP"),
    ("dave", "analyst", "EAST"),
    ("bob", "unit_manager", "EAST-01"),
    ("charlie", "unit_manager", "SOUTH-01"),
    ("erin", "viewer", "GROUP"),
]
UNITS = [  # code, name, type, parent code
    ("GROUP", "测试集团", "group", None),
    ("EAST", "华东区", "region", "GROUP"),
    ("SOUTH", "华南区", "region", "GROUP"),
    ("EAST-01", "上海一店", "store", "EAST"),
    ("EAST-02", "杭州一店", "store", "EAST"),
    ("SOUTH-01", "广州一店", "store", "SOUTH"),
]


def make_app(data_dir, **overrides):
    app = create_app({"data_dir": str(data_dir), "jobs": False, "testing": True,
                      "password_min_length": 10, **overrides}, environ={})
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    return app


def seed_organisation(app):
    with app.app_context():
        database = db.get_db()
        crypto.create_keyring(app.config["DATA_DIR"])
        with db.transaction(database):
            for code, name, kind, parent in UNITS:
                units_service.create_unit(database, code, name, kind,
                                          units_service.get_unit_by_code(database, parent)
                                          if parent else None)
            for username, role, code in CAST:
                users_service.create_user(database, username, username.title(),
                                          f"{username}@example.com", PASSWORD, role,
                                          units_service.get_unit_by_code(database, code),
                                          language="en")
            settings.set_many(database, {"setup.completed": True, "setup.step": "done",
                                         "org.name": "测试集团"})




def integration_token(app, unit_code="GROUP", capabilities=None):
    """A new integration API token (in clear) on unit_code's subtree."""
    from appliance.integrations import TOKEN_CAPABILITIES, tokens
    with app.test_request_context():
        database = db.get_db()
        unit = units_service.get_unit_by_code(database, unit_code)
        return tokens.create_token(database, f"test {unit_code}", unit,
                                   list(capabilities or TOKEN_CAPABILITIES))[1]


def token_client(app, unit_code="GROUP", capabilities=None):
    """A test client whose every request carries an integration token (Authorization: Bearer)."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + integration_token(
        app, unit_code, capabilities)
    return client


def login(client, username, password=PASSWORD):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def unit_id(app, code):
    with app.app_context():
        return units_service.get_unit_by_code(db.get_db(), code)["id"]


def csrf_token_from(html):
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


SCREENSHOT_DIR = os.environ.get("TINGJIAN_SCREENSHOTS", "")


def screenshot(page, name):
    """Save a screenshot when TINGJIAN_SCREENSHOTS names a directory (to look at by hand)."""
    if SCREENSHOT_DIR:
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        page.screenshot(path=os.path.join(SCREENSHOT_DIR, f"{name}.png"), full_page=True)


def touch_drag(page, source, to_y, to_x=None):
    """A real touch through Chrome DevTools (the context needs has_touch=True): press the middle
    of source, slide to (to_x, to_y) in steps, rest, lift. Lifting mid-slide would start a
    fling, and Chrome swallows the next tap as the one that stops it."""
    cdp = page.context.new_cdp_session(page)
    box = source.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    to_x = x if to_x is None else to_x

    def touch(kind, *points):
        cdp.send("Input.dispatchTouchEvent",
                 {"type": kind, "touchPoints": [{"x": px, "y": py} for px, py in points]})
    touch("touchStart", (x, y))
    for step in range(1, 9):
        touch("touchMove", (x + (to_x - x) * step / 8, y + (to_y - y) * step / 8))
    for _rest in range(3):
        page.wait_for_timeout(50)
        touch("touchMove", (to_x, to_y))
    touch("touchEnd")
    cdp.detach()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
