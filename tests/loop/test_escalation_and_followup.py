"""SLA breaches escalate up the org tree once per breach and level; resolving sends the
follow-up survey to the customer, whose answer marks the ticket recovered; KPIs move."""
import re
import threading
from email import message_from_bytes, policy

from helpers import login
from loop_helpers import (FOLLOWUP, add_rule, api_post, publish, rows, run_queue, submit,
                          use_relay)
from test_tickets import region_manager

from appliance.core import clock, db
from appliance.loop import escalation, followup


def _tick(app):
    with app.app_context():
        return escalation.run(db.get_db())


def _open_ticket(app, client, token, smtp_server):
    region_manager(app)
    add_rule(app, priority="urgent")   # acknowledge within 30 min, escalate every 60 min
    use_relay(app, smtp_server.port)
    submit(client, token("EAST-01"), 1, "等了一个小时没人理", email="wang@example.com")
    run_queue(app)
    smtp_server.messages.clear()
    return rows(app, "SELECT * FROM tickets")[0]


def test_a_breached_ticket_escalates_to_the_region_once_and_on_to_the_top(
        app, client, token, smtp_server):
    ticket = _open_ticket(app, client, token, smtp_server)
    assert _tick(app) == (0, 0)   # nothing due yet
    clock.shift(31 * 60)
    assert _tick(app) == (1, 1)
    assert _tick(app) == (0, 0)   # the same breach never escalates twice
    [row] = rows(app, "SELECT t.*, u.code FROM tickets t JOIN units u "
                      "ON u.id = t.escalated_unit_id")
    assert (row["escalation_level"], row["code"], row["ack_breached"]) == (1, "EAST", 1)
    run_queue(app)
    assert [m.rcpt_tos for m in smtp_server.messages] == [["rita@example.com"]]
    mail = message_from_bytes(smtp_server.messages[0].content, policy=policy.default)
    assert "升级" in mail["Subject"]   # rita reads Chinese
    rita = login(app.test_client(), "rita")
    assert f"#{ticket['id']}" in rita.get("/tickets/?view=escalated").get_data(as_text=True)
    assert 'data-unread="1"' in rita.get("/tickets/").get_data(as_text=True)
    clock.shift(61 * 60)
    assert _tick(app) == (1, 1)
    assert rows(app, "SELECT escalation_level FROM tickets") == [{"escalation_level": 2}]
    clock.shift(24 * 3600)
    assert _tick(app) == (1, 0)   # at the top of the tree: no further level, no more checks
    assert rows(app, "SELECT next_check_at FROM tickets") == [{"next_check_at": None}]


def test_two_escalation_runners_at_once_escalate_a_breach_once(app, client, token, smtp_server):
    _open_ticket(app, client, token, smtp_server)
    clock.shift(31 * 60)
    results = []

    def runner():
        with app.app_context():
            connection = db.connect(app.config["DATABASE"])
            results.append(escalation.run(connection)[1])
            connection.close()
    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [0, 1]
    assert len(rows(app, "SELECT id FROM ticket_events WHERE kind = 'escalated'")) == 1


def test_acknowledging_in_time_stops_the_escalation(app, client, token, smtp_server):
    ticket = _open_ticket(app, client, token, smtp_server)
    login(app.test_client(), "bob").post(f"/tickets/{ticket['id']}/status",
                                         data={"action": "acknowledge"})
    clock.shift(31 * 60)
    assert _tick(app) == (0, 0)
    [row] = rows(app, "SELECT * FROM tickets")
    assert row["escalation_level"] == 0 and row["ack_breached"] == 0
    assert row["next_check_at"] == row["resolve_due_at"]


def test_resolving_sends_the_follow_up_and_its_answer_marks_the_ticket_recovered(
        app, client, token, smtp_server):
    follow = publish(app, FOLLOWUP, "回访")
    with app.app_context():
        followup.configure(db.get_db(), follow["id"], None)
    ticket = _open_ticket(app, client, token, smtp_server)
    bob = login(app.test_client(), "bob")
    bob.post(f"/tickets/{ticket['id']}/root_cause", data={"root_cause": "waiting_time"})
    assert bob.post(f"/tickets/{ticket['id']}/status",
                    data={"action": "resolve", "followup": "1"}).status_code == 302
    run_queue(app)
    [envelope] = [m for m in smtp_server.messages if m.rcpt_tos == ["wang@example.com"]]
    body = message_from_bytes(envelope.content, policy=policy.default)
    link_token = re.search(r"/s/([\w-]+)", body.get_body(("plain",)).get_content()).group(1)
    answer = api_post(client, {"token": link_token, "answers": {"resolved": "yes"}})
    assert answer.status_code == 201
    again = api_post(client, {"token": link_token, "answers": {"resolved": "no"}})
    assert again.status_code == 409   # a personal single-use link
    run_queue(app)
    [row] = rows(app, "SELECT recovered, followup_response_id FROM tickets")
    assert row["recovered"] == 1 and row["followup_response_id"] == answer.get_json()["response_id"]
    kpis = bob.get("/tickets/kpis").get_data(as_text=True)
    assert 'data-kpi="recovery">100.0 %' in kpis and "Waiting time" in kpis
    assert 'data-kpi="sla">100.0 %' in kpis


def test_resolving_with_a_follow_up_but_no_customer_email_changes_nothing(
        app, client, token):
    follow = publish(app, FOLLOWUP, "回访")
    with app.app_context():
        followup.configure(db.get_db(), follow["id"], None)
    add_rule(app)
    submit(client, token("EAST-01"), 1, "差")
    run_queue(app)
    ticket_id = rows(app, "SELECT id FROM tickets")[0]["id"]
    answer = login(app.test_client(), "bob").post(f"/tickets/{ticket_id}/status",
                                                  data={"action": "resolve", "followup": "1"})
    assert answer.status_code == 400 and "no email" in answer.get_data(as_text=True)
    assert rows(app, "SELECT status FROM tickets") == [{"status": "open"}]


def test_the_home_dashboard_shows_the_closed_loop_panel(app, client, token):
    add_rule(app)
    submit(client, token("EAST-01"), 1, "差")
    run_queue(app)
    home = login(app.test_client(), "bob").get("/").get_data(as_text=True)
    assert "Closed loop" in home and "Time to acknowledge" in home and "差评工单" in home


def test_a_policy_may_reassign_the_ticket_to_the_manager_it_escalates_to(
        app, client, token, smtp_server):
    with app.app_context():
        database = db.get_db()
        with db.transaction(database):
            database.execute("UPDATE sla_policies SET reassign = 1 WHERE priority = 'urgent'")
    _open_ticket(app, client, token, smtp_server)
    clock.shift(31 * 60)
    assert _tick(app) == (1, 1)
    assert rows(app, "SELECT u.username FROM tickets t JOIN users u ON u.id = t.assignee_id"
                ) == [{"username": "rita"}]
