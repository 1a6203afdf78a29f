"""cem backup / cem restore: consistent under write load, keys apart and sealed,
and every refusal (wrong passphrase, damaged archive, newer schema, running appliance)."""
import json
import os
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from ops_helpers import contact, publish_contact_survey, start_writer

from appliance.cli import main
from appliance.core import crypto, db

PASS = "correct horse battery staple"
TESTS = Path(__file__).resolve().parents[1]


def cem(args, data_dir, passphrase=PASS, **env):
    environ = {"TINGJIAN_DATA_DIR": str(data_dir), "TINGJIAN_BACKUP_PASSPHRASE": passphrase, **env}
    return CliRunner().invoke(main, args, env=environ)


def acknowledged(writer, at_least):
    """Read the writer's acknowledgements until it has at least `at_least`: {n: response id}."""
    seen = {}
    while len(seen) < at_least:
        line = writer.stdout.readline()
        assert line, "the writer stopped: " + writer.stderr.read()[:500]
        n, response_id = line.split()
        seen[int(n)] = int(response_id)
    return seen


def test_a_backup_taken_while_writing_restores_every_acknowledged_response(app, tmp_path):
    token = publish_contact_survey(app)
    data_dir = Path(app.config["DATA_DIR"])
    writer = start_writer(data_dir, token, [str(TESTS), *sys.path])
    try:
        before = acknowledged(writer, 30)         # acknowledged before the backup starts
        result = cem(["backup", str(tmp_path / "b.tar"), "--keys", str(tmp_path / "b.keys")], data_dir)
        assert result.exit_code == 0, result.output
        acknowledged(writer, 10)                  # the writer went on during and after it
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
        writer.stderr.close()
    fresh = tmp_path / "fresh"
    result = cem(["restore", str(tmp_path / "b.tar"), "--keys", str(tmp_path / "b.keys")], fresh)
    assert result.exit_code == 0, result.output
    ring = crypto.Keyring.load(fresh)
    restored = db.connect(db.database_path(fresh))
    rows = {row["id"]: row for row in restored.execute("SELECT id, contact_enc FROM responses")}
    for n, response_id in before.items():
        assert response_id in rows, f"acknowledged response {response_id} lost"
        assert json.loads(ring.decrypt(rows[response_id]["contact_enc"]))["contact"] == contact(n)


def test_archive_and_keys_are_private_and_the_keys_are_not_in_the_archive(app, tmp_path):
    archive, keys = tmp_path / "out" / "b.tar", tmp_path / "out" / "b.keys"
    assert cem(["backup", str(archive), "--keys", str(keys)], app.config["DATA_DIR"]).exit_code == 0
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600 and stat.S_IMODE(keys.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "tingjian.db" in names and not any("keys" in name for name in names)
    assert manifest["schema_version"] >= 45 and manifest["files"]["tingjian.db"]
    active = crypto.Keyring.load(app.config["DATA_DIR"]).active
    assert active in manifest["key_checks"] and active not in keys.read_text()


def _backup(app, tmp_path):
    archive, keys = tmp_path / "b.tar", tmp_path / "b.keys"
    assert cem(["backup", str(archive), "--keys", str(keys)], app.config["DATA_DIR"]).exit_code == 0
    return archive, keys


def test_restore_refuses_a_wrong_passphrase(app, tmp_path):
    archive, keys = _backup(app, tmp_path)
    result = cem(["restore", str(archive), "--keys", str(keys)], tmp_path / "fresh", passphrase="nope")
    assert result.exit_code == 1 and "wrong passphrase" in result.output
    assert not (tmp_path / "fresh" / "tingjian.db").exists()


def test_restore_refuses_a_damaged_archive(app, tmp_path):
    archive, keys = _backup(app, tmp_path)
    raw = bytearray(archive.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    archive.write_bytes(bytes(raw))
    result = cem(["restore", str(archive), "--keys", str(keys)], tmp_path / "fresh")
    assert result.exit_code == 1 and ("checksum" in result.output or "damaged" in result.output)


def test_restore_refuses_a_newer_schema_and_keys_that_do_not_fit(app, tmp_path):
    archive, keys = _backup(app, tmp_path)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    migrations = tmp_path / "old-migrations"
    migrations.mkdir()
    (migrations / "0001_core.sql").write_text("SELECT 1;")
    result = cem(["restore", str(archive), "--keys", str(keys)], tmp_path / "fresh",
                 TINGJIAN_MIGRATIONS_DIR=str(migrations))
    assert result.exit_code == 1 and "upgrade Tingjian first" in result.output
    other = tmp_path / "other"
    crypto.create_keyring(other)      # an appliance with keys of its own, no keys file given
    result = cem(["restore", str(archive), "--keys", str(tmp_path / "none.keys")], other)
    assert result.exit_code == 1 and manifest and "do not include data key" in result.output


def test_restore_refuses_a_running_appliance(app, tmp_path):
    import fcntl
    archive, keys = _backup(app, tmp_path)
    lock = open(Path(app.config["DATA_DIR"]) / "jobrunner.lock", "a+")
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        result = cem(["restore", str(archive), "--keys", str(keys)], app.config["DATA_DIR"])
    finally:
        lock.close()
    assert result.exit_code == 1 and "stop it first" in result.output


@pytest.fixture
def tiny_disk(tmp_path):
    """A 256 KiB tmpfs (root only): smaller than the database."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs",
                                            str(mount)], capture_output=True).returncode:
        pytest.skip("mounting a tmpfs needs root")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_backup_to_a_full_disk_says_so_in_one_line_and_leaves_nothing(app, tmp_path, tiny_disk):
    result = cem(["backup", str(tiny_disk / "b.tar"), "--keys", str(tiny_disk / "b.keys")],
                 app.config["DATA_DIR"])
    assert result.exit_code == 1 and "could not write the backup" in result.output
    assert "space" in result.output and list(tiny_disk.iterdir()) == []


def test_a_backup_taken_before_setup_restores_without_keys(fresh_app, tmp_path):
    from appliance.ops import backup, restore
    archive = tmp_path / "pre-upgrade.tar"
    manifest = backup.create(fresh_app.config["DATA_DIR"], archive)      # what cem upgrade takes
    assert manifest["key_checks"] == {}
    restored, _aside = restore.restore(archive, tmp_path / "back", fresh_app.config["MIGRATIONS_DIR"])
    assert restored["schema_version"] == manifest["schema_version"]
    assert (tmp_path / "back" / "tingjian.db").exists()
