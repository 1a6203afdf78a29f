"""Shared fixtures: a real SQLite file built by the real migrations, a fixed cast of users.

The cast (healthchecks style): alice is admin of the whole group; bob manages
store A (EAST-01) and charlie store B (SOUTH-01), so bob must never see
charlie's data; dave is an analyst on the East region; erin a viewer of the group;
pat a programme manager of the group.
The organisation is built once per session and copied for each test.
"""
import os
import re
import threading
import shutil
import socket

import pytest

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


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory):
    """A data directory with the organisation and cast, built once per test session."""
    data_dir = tmp_path_factory.mktemp("template")
    seed_organisation(make_app(data_dir))
    return data_dir


@pytest.fixture
def data_dir(tmp_path, seeded_template):
    target = tmp_path / "data"
    shutil.copytree(seeded_template, target)
    return target


@pytest.fixture
def app(data_dir):
    """An installed appliance (setup completed) with the cast, over a real SQLite file."""
    return make_app(data_dir)


@pytest.fixture
def fresh_app(tmp_path):
    """An appliance straight after installation: empty database, setup wizard pending."""
    return make_app(tmp_path / "fresh")


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, username, password=PASSWORD):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def as_user(app):
    """as_user("bob") -> a test client logged in as bob."""
    def make(username):
        return login(app.test_client(), username)
    return make


@pytest.fixture
def database(app):
    with app.app_context():
        yield db.get_db()


def unit_id(app, code):
    with app.app_context():
        return units_service.get_unit_by_code(db.get_db(), code)["id"]


def csrf_token_from(html):
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


# --- real servers on loopback: the app for the browser, SMTP for email -------------

class LiveServer:
    """The app served by werkzeug on a free loopback port, in a thread."""

    def __init__(self, app):
        from werkzeug.serving import make_server
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def live_server():
    """live_server(app) -> LiveServer; stopped after the test."""
    servers = []

    def start(app):
        servers.append(LiveServer(app))
        return servers[-1]
    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []
            self.received = threading.Event()

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            self.received.set()
            return "250 OK"

    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SCREENSHOT_DIR = os.environ.get("TINGJIAN_SCREENSHOTS", "")


def screenshot(page, name):
    """Save a screenshot when TINGJIAN_SCREENSHOTS names a directory (to look at by hand)."""
    if SCREENSHOT_DIR:
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        page.screenshot(path=os.path.join(SCREENSHOT_DIR, f"{name}.png"), full_page=True)
