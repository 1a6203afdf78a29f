"""Unit rules through the metrics service: a store's 7-day NPS falling significantly below
the 90 days before, and a store's responses collapsing, raise once a day per store."""
from datetime import datetime, timezone

from helpers import login
from loop_helpers import add_rule, rows, run_queue, submit

from appliance.core import clock, db, settings
from appliance.loop import drops

DAY = 86400


def morning():
    """Seconds from now back to 10:00 today in Asia/Shanghai (02:00 UTC): "the same day" two
    hours later then holds at whatever time the suite runs (it failed from 22:00 there)."""
    now = datetime.now(timezone.utc)
    return (now.replace(hour=2, minute=0, second=0, microsecond=0) - now).total_seconds()


def backdated(client, token, days_ago, nps):
    clock.shift(None)
    clock.shift(morning() - days_ago * DAY)
    submit(client, token, nps)
    clock.shift(None)
    clock.shift(morning())


def seed_history(client, token):
    app = client.application
    with app.app_context(), db.transaction(db.get_db()):   # history, not a flood: no burst hold
        settings.set_many(db.get_db(), {"collection.burst_responses": 0})
    for n in range(40):   # promoters over the 90 days before the last week
        backdated(client, token("EAST-01"), 10 + n, 10)
    for n in range(8):    # detractors this week
        backdated(client, token("EAST-01"), n % 6, 1)
    for n in range(60):   # EAST-02 answered often before, and not at all this week
        backdated(client, token("EAST-02"), 10 + n, 9)


def test_a_significant_nps_drop_raises_once_a_day_for_the_store_only(app, client, token):
    seed_history(client, token)
    run_queue(app)   # the metrics summaries are kept from the events
    add_rule(app, name="NPS 下滑", unit="EAST", conditions=[{"kind": "nps_drop", "points": 20}])
    with app.app_context():
        assert len(drops.run(db.get_db())) == 1
        assert drops.run(db.get_db()) == []   # claimed: not due again within the hour
    clock.shift(2 * 3600)
    with app.app_context():
        assert drops.run(db.get_db()) == []   # the same day raises nothing more
    [alert] = rows(app, "SELECT a.*, u.code FROM alerts a JOIN units u ON u.id = a.unit_id")
    assert alert["code"] == "EAST-01" and alert["response_id"] is None
    [ticket] = rows(app, "SELECT * FROM tickets")
    assert ticket["response_id"] is None and "NPS 100 -> -100" in ticket["summary"]
    page = login(app.test_client(), "bob").get(f"/tickets/{ticket['id']}")
    assert page.status_code == 200


def test_a_volume_collapse_is_found_and_the_test_button_names_the_store(app, client, token):
    seed_history(client, token)
    run_queue(app)
    rule_id = add_rule(app, name="答卷量骤降", unit="EAST", open_ticket=0,
                       conditions=[{"kind": "volume_drop", "percent": 50}])
    page = login(app.test_client(), "pat").get(f"/alerts/rules/{rule_id}/test")
    text = page.get_data(as_text=True)
    assert "1 stores would raise this rule today" in text and "EAST-02" in text
    with app.app_context():
        assert len(drops.run(db.get_db())) == 1
    assert rows(app, "SELECT u.code FROM alerts a JOIN units u ON u.id = a.unit_id") == \
        [{"code": "EAST-02"}]


def test_a_unit_condition_cannot_be_mixed_with_response_conditions(app):
    pat = login(app.test_client(), "pat")
    group = rows(app, "SELECT id FROM units WHERE code = 'GROUP'")[0]["id"]
    answer = pat.post("/alerts/rules/new", data={
        "name": "混合", "unit_id": group, "match": "any", "priority": "high",
        "c_detractor": "1", "c_nps_drop": "1", "drop_points": "10", "open_ticket": "1"})
    assert answer.status_code == 400 and "rule of its own" in answer.get_data(as_text=True)
    bad = pat.post("/alerts/rules/new", data={
        "name": "坏", "unit_id": group, "match": "any", "priority": "high",
        "c_volume_drop": "1", "volume_percent": "0", "open_ticket": "1"})
    assert bad.status_code == 400
    assert rows(app, "SELECT id FROM alert_rules") == []
