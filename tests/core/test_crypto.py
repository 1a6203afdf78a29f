import os

import pytest
from click.testing import CliRunner

from appliance.cli import main
from appliance.core import crypto, db


def test_round_trip_and_tamper_detection(tmp_path):
    ring = crypto.create_keyring(tmp_path)
    token = ring.encrypt("张三 13800138000")
    assert token.startswith("enc1:") and "138" not in token
    assert ring.decrypt(token) == "张三 13800138000"
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        ring.decrypt(tampered)
    assert ring.encrypt("") == "" and ring.decrypt("") == ""


def test_keys_live_outside_the_database_readable_by_the_owner_only(tmp_path):
    crypto.create_keyring(tmp_path)
    path = crypto.keys_path(tmp_path)
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert oct(os.stat(path.parent).st_mode & 0o777) == "0o700"


def test_rotation_keeps_old_rows_readable_then_reencrypts_them(tmp_path):
    ring = crypto.create_keyring(tmp_path)
    old = ring.encrypt("old secret")
    newer = crypto.add_key(tmp_path)
    assert newer.active != ring.active
    assert newer.decrypt(old) == "old secret"
    assert newer.key_id_of(newer.encrypt("x")) == newer.active


def test_cem_rotate_keys_reencrypts_every_registered_column(app, monkeypatch):
    with app.app_context():
        before = {r["username"]: r["email_enc"] for r in db.query_all(db.get_db(), "SELECT * FROM users")}
    monkeypatch.setenv("TINGJIAN_DATA_DIR", app.config["DATA_DIR"])
    result = CliRunner().invoke(main, ["rotate-keys"])
    assert result.exit_code == 0, result.output
    assert f"re-encrypted {len(before)} values" in result.output
    ring = crypto.Keyring.load(app.config["DATA_DIR"])
    with app.app_context():
        for row in db.query_all(db.get_db(), "SELECT * FROM users"):
            assert row["email_enc"] != before[row["username"]]
            assert ring.key_id_of(row["email_enc"]) == ring.active
            assert ring.decrypt(row["email_enc"]) == f"{row['username']}@example.com"
