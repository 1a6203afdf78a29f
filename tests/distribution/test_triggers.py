"""POST /api/v1/triggers with an integration API token: a transaction becomes an invitation
after the delay, in the allowed hours, for a sample, once per transaction id and at most once
per contact per N days."""
from datetime import datetime, timedelta, timezone

import pytest
from distribution_helpers import publish_survey, unit

from appliance.core import clock
from appliance.distribution import channels_service, messages, waves
from helpers import token_client


@pytest.fixture
def api(app):
    """post(body, token_unit, capabilities): a call with an integration API token scoped to
    token_unit's subtree (token_unit None: no token at all)."""
    clients = {}

    def post(body, token_unit="GROUP", capabilities=("trigger_surveys",)):
        if token_unit is None:
            return app.test_client().post("/api/v1/triggers", json=body)
        key = (token_unit, tuple(capabilities))
        if key not in clients:
            clients[key] = token_client(app, token_unit, list(capabilities))
        return clients[key].post("/api/v1/triggers", json=body)
    return post


@pytest.fixture
def trigger_wave(app):
    with app.app_context():
        from appliance.core import db
        database = db.get_db()
        root = unit(database, "GROUP")
        channel_id = channels_service.save(database, root, "email", "邮件", {}, 10)
        template_id = messages.save(database, root, "邀请", "email", {
            "zh_CN": {"subject": "评价", "text": "{survey_link}", "html": ""}})
        return waves.create(database, root, "交易后", publish_survey(database), None,
                            {"id": channel_id, "kind": "email"},
                            {"id": template_id, "channel_kind": "email"},
                            {"schedule": "trigger", "delay_minutes": "120",
                             "per_contact_days": "30", "sampling_percent": "100"})


def body(wave_id, txn="T-1", unit_code="EAST-01", email="buyer@example.com", at=None):
    return {"wave_id": wave_id, "unit": unit_code, "transaction_id": txn,
            "transaction_time": at or clock.now_iso(), "order_id": f"O-{txn}",
            "contact": {"email": email, "name": "买家"}}


def test_a_transaction_schedules_an_invitation_after_the_delay(api, trigger_wave, database):
    response = api(body(trigger_wave))
    assert response.status_code == 202
    answer = response.get_json()
    assert answer["ok"] and answer["decision"] == "scheduled"
    due = datetime.strptime(answer["send_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    assert timedelta(minutes=119) < due - clock.utcnow() <= timedelta(minutes=120)
    row = database.execute("SELECT order_id, transaction_id, status FROM invitations").fetchone()
    assert tuple(row) == ("O-T-1", "T-1", "scheduled")


def test_a_repeated_transaction_is_refused_and_nothing_is_added(api, trigger_wave, database):
    assert api(body(trigger_wave)).status_code == 202
    again = api(body(trigger_wave))
    assert again.status_code == 409
    assert again.get_json()["errors"][0]["field"] == "transaction_id"
    assert database.execute("SELECT COUNT(*) FROM invitations").fetchone()[0] == 1


def test_a_contact_is_asked_at_most_once_in_n_days(api, trigger_wave, database):
    assert api(body(trigger_wave, "T-1")).get_json()["decision"] == "scheduled"
    assert api(body(trigger_wave, "T-2")).get_json()["decision"] == "recently_asked"
    assert api(body(trigger_wave, "T-3", email="other@example.com")).get_json()["decision"] == \
        "scheduled"


def test_sampling_keeps_about_the_asked_share_of_transactions(api, trigger_wave, database):
    database.execute("UPDATE waves SET sampling_percent = 30, per_contact_days = 0")
    decisions = [api(body(trigger_wave, f"S-{n}", email=f"s{n}@example.com")).get_json()["decision"]
                 for n in range(200)]
    kept = decisions.count("scheduled")
    assert 35 <= kept <= 85 and set(decisions) == {"scheduled", "sampled_out"}


def test_the_allowed_window_moves_the_send_into_it(api, trigger_wave, database):
    database.execute("UPDATE waves SET delay_minutes = 0, window_start = '10:00', "
                     "window_end = '10:01'")
    answer = api(body(trigger_wave)).get_json()
    local = datetime.strptime(answer["send_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=timezone.utc) + timedelta(hours=8)   # Asia/Shanghai
    assert (local.hour, local.minute) == (10, 0)


def test_an_unknown_unit_or_one_outside_the_scope_is_404_with_a_message(api, trigger_wave):
    unknown = api(body(trigger_wave, unit_code="NOWHERE"))
    assert unknown.status_code == 404 and "NOWHERE" in unknown.get_json()["error"]
    assert api(body(trigger_wave), token_unit="SOUTH").status_code == 404   # outside its subtree
    assert api(body(trigger_wave), capabilities=("submit_responses",)).status_code == 403


def test_bad_input_gets_a_4xx_envelope(api, trigger_wave):
    assert api(body(trigger_wave), token_unit=None).status_code == 401
    bad_time = api({**body(trigger_wave), "transaction_time": "yesterday"})
    assert bad_time.status_code == 400 and bad_time.get_json()["errors"][0]["field"] == \
        "transaction_time"
    bad_email = api({**body(trigger_wave), "contact": {"email": "nope"}})
    assert bad_email.status_code == 400 and bad_email.get_json()["ok"] is False
    assert api({**body(trigger_wave), "wave_id": 999}).status_code == 404
    assert api("not an object").status_code == 400
