"""Every escalation reaches a person: a unit without unit managers is told through its
programme managers (else the top's contacts), and a breach still running at the last
level is escalated past the top once, by email and on the ticket's timeline."""
from email import message_from_bytes, policy

from helpers import login
from loop_helpers import add_rule, rows, run_queue, submit, use_relay
from test_tickets import region_manager

from appliance.core import clock, db
from appliance.loop import escalation
from appliance.org import units as units_service
from appliance.org import users as users_service


def _tick(app):
    with app.app_context():
        return escalation.run(db.get_db())


def _inbox(app, smtp_server):
    """{recipient: [subject]} of what arrived since the last look."""
    run_queue(app)
    found = {}
    for envelope in smtp_server.messages:
        mail = message_from_bytes(envelope.content, policy=policy.default)
        for to in envelope.rcpt_tos:
            found.setdefault(to, []).append(str(mail["Subject"]))
    smtp_server.messages.clear()
    return found


def _breached_ticket(app, client, token, smtp_server, priority="urgent"):
    region_manager(app)
    add_rule(app, priority=priority)
    use_relay(app, smtp_server.port)
    submit(client, token("EAST-01"), 1, "等了一个小时没人理")
    _inbox(app, smtp_server)
    return rows(app, "SELECT id FROM tickets")[0]["id"]


def _events(app, kind):
    return rows(app, "SELECT detail FROM ticket_events WHERE kind = ? ORDER BY id", (kind,))


def test_the_top_of_the_tree_without_a_manager_is_reached_and_told_once_past_the_top(
        app, client, token, smtp_server):
    ticket_id = _breached_ticket(app, client, token, smtp_server)   # urgent: 3 levels
    clock.shift(31 * 60)
    assert _tick(app) == (1, 1)
    assert list(_inbox(app, smtp_server)) == ["rita@example.com"]   # the region's manager
    clock.shift(61 * 60)
    assert _tick(app) == (1, 1)   # to GROUP, which has no unit manager: its programme manager
    assert list(_inbox(app, smtp_server)) == ["pat@example.com"]
    assert '"notified": ["Pat"]' in _events(app, "escalated")[-1]["detail"]
    clock.shift(24 * 3600)
    assert _tick(app) == (1, 0)   # no level above the top: escalated past it, once
    assert _inbox(app, smtp_server) == {
        "pat@example.com": ["Still overdue at the top level: 差评工单"]}
    clock.shift(24 * 3600)
    assert _tick(app) == (0, 0) and _inbox(app, smtp_server) == {}
    assert len(_events(app, "escalated_top")) == 1
    page = login(app.test_client(), "pat").get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert "escalated it past the top level (SLA still breached)" in page
    assert "told Pat" in page
    assert "Still overdue at the top level" in login(app.test_client(), "pat").get(
        "/alerts/notifications").get_data(as_text=True)


def test_the_last_configured_level_hands_on_to_the_top(app, client, token, smtp_server):
    with app.app_context():
        database = db.get_db()
        with db.transaction(database):
            database.execute("UPDATE sla_policies SET max_levels = 1 WHERE priority = 'urgent'")
    _breached_ticket(app, client, token, smtp_server)
    clock.shift(31 * 60)
    _tick(app)
    assert list(_inbox(app, smtp_server)) == ["rita@example.com"]
    clock.shift(61 * 60)
    assert _tick(app) == (1, 0)
    assert list(_inbox(app, smtp_server)) == ["pat@example.com"]
    assert rows(app, "SELECT escalation_level FROM tickets") == [{"escalation_level": 1}]


def test_without_programme_managers_the_admins_of_the_top_are_told(
        app, client, token, smtp_server):
    with app.app_context():
        database = db.get_db()
        pat = users_service.get_user_by_username(database, "pat")
        users_service.update_user(database, pat, "Pat", "pat@example.com", "programme_manager",
                                  units_service.get_unit_by_code(database, "GROUP"), False)
    _breached_ticket(app, client, token, smtp_server)
    clock.shift(31 * 60)
    _tick(app)
    clock.shift(61 * 60)
    _tick(app)
    assert list(_inbox(app, smtp_server)) == ["rita@example.com", "alice@example.com"]


def test_a_policy_without_escalation_levels_tells_no_one_above(app, client, token, smtp_server):
    with app.app_context():
        database = db.get_db()
        with db.transaction(database):
            database.execute("UPDATE sla_policies SET max_levels = 0 WHERE priority = 'urgent'")
    _breached_ticket(app, client, token, smtp_server)
    clock.shift(31 * 60)
    assert _tick(app) == (1, 0)
    assert _inbox(app, smtp_server) == {} and not _events(app, "escalated_top")
    assert rows(app, "SELECT ack_breached FROM tickets") == [{"ack_breached": 1}]
