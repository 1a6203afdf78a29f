"""cem check: the SMTP relay, key permissions, backups and text models."""
import os

from click.testing import CliRunner

from appliance.cli import main
from appliance.core import crypto, db, settings


def check(app):
    env = {"TINGJIAN_DATA_DIR": app.config["DATA_DIR"], "TINGJIAN_MIN_FREE_DISK_MB": "1"}
    return CliRunner().invoke(main, ["check"], env=env)


def set_relay(app, port):
    with app.app_context():
        settings.set_many(db.get_db(), {"smtp.host": "127.0.0.1", "smtp.port": port})


def test_check_reaches_the_smtp_relay_and_reports_models_and_backups(app, smtp_server):
    set_relay(app, smtp_server.port)
    result = check(app)
    assert result.exit_code == 0, result.output
    assert f"127.0.0.1:{smtp_server.port} reachable (220" in result.output
    assert "text models" in result.output and "last good never" in result.output


def test_check_fails_on_an_unreachable_relay_and_readable_keys(app, smtp_server):
    set_relay(app, smtp_server.port + 1 if smtp_server.port < 65535 else 1)
    os.chmod(crypto.keys_path(app.config["DATA_DIR"]), 0o644)
    result = check(app)
    assert result.exit_code == 1
    assert "is not reachable" in result.output and "readable by others" in result.output
