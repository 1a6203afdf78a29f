"""Alert rules on real submissions: evaluated after text analysis, once per rule and
response whatever runs them, their emails through the durable queue to a real SMTP server."""
import threading
from email import message_from_bytes, policy

from helpers import login
from loop_helpers import add_rule, rows, run_queue, submit, use_relay

from appliance.core import clock, db, events, queue

COMPLAINT = "服务员态度很差，上菜太慢了，我要投诉到消协 <script>alert(1)</script>"


def _mail(envelope):
    return message_from_bytes(envelope.content, policy=policy.default)


def test_a_detractor_with_a_sensitive_word_opens_a_ticket_and_emails_the_store_manager(
        app, client, token, smtp_server):
    add_rule(app, conditions=[{"kind": "detractor"}, {"kind": "sensitive", "categories": []}])
    use_relay(app, smtp_server.port)
    response_id = submit(client, token("EAST-01"), 2, COMPLAINT, email="wang@example.com")
    run_queue(app)
    tickets = rows(app, "SELECT t.*, u.username FROM tickets t JOIN users u "
                        "ON u.id = t.assignee_id")
    assert [(t["response_id"], t["username"], t["status"]) for t in tickets] == \
        [(response_id, "bob", "open")]
    assert smtp_server.received.wait(5)
    [envelope] = smtp_server.messages
    assert envelope.rcpt_tos == ["bob@example.com"]
    mail = _mail(envelope)
    assert "差评工单" in mail["Subject"]
    html = mail.get_body(("html",)).get_content()
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert f"http://cem.example/tickets/{tickets[0]['id']}" in mail.get_body(("plain",)).get_content()
    bob = login(app.test_client(), "bob")
    page = bob.get("/tickets/").get_data(as_text=True)
    assert 'data-unread="1"' in page and "投诉到消协" in page
    bob.get(f"/tickets/{tickets[0]['id']}")   # opening the ticket reads its notification
    assert "data-unread" not in bob.get("/tickets/").get_data(as_text=True)


