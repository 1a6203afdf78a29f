"""A wave by email through a real SMTP server on loopback: the message, its headers, the
survey link, one-click unsubscribe, reminders, quiet hours and the frequency cap."""
import email
import re
from datetime import timedelta
from email import policy

from distribution_helpers import email_wave, import_contacts, invitation_rows, start_and_send

from appliance.core import clock, localtime, settings
from appliance.distribution import jobs, rules


def parsed(envelope):
    return email.message_from_bytes(envelope.content, policy=policy.default)


def no_quiet_hours(database):
    settings.set_many(database, {"distribution.quiet_start": "", "distribution.quiet_end": ""})


def test_a_wave_sends_each_contact_one_personal_link_with_unsubscribe_headers(database, relay):
    no_quiet_hours(database)
    wave_id = email_wave(database, import_contacts(database, 3))
    assert start_and_send(database) == 3
    assert len(relay.messages) == 3
    message = parsed(relay.messages[0])
    assert message["To"] == "guest0@example.com"
    assert "客人0" in message["Subject"]
    unsubscribe = re.search(r"<(http://cx\.example\.com/u/[\w-]+)>", message["List-Unsubscribe"])
    assert unsubscribe and message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    assert re.search(r"http://cx\.example\.com/s/[\w-]+\?channel=email", text)
    assert unsubscribe.group(1) in text
    tokens = {r["token"] for r in invitation_rows(database, wave_id)}
    assert len(tokens) == 3 and all(r["status"] == "sent" for r in invitation_rows(database, wave_id))


def test_contact_names_are_escaped_in_the_html_part(database, relay, client):
    no_quiet_hours(database)
    list_id = import_contacts(database, 1)
    database.execute("UPDATE contacts SET name_enc = ?",
                     (__import__("appliance.distribution.keys", fromlist=["k"]).keyring()
                      .encrypt('<script>alert(1)</script>'),))
    email_wave(database, list_id)
    start_and_send(database)
    html = parsed(relay.messages[0]).get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_one_click_unsubscribe_needs_no_login_and_the_contact_is_skipped_next_time(
        database, relay, client):
    no_quiet_hours(database)
    list_id = import_contacts(database, 2)
    email_wave(database, list_id)
    start_and_send(database)
    link = re.search(r"<http://cx\.example\.com(/u/[\w-]+)>",
                     parsed(relay.messages[0])["List-Unsubscribe"]).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "退订" in page.get_data(as_text=True)
    assert client.post(link, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    second = email_wave(database, list_id)
    start_and_send(database)
    statuses = [r["status"] for r in invitation_rows(database, second)]
    assert sorted(statuses) == ["opted_out", "sent"]
    assert len(relay.messages) == 3


def test_quiet_hours_defer_the_invitation_until_they_end(database, relay):
    settings.set_many(database, {"distribution.quiet_start": "00:00",
                                 "distribution.quiet_end": "23:59"})
    wave_id = email_wave(database, import_contacts(database, 1))
    start_and_send(database)
    row = invitation_rows(database, wave_id)[0]
    assert relay.messages == [] and row["status"] == "scheduled" and row["due_at"] > clock.now_iso()
    events = [r[0] for r in database.execute("SELECT event FROM delivery_log")]
    assert events == ["scheduled", "deferred"]


def test_the_frequency_cap_skips_a_contact_asked_too_often(database, relay):
    no_quiet_hours(database)
    rules.save_rules(database, {"quiet_start": "", "quiet_end": "", "cap_count": "1",
                                "cap_days": "30"})
    list_id = import_contacts(database, 1)
    email_wave(database, list_id)
    start_and_send(database)
    later = email_wave(database, list_id)
    start_and_send(database)
    row = invitation_rows(database, later)[0]
    assert row["status"] == "skipped" and len(relay.messages) == 1


def test_reminders_go_to_non_responders_after_n_days_at_most_m_times(database, relay):
    no_quiet_hours(database)
    wave_id = email_wave(database, import_contacts(database, 1),
                         {"reminder_days": "2", "reminder_max": "1"})
    start_and_send(database)
    assert jobs.queue_reminders(database, now=clock.utcnow() + timedelta(days=1)) == 0
    assert jobs.queue_reminders(database, now=clock.utcnow() + timedelta(days=3)) == 1
    start_and_send(database)
    assert jobs.queue_reminders(database, now=clock.utcnow() + timedelta(days=9)) == 0
    assert len(relay.messages) == 2
    ids = {parsed(m)["Message-ID"] for m in relay.messages}
    assert len(ids) == 2
    assert invitation_rows(database, wave_id)[0]["reminders_sent"] == 1


def test_an_answered_invitation_counts_in_the_response_rate_and_gets_no_reminder(
        database, relay, client, app):
    no_quiet_hours(database)
    wave_id = email_wave(database, import_contacts(database, 2),
                         {"reminder_days": "1", "reminder_max": "2"})
    start_and_send(database)
    link = re.search(r"http://cx\.example\.com(/s/[\w-]+\?channel=email)",
                     parsed(relay.messages[0]).get_body(("plain",)).get_content()).group(1)
    assert client.get(link).status_code == 200
    token = link.split("/")[2].split("?")[0]
    assert client.post(f"/s/{token}?channel=email", data={"_page": "p1", "q1": "3",
                                                          "_rt": "x" * 20}).status_code == 302
    from appliance.core import queue
    queue.run_until_idle(database)
    rows = {r["token"]: r for r in invitation_rows(database, wave_id)}
    assert rows[token]["responded_at"] and rows[token]["opened_at"] and rows[token]["nps"] == 3
    jobs.queue_reminders(database, now=clock.utcnow() + timedelta(days=2))
    start_and_send(database)
    assert len(relay.messages) == 3   # two invitations and one reminder, to the one who did not answer
    from appliance.distribution import delivery
    assert delivery.wave_counts(database, wave_id)["rate"] == 0.5


def test_the_metrics_response_rate_counts_invitations_sent_and_answered_not_reminders(
        database, relay, client):
    from appliance.core import queue
    from appliance.metrics import invitations, tree
    no_quiet_hours(database)
    email_wave(database, import_contacts(database, 2), {"reminder_days": "1", "reminder_max": "2"})
    start_and_send(database)
    link = re.search(r"http://cx\.example\.com(/s/[\w-]+\?channel=email)",
                     parsed(relay.messages[0]).get_body(("plain",)).get_content()).group(1)
    token = link.split("/")[2].split("?")[0]
    client.get(link)
    client.post(f"/s/{token}?channel=email", data={"_page": "p1", "q1": "3", "_rt": "x" * 20})
    queue.run_until_idle(database)
    jobs.queue_reminders(database, now=clock.utcnow() + timedelta(days=2))
    start_and_send(database)                       # a reminder is not a second invitation
    while queue.deliver_events(database, limit=500):
        pass
    queue.run_until_idle(database)
    today = localtime.today(database)
    rate = invitations.response_rate(database, tree.by_code(database, "GROUP"), today, today)
    assert rate == {"sent": 2, "responded": 1, "rate": 0.5}
