"""The daily backup by the job runner: a due row claimed once, the archive written and
recorded, old ones pruned, the result in /healthz."""
from datetime import datetime, timezone

from appliance.core import db
from appliance.core.db import transaction
from appliance.ops import schedule


def test_next_run_is_the_hour_in_the_organisation_time_zone():
    now = datetime(2026, 3, 1, 20, 30, tzinfo=timezone.utc)          # 04:30 in Shanghai
    assert schedule.next_run(now, 2, "Asia/Shanghai") == "2026-03-02T18:00:00.000000Z"
    assert schedule.next_run(now, 5, "Asia/Shanghai") == "2026-03-01T21:00:00.000000Z"


def test_a_due_backup_runs_once_is_recorded_and_old_ones_are_pruned(app, client, tmp_path):
    app.config.update(BACKUP_DIR=str(tmp_path / "backups"), BACKUP_KEEP=2,
                      BACKUP_PASSPHRASE_FILE=str(tmp_path / "pass"))
    (tmp_path / "pass").write_text("scheduled secret\n")
    (tmp_path / "backups").mkdir()
    for stamp in ("20200101T020000Z", "20200102T020000Z"):
        (tmp_path / "backups" / f"tingjian-{stamp}.tar").write_bytes(b"old")
    with app.app_context(), transaction(db.get_db()):
        db.get_db().execute("INSERT INTO ops_schedule (name, next_at) VALUES ('backup', ?)",
                            ("2020-01-01T00:00:00.000000Z",))
    schedule.backup_tick(app)
    schedule.backup_tick(app)                  # no longer due: nothing more
    archives = sorted(p.name for p in (tmp_path / "backups").glob("tingjian-*.tar"))
    assert len(archives) == 2 and archives[0] == "tingjian-20200102T020000Z.tar"
    assert (tmp_path / "backups" / f"{archives[1]}.keys").exists()
    with app.app_context():
        runs = db.query_all(db.get_db(), "SELECT kind, status FROM backup_runs")
        due = db.get_db().execute("SELECT next_at FROM ops_schedule").fetchone()[0]
    assert runs == [{"kind": "scheduled", "status": "ok"}] and due > "2026"
    body = client.get("/healthz").get_json()
    assert body["backup"]["ok"] is True and body["backup"]["age_hours"] < 1


def test_a_failed_backup_is_recorded_and_shown(app, client, tmp_path):
    app.config.update(BACKUP_DIR="/proc/no-backups-here")
    with app.app_context(), transaction(db.get_db()):
        db.get_db().execute("INSERT INTO ops_schedule (name, next_at) VALUES ('backup', ?)",
                            ("2020-01-01T00:00:00.000000Z",))
    schedule.backup_tick(app)
    body = client.get("/healthz").get_json()
    assert body["backup"]["ok"] is False and "could not write the backup" in body["backup"]["last_error"]
    assert "tingjian_backup_last_failed 1" in client.get("/metrics").get_data(as_text=True)