def test_two_job_runners_a_replayed_event_and_a_restart_raise_each_rule_once(
        app, client, token, smtp_server):
    add_rule(app)
    add_rule(app, name="敏感词", conditions=[{"kind": "sensitive", "categories": []}],
             open_ticket=0)
    use_relay(app, smtp_server.port)
    response_id = submit(client, token("EAST-01"), 1, COMPLAINT)
    with app.app_context():   # the text analysis first, so both runners race on the alerts
        database = db.get_db()
        from appliance.text import pipeline
        pipeline.sync_response(database, response_id)
        events.publish(database, "text.response_analysed", {"response_id": response_id})

    def runner():
        with app.app_context():
            connection = db.connect(app.config["DATABASE"])
            queue.run_until_idle(connection, worker=threading.current_thread().name)
            connection.close()
    threads = [threading.Thread(target=runner, name=f"runner-{n}") for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    run_queue(app)   # "after a restart": everything delivered again finds its alert raised
    assert len(rows(app, "SELECT id FROM alerts")) == 2
    assert len(rows(app, "SELECT id FROM tickets")) == 1
    assert len(smtp_server.messages) == 2   # one per rule for bob, never a third


def test_a_crash_between_the_ticket_insert_and_the_email_leaves_nothing_then_retries(
        app, client, token, smtp_server):
    add_rule(app)
    use_relay(app, smtp_server.port)
    with app.app_context():   # the email's enqueue fails inside the alert's transaction
        db.get_db().execute("CREATE TRIGGER crash BEFORE INSERT ON outbox "
                            "WHEN NEW.topic = 'loop.email' BEGIN SELECT RAISE(ABORT, 'crash'); END")
    submit(client, token("EAST-01"), 3, "菜是凉的")
    run_queue(app)
    assert rows(app, "SELECT id FROM tickets") == [] and rows(app, "SELECT id FROM alerts") == []
    with app.app_context():
        db.get_db().execute("DROP TRIGGER crash")
    clock.shift(120)   # past the retry's backoff
    run_queue(app)
    assert len(rows(app, "SELECT id FROM tickets")) == 1
    assert smtp_server.received.wait(5) and len(smtp_server.messages) == 1


def test_a_failing_relay_leaves_the_email_pending_and_visible_to_the_admin(
        app, client, token, smtp_server):
    from helpers import free_port
    add_rule(app)
    use_relay(app, free_port())   # nothing listens there
    submit(client, token("EAST-01"), 0, "太差了")
    run_queue(app)
    [job] = rows(app, "SELECT * FROM outbox WHERE topic = 'loop.email'")
    assert job["status"] == "pending" and "Error" in job["last_error"]
    page = login(app.test_client(), "alice").get("/alerts/settings/").get_data(as_text=True)
    assert f"#{job['id']}" in page and "pending" in page
    use_relay(app, smtp_server.port)
    clock.shift(600)
    run_queue(app)
    assert smtp_server.received.wait(5) and len(smtp_server.messages) == 1


def test_a_digest_sends_one_email_per_window_instead_of_one_per_alert(
        app, client, token, smtp_server):
    add_rule(app, open_ticket=0, digest_minutes=30)
    use_relay(app, smtp_server.port)
    for score in (1, 2, 3):
        submit(client, token("EAST-01"), score, "不满意")
    run_queue(app)
    assert smtp_server.messages == []
    clock.shift(1800)
    run_queue(app)
    assert smtp_server.received.wait(5)
    [envelope] = smtp_server.messages
    assert "3" in _mail(envelope)["Subject"]


def test_a_paused_rule_or_a_promoter_raises_nothing(app, client, token):
    rule_id = add_rule(app)
    submit(client, token("EAST-01"), 10, "很好")
    pat = login(app.test_client(), "pat")
    assert pat.post(f"/alerts/rules/{rule_id}/pause").status_code == 302
    submit(client, token("EAST-01"), 1, "很差")
    run_queue(app)
    assert rows(app, "SELECT id FROM alerts") == []


def test_the_editor_saves_a_rule_that_reads_back_in_words_and_tests_it(app, client, token):
    for score in (2, 9):
        submit(client, token("EAST-01"), score, "一般")
    run_queue(app)
    pat = login(app.test_client(), "pat")
    group = rows(app, "SELECT id FROM units WHERE code = 'GROUP'")[0]["id"]
    saved = pat.post("/alerts/rules/new", data={
        "name": "NPS 低分", "unit_id": group, "match": "all", "priority": "urgent",
        "c_nps": "1", "nps_max": "6", "c_sentiment": "", "open_ticket": "1",
        "notify_app": "1", "recipient_roles": ["unit_manager@0", "unit_manager@1"],
        "recipient_users": "dave"})
    assert saved.status_code == 302
    rule_id = int(saved.headers["Location"].rsplit("/", 1)[1])
    page = pat.get(f"/alerts/rules/{rule_id}").get_data(as_text=True)
    assert "When NPS is 6 or lower" in page
    tested = pat.get(f"/alerts/rules/{rule_id}/test").get_data(as_text=True)
    assert "1 of the 2 most recent responses" in tested


def test_the_editor_refuses_a_threshold_out_of_range_in_the_users_language(app):
    pat = login(app.test_client(), "pat")
    pat.post("/language", data={"language": "zh_CN"})
    group = rows(app, "SELECT id FROM units WHERE code = 'GROUP'")[0]["id"]
    answer = pat.post("/alerts/rules/new", data={
        "name": "坏规则", "unit_id": group, "match": "all", "priority": "high", "c_nps": "1",
        "nps_max": "11", "open_ticket": "1"})
    assert answer.status_code == 400
    assert "0 到 10" in answer.get_data(as_text=True)
    unknown = pat.post("/alerts/rules/new", data={
        "name": "坏规则", "unit_id": group, "match": "all", "priority": "high",
        "c_detractor": "1", "notify_email": "1", "recipient_users": "nobody"})
    assert unknown.status_code == 400 and "nobody" in unknown.get_data(as_text=True)
    assert rows(app, "SELECT id FROM alert_rules") == []


def test_only_programme_managers_and_admins_edit_rules(app):
    for username in ("bob", "erin", "dave"):
        assert login(app.test_client(), username).get("/alerts/rules").status_code == 403
