"""Shared fixtures: a real SQLite file built by the real migrations, a fixed cast of users.

The cast (healthchecks style): alice is admin of the whole group; bob manages
store A (EAST-01) and charlie store B (SOUTH-01), so bob must never see
charlie's data; dave is an analyst on the East region; erin a viewer of the group;
pat a programme manager of the group.
The organisation is built once per session and copied for each test.
"""
import fcntl
import os
import shutil
import threading

import pytest

from appliance.core import db
from helpers import (CAST, PASSWORD, UNITS, csrf_token_from, login, make_app,  # noqa: F401
                     free_port, seed_organisation, unit_id)


@pytest.fixture(scope="session")
def text_models_dir(tmp_path_factory):
    """The text models, built once for the whole run: the checkout's own (built by the
    installer) when they match the code and configuration, else built once into a
    directory every xdist worker shares. Read-only: a test that trains uses its own copy."""
    from appliance.core.config import TEXT_CONFIG_DIR, TEXT_MODELS_DIR
    from appliance.textengine.build import build_models, built_version, expected_version
    if built_version(TEXT_MODELS_DIR) == expected_version(TEXT_CONFIG_DIR, TEXT_MODELS_DIR):
        return TEXT_MODELS_DIR
    shared = tmp_path_factory.getbasetemp().parent / "text-models"
    shared.mkdir(exist_ok=True)
    with open(shared.parent / "text-models.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # the first worker builds, the others wait for it
        if built_version(shared) != expected_version(TEXT_CONFIG_DIR, shared):
            build_models(shared, TEXT_CONFIG_DIR)
    return shared


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
