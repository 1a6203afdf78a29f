"""Hardening: no-store on staff pages and exports, a quiet /healthz for strangers,
private file modes for the data directory, the database, its WAL and backups."""
import stat
from pathlib import Path

from click.testing import CliRunner
from helpers import login

from appliance.core import db


def test_staff_pages_and_exports_are_not_stored_by_browsers_or_proxies(app):
    bob = login(app.test_client(), "bob")
    for url in ("/", "/responses/", "/org/units", "/org/units/export.csv"):
        response = bob.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    static = bob.get("/static/css/app.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_anonymous_healthz_from_afar_shows_only_the_status(app):
    stranger = app.test_client().get("/healthz", environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert stranger.status_code == 200
    assert stranger.get_json() == {"ok": True, "status": "ok", "database": "ok",
                                   "setup_completed": True, "job_runner": {"alive": False},
                                   "backup": {"ok": False}}
    proxied = app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.5"})
    assert "queue" not in proxied.get_json()
    local = app.test_client().get("/healthz")
    assert "queue" in local.get_json() and "job_runner" in local.get_json()
    admin = login(app.test_client(), "alice").get(
        "/healthz", environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert "queue" in admin.get_json()


def test_the_data_directory_and_database_files_are_private(app, tmp_path):
    with app.app_context():
        db.get_db().execute("SELECT 1")
    path = Path(app.config["DATABASE"])
    assert _mode(path.parent) == 0o700
    for name in (path, Path(f"{path}-wal")):
        assert name.exists() and _mode(name) == 0o600, name
    from appliance.cli import main
    target = tmp_path / "backup.db"
    result = CliRunner().invoke(main, ["backup", str(target)],
                                env={"TINGJIAN_DATA_DIR": str(path.parent)})
    assert result.exit_code == 0, result.output
    assert _mode(target) == 0o600


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)
