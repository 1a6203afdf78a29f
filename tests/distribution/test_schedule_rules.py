"""Smaller schedule rules: a wave at a time waits for it, a paused wave sends nothing until
resumed, a channel's send rate is kept."""
import time
from datetime import timedelta

from distribution_helpers import email_wave, import_contacts, invitation_rows, start_and_send

from appliance.core import clock, settings
from appliance.distribution import sending, waves


def quiet_off(database):
    settings.set_many(database, {"distribution.quiet_start": "", "distribution.quiet_end": ""})


def test_a_wave_at_a_time_is_sent_when_the_time_comes(database, relay):
    quiet_off(database)
    wave_id = email_wave(database, import_contacts(database, 2),
                         {"schedule": "at", "send_at": "2099-01-01T10:00"})
    start_and_send(database)
    assert invitation_rows(database, wave_id) == [] and relay.messages == []
    due = clock.parse(database.execute("SELECT next_run_at FROM waves").fetchone()[0])
    assert waves.claim_due_runs(database, now=due + timedelta(seconds=1))
    start_and_send(database)
    assert len(relay.messages) == 2
    assert database.execute("SELECT status FROM waves").fetchone()[0] == "done"


def test_a_paused_wave_sends_nothing_until_resumed(database, relay):
    quiet_off(database)
    wave_id = email_wave(database, import_contacts(database, 2))
    waves.claim_due_runs(database)
    waves.build_pending_runs(database)
    wave = waves.get_wave(database, __import__("appliance.org.scope", fromlist=["S"]).Scope(["/"]),
                          wave_id)
    waves.set_status(database, wave, "paused")
    assert sending.send_due(database) == 0 and relay.messages == []
    waves.set_status(database, {**wave, "status": "paused"}, "active")
    assert sending.send_due(database) == 2 and len(relay.messages) == 2


def test_a_channel_keeps_its_send_rate(database, relay):
    quiet_off(database)
    email_wave(database, import_contacts(database, 11), rate=20)
    waves.claim_due_runs(database)
    waves.build_pending_runs(database)
    started = time.monotonic()
    sending.send_due(database)
    assert len(relay.messages) == 11
    assert time.monotonic() - started >= 0.5   # 11 messages at 20 a second: 10 gaps of 50 ms
