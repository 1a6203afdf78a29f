"""Setting up a wave through the page: bad input is a 400 with the message, nothing written;
a cron wave runs once per due time even with two runners; rotate-keys re-encrypts contacts."""
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from distribution_helpers import import_contacts, publish_survey, unit

from appliance.core import clock
from appliance.distribution import channels_service, keys, messages, waves


def wave_parts(database):
    root = unit(database, "GROUP")
    list_id = import_contacts(database, 3)
    channel_id = channels_service.save(database, root, "email", "邮件", {}, 10)
    template_id = messages.save(database, root, "邀请", "email", {
        "zh_CN": {"subject": "评价", "text": "{survey_link}", "html": ""}})
    survey = publish_survey(database)
    return {"unit_id": str(root["id"]), "name": "月度", "survey_id": str(survey["id"]),
            "list_id": str(list_id), "channel_id": str(channel_id),
            "template_id": str(template_id)}


def test_a_bad_cron_expression_is_refused_with_a_message(as_user, database):
    form = {**wave_parts(database), "schedule": "cron", "cron": "every monday"}
    response = as_user("alice").post("/distribution/waves/new", data=form)
    assert response.status_code == 400 and "cron" in response.get_data(as_text=True)
    assert database.execute("SELECT COUNT(*) FROM waves").fetchone()[0] == 0


def test_a_monthly_wave_runs_once_per_due_time(as_user, database):
    form = {**wave_parts(database), "schedule": "cron", "cron": "0 10 1 * *"}
    assert as_user("alice").post("/distribution/waves/new", data=form).status_code == 302
    wave = database.execute("SELECT * FROM waves").fetchone()
    due = clock.parse(wave["next_run_at"])
    local = due + timedelta(hours=8)
    assert (local.day, local.hour, local.minute) == (1, 10, 0)
    assert waves.claim_due_runs(database, now=due + timedelta(minutes=1)) != []
    assert waves.claim_due_runs(database, now=due + timedelta(minutes=1)) == []
    following = database.execute("SELECT next_run_at FROM waves").fetchone()[0]
    assert clock.parse(following) > due + timedelta(days=27)
    waves.build_pending_runs(database)
    waves.build_pending_runs(database)
    assert database.execute("SELECT COUNT(*) FROM invitations").fetchone()[0] == 3


def test_the_wave_page_shows_the_next_runs_in_the_organisations_time_zone(as_user, database):
    form = {**wave_parts(database), "schedule": "cron", "cron": "30 9 * * 1"}
    client = as_user("alice")
    location = client.post("/distribution/waves/new", data=form).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "Asia/Shanghai" in page and " 09:30" in page


def test_rotate_keys_reencrypts_contacts_and_they_still_read(app, database):
    import_contacts(database, 2)
    before = database.execute("SELECT email_enc FROM contacts ORDER BY id").fetchall()
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "TINGJIAN_DATA_DIR": app.config["DATA_DIR"], "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", "from appliance.cli import main; main()",
                           "rotate-keys"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    after = database.execute("SELECT email_enc FROM contacts ORDER BY id").fetchall()
    assert all(a[0] != b[0] for a, b in zip(after, before))
    assert keys.keyring().decrypt(after[0][0]) == "guest0@example.com"
    blind = Path(app.config["DATA_DIR"]) / "keys" / "blind_index_key"
    assert blind.stat().st_mode & 0o077 == 0
