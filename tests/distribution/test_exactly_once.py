"""Exactly once under faults, counted at a real SMTP server on loopback: two senders at once,
a sender killed with SIGKILL in the middle of a 10,000 invitation wave and started again,
a relay that fails for a while then recovers (and one that never does)."""
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from helpers import free_port
from distribution_helpers import email_wave, import_contacts, invitation_rows, start_and_send

from appliance.core import clock, settings
from appliance.distribution import sending, waves

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


class CountingRelay:
    """aiosmtpd handler: counts each invitation by its Message-ID; can refuse for a while or
    kill a process at the worst moment (message taken, answer not yet given)."""

    def __init__(self, refuse_first=0, kill_at=None):
        self.ids, self.refuse_first, self.kill_at = Counter(), refuse_first, kill_at
        self.victim, self.lock = None, threading.Lock()
        self.killed = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_first > 0:
                self.refuse_first -= 1
                return "451 4.3.0 Temporary failure, try again later"
            text = envelope.content.decode(errors="replace")
            message_id = text.split("Message-ID: ", 1)[1].split("\r\n", 1)[0]
            self.ids[message_id] += 1
            if self.kill_at and sum(self.ids.values()) == self.kill_at and self.victim:
                os.kill(self.victim.pid, signal.SIGKILL)
                self.killed.set()
        return "250 OK"


@pytest.fixture
def counting_relay(database):
    relays = []

    def start(**kwargs):
        handler = CountingRelay(**kwargs)
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        settings.set_many(database, {"smtp.host": "127.0.0.1", "smtp.port": port,
                                     "smtp.sender": "cx@example.com",
                                     "distribution.quiet_start": "", "distribution.quiet_end": ""})
        relays.append(controller)
        return handler
    yield start
    for controller in relays:
        controller.stop()


def build_wave(database, count):
    wave_id = email_wave(database, import_contacts(database, count))
    waves.claim_due_runs(database)
    waves.build_pending_runs(database, deadline_seconds=120)
    return wave_id


def sender(app):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = open(Path(app.config["DATA_DIR"]) / f"sender-{os.urandom(3).hex()}.log", "wb")
    with log:
        process = subprocess.Popen([sys.executable, str(HERE / "run_sender.py"),
                                    app.config["DATA_DIR"]], env=env, stdout=log, stderr=log)
    process.log = log.name
    return process


def finish(process, timeout):
    process.wait(timeout)
    assert process.returncode == 0, Path(process.log).read_text()[-2000:]


def assert_each_sent_once(database, wave_id, relay, count):
    rows = invitation_rows(database, wave_id)
    assert len(rows) == count
    assert Counter(r["status"] for r in rows) == {"sent": count}
    expected = {f"<tj-{r['id']}-0@cx.example.com>" for r in rows}
    assert set(relay.ids) == expected
    assert max(relay.ids.values()) == 1


def test_two_senders_at_once_send_every_invitation_exactly_once(app, database, counting_relay):
    relay = counting_relay()
    settings.set_many(database, {"org.base_url": "http://cx.example.com"})
    wave_id = build_wave(database, 2000)
    first, second = sender(app), sender(app)
    for process in (first, second):
        finish(process, 300)
    assert_each_sent_once(database, wave_id, relay, 2000)
    claimers = {r["claimed_by"] for r in invitation_rows(database, wave_id)}
    assert len(claimers) == 2   # both took part


def test_a_sender_killed_mid_wave_and_restarted_sends_each_of_10000_exactly_once(
        app, database, counting_relay):
    relay = counting_relay(kill_at=3000)
    settings.set_many(database, {"org.base_url": "http://cx.example.com"})
    wave_id = build_wave(database, 10_000)
    relay.victim = sender(app)
    assert relay.killed.wait(300), "the relay never reached 3,000 messages"
    relay.victim.wait(30)
    assert relay.victim.returncode == -signal.SIGKILL
    left = database.execute("SELECT COUNT(*) FROM invitations WHERE status IN "
                            "('scheduled', 'sending')").fetchone()[0]
    assert 0 < left < 10_000 - 2000
    finish(sender(app), 600)
    assert_each_sent_once(database, wave_id, relay, 10_000)
    unconfirmed = database.execute("SELECT COUNT(*) FROM delivery_log WHERE detail LIKE "
                                   "'%unconfirmed%'").fetchone()[0]
    assert unconfirmed == 1   # the message the relay took as the sender died: not sent again


def test_a_relay_failing_for_a_while_then_recovering_gets_each_invitation_once(
        database, counting_relay):
    relay = counting_relay(refuse_first=25)
    settings.set_many(database, {"org.base_url": "http://cx.example.com"})
    wave_id = build_wave(database, 20)
    later = clock.utcnow()
    for _round in range(4):
        sending.send_due(database, now=later)
        later += timedelta(hours=1)   # past every backoff
    assert_each_sent_once(database, wave_id, relay, 20)
    retries = database.execute("SELECT detail FROM delivery_log WHERE event = 'retry'").fetchall()
    assert len(retries) == 25 and "451" in retries[0][0]


def test_a_relay_that_never_recovers_leaves_failed_invitations_visible(
        database, counting_relay, as_user):
    counting_relay(refuse_first=10_000)
    settings.set_many(database, {"org.base_url": "http://cx.example.com"})
    wave_id = build_wave(database, 2)
    later = clock.utcnow()
    for _round in range(8):
        sending.send_due(database, now=later)
        later += timedelta(days=1)
    rows = invitation_rows(database, wave_id)
    assert [r["status"] for r in rows] == ["failed", "failed"]
    assert all("451" in r["last_error"] for r in rows)
    page = as_user("alice").get(f"/distribution/waves/{wave_id}?status=failed")
    assert "451 4.3.0 Temporary failure" in page.get_data(as_text=True)
    assert "Send the 2 failed again" in page.get_data(as_text=True)


def test_a_relay_that_is_down_is_retried_later(database):
    settings.set_many(database, {"smtp.host": "127.0.0.1", "smtp.port": 9,   # discard: closed
                                 "distribution.quiet_start": "", "distribution.quiet_end": ""})
    wave_id = build_wave(database, 1)
    start_and_send(database)
    row = invitation_rows(database, wave_id)[0]
    assert row["status"] == "scheduled" and "Connection refused" in row["last_error"]
