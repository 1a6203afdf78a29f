from click.testing import CliRunner

from appliance.cli import main


def run(args, env):
    return CliRunner().invoke(main, args, env=env)


def test_check_migrate_and_demo_on_a_fresh_data_dir(tmp_path):
    env = {"TINGJIAN_DATA_DIR": str(tmp_path), "TINGJIAN_MIN_FREE_DISK_MB": "1"}
    result = run(["check"], env)
    assert result.exit_code == 1 and "migrations pending" in result.output
    assert run(["migrate"], env).exit_code == 0
    result = run(["check"], env)
    assert result.exit_code == 0, result.output
    assert "schema" in result.output and "free disk" in result.output
    result = run(["demo"], env)
    assert result.exit_code == 0, result.output
    assert "3 regions, 30 stores" in result.output
    for username in ("admin", "pm", "analyst", "east", "store", "viewer"):
        assert username in result.output
    assert "already present" in run(["demo"], env).output


def test_check_fails_on_a_bad_setting_with_a_one_line_error(tmp_path):
    result = run(["check"], {"TINGJIAN_DATA_DIR": str(tmp_path), "TINGJIAN_BIND": "x:0"})
    assert result.exit_code == 1
    assert "bind: port '0'" in result.output


def test_check_reports_low_disk(tmp_path):
    env = {"TINGJIAN_DATA_DIR": str(tmp_path), "TINGJIAN_MIN_FREE_DISK_MB": str(10**9)}
    run(["migrate"], env)
    result = run(["check"], env)
    assert result.exit_code == 1 and "MB free" in result.output


def test_create_admin_and_backup_restore(app, tmp_path):
    env = {"TINGJIAN_DATA_DIR": app.config["DATA_DIR"], "TINGJIAN_BACKUP_PASSPHRASE": "s3cret pass"}
    result = run(["create-admin", "--username", "ops", "--password", "Night-Shift-2026"], env)
    assert result.exit_code == 0, result.output
    result = run(["create-admin", "--username", "ops2", "--password", "weak"], env)
    assert result.exit_code == 1 and "password" in result.output
    backup = tmp_path / "backup.tar"
    assert run(["backup", str(backup)], env).exit_code == 0
    assert backup.stat().st_size > 0 and (tmp_path / "backup.tar.keys").exists()
    assert run(["restore", str(backup)], env).exit_code == 0
