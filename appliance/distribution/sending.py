"""The sender: claims due invitations with a compare-and-set, checks the rules (opt-out,
frequency cap, quiet hours), sends through the wave's channel at the channel's rate and
records the outcome.

Exactly once: each message is recorded in the transaction that also marks the next one
"committing" (committing_at), written just before the step that cannot be taken back
(the final dot of SMTP DATA, the last byte of the gateway request). A runner that dies
leaves rows 'sending'; recover() sends again those that never reached that step and
counts the others as sent (their delivery is not confirmed, and is never repeated).
One commit a message keeps the write lock free for respondents between messages.
"""
import json
import os
import socket
import time
from datetime import timedelta
from urllib.parse import urlencode

from ..core import clock, settings
from ..core.db import query_all, transaction
from ..org import lookups
from . import channels_service, keys, messages, rules, timing, waves
from .channels import Message, SendError
from .recorder import Recorder, publish_sent

CLAIM_BATCH = 50
STALE_SECONDS = 600


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def _dead(claimed_by):
    """Was the row claimed by a process of this host that no longer exists?"""
    host, _, pid = (claimed_by or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover(db):
    """Rows a dead runner left 'sending': resend those that never left, keep the others sent."""
    before = clock.in_seconds(-STALE_SECONDS)
    rows = [r for r in query_all(db, "SELECT i.id, i.claimed_by, i.claimed_at, i.committing_at, "
                                     "i.sent_at, i.unit_id, w.survey_id FROM invitations i "
                                     "JOIN waves w ON w.id = i.wave_id WHERE i.status = 'sending'")
            if r["claimed_at"] < before or _dead(r["claimed_by"])]
    now = clock.now_iso()
    with transaction(db):
        for r in rows:
            left = r["committing_at"] is not None
            changed = db.execute(
                "UPDATE invitations SET status = ?, sent_at = CASE WHEN ? THEN committing_at "
                "ELSE sent_at END, committing_at = NULL, attempts = attempts - ? WHERE id = ? "
                "AND status = 'sending' AND claimed_by = ?",
                ("sent" if left else "scheduled", left, 0 if left else 1, r["id"],
                 r["claimed_by"])).rowcount
            if changed and left and r["sent_at"] is None:
                publish_sent(db, r, r["committing_at"])
            if changed:
                db.execute("INSERT INTO delivery_log (invitation_id, at, event, detail) VALUES "
                           "(?, ?, ?, ?)", (r["id"], now, "sent" if left else "retry",
                                            "handed over before the sender stopped; not sent "
                                            "again (unconfirmed)" if left else
                                            "the sender stopped before it left; sending again"))
    return len(rows)


def claim(db, worker, limit, now):
    with transaction(db):
        return [r["id"] for r in query_all(db, """
            UPDATE invitations SET status = 'sending', claimed_by = ?, claimed_at = ?,
                   committing_at = NULL, attempts = attempts + 1
            WHERE id IN (SELECT i.id FROM invitations i JOIN waves w ON w.id = i.wave_id
                         WHERE i.status = 'scheduled' AND i.due_at <= ? AND w.status != 'paused'
                         ORDER BY i.due_at, i.id LIMIT ?)
            RETURNING id""", (worker, clock.now_iso(), clock.iso(now), limit))]


def fetch(db, ids):
    marks = ",".join("?" * len(ids))
    rows = query_all(db, f"""
        SELECT i.*, c.name_enc, c.email_enc, c.phone_enc, c.language, c.timezone,
               w.channel_id, w.template_id, w.reminder_days, w.reminder_max, w.survey_id
        FROM invitations i JOIN waves w ON w.id = i.wave_id
        LEFT JOIN contacts c ON c.id = i.contact_id WHERE i.id IN ({marks}) ORDER BY i.id""", ids)
    return lookups.with_unit_fields(db, rows)


class Pace:
    """At most `rate` messages a second on one channel."""

    def __init__(self, rate):
        self.interval, self.next = 1.0 / rate, time.monotonic()

    def wait(self):
        now = time.monotonic()
        if self.next > now:
            time.sleep(self.next - now)
        self.next = max(self.next, now) + self.interval


class Context:
    """What a tick reuses across batches: rules, open channels and their pace, templates."""

    def __init__(self, db):
        self.db, self.rules, self.zone = db, rules.get_rules(db), waves.org_zone(db)
        self.base = (settings.get(db, "org.base_url") or "").rstrip("/")
        self.quiet = (timing.parse_hhmm(self.rules["quiet_start"]),
                      timing.parse_hhmm(self.rules["quiet_end"]))
        self.ring, self._channels, self._templates = keys.keyring(), {}, {}

    def channel(self, channel_id):
        if channel_id not in self._channels:
            row = self.db.execute("SELECT * FROM channels WHERE id = ?", (channel_id,)).fetchone()
            self._channels[channel_id] = (channels_service.open_channel(self.db, dict(row)),
                                          Pace(row["rate_per_second"]))
        return self._channels[channel_id]

    def template(self, template_id):
        if template_id not in self._templates:
            row = self.db.execute("SELECT content FROM message_templates WHERE id = ?",
                                  (template_id,)).fetchone()
            self._templates[template_id] = json.loads(row[0])
        return self._templates[template_id]

    def close(self):
        for channel, _pace in self._channels.values():
            channel.close()


def send_due(db, worker=None, budget_seconds=20, now=None, limit=None):
    """One tick: recover, then claim and send batches until nothing is due or the budget is
    spent. `now` lets a test stand at a later moment. Returns invitations handled."""
    worker, started, handled = worker or worker_name(), time.monotonic(), 0
    recover(db)
    context = Context(db)
    try:
        while time.monotonic() - started < budget_seconds and (limit is None or handled < limit):
            moment = now or clock.utcnow()
            ids = claim(db, worker, CLAIM_BATCH, moment)
            if not ids:
                break
            handled += send_batch(db, context, worker, fetch(db, ids), moment)
    finally:
        context.close()
    return handled


def _batch_facts(db, rows, since):
    ids = [r["contact_id"] for r in rows if r["contact_id"]]
    if not ids:
        return set(), {}
    marks = ",".join("?" * len(ids))
    optouts = {(r[0], r[1]) for r in db.execute(
        f"SELECT contact_id, channel FROM contact_optouts WHERE contact_id IN ({marks})", ids)}
    recent = {r[0]: r[1] for r in db.execute(
        f"SELECT contact_id, COUNT(*) FROM invitations WHERE contact_id IN ({marks}) AND "
        f"sent_at >= ? GROUP BY contact_id", ids + [since])}
    return optouts, recent


def verdict(context, row, optouts, recent, now):
    """Why this invitation is not sent now: (outcome, detail, due) or None to send it."""
    reminder = row["sent_at"] is not None
    cap, days = context.rules["cap_count"], context.rules["cap_days"]
    if row["contact_id"] is None:
        return "erased", "the contact was erased", None
    if (row["contact_id"], row["channel"]) in optouts:
        return "opted_out", "the contact opted out of this channel", None
    if reminder and row["responded_at"]:
        return "answered", "", None
    if not reminder and cap and recent.get(row["contact_id"], 0) >= cap:
        return "skipped", f"contact frequency cap: {cap} invitations in {days} days", None
    zone = row["timezone"] or context.zone
    free = timing.next_outside(now, zone, *context.quiet)
    if free > now:
        return "deferred", f"quiet hours in {zone}", clock.iso(free)
    return None


def build_message(context, row, channel):
    contact = {f: context.ring.decrypt(row[f"{f}_enc"] or "") for f in ("name", "email", "phone")}
    query = {"channel": row["channel"], **({"order_id": row["order_id"]} if row["order_id"] else {})}
    values = {"name": contact["name"], "order_id": row["order_id"],
              "unit": row["unit_name"] if row["language"] != "en" else
              (row["unit_name_en"] or row["unit_name"]),
              "survey_link": f"{context.base}/s/{row['token']}?{urlencode(query)}",
              "unsubscribe_link": f"{context.base}/u/{row['token']}"}
    parts = messages.render(context.template(row["template_id"]), row["channel"],
                            row["language"], values)
    headers = {"List-Unsubscribe": f"<{values['unsubscribe_link']}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"} \
        if row["channel"] == "email" else {}
    host = context.base.split("//")[-1].split("/")[0].split(":")[0] or "tingjian.local"
    return Message(to=contact.get(channel.address, ""), subject=parts["subject"],
                   text=parts["text"], html=parts["html"], headers=headers,
                   message_id=f"<tj-{row['id']}-{row['reminders_sent']}@{host}>")


def send_batch(db, context, worker, rows, now):
    optouts, recent = _batch_facts(db, rows, clock.iso(now - timedelta(
        days=context.rules["cap_days"])))
    recorder = Recorder(db, worker)
    for row in rows:
        found = verdict(context, row, optouts, recent, now)
        if found:
            recorder.add(found[0], row, found[1], found[2])
            continue
        channel, pace = context.channel(row["channel_id"])
        message = build_message(context, row, channel)
        if not message.to:
            recorder.add("skipped", row, f"no {channel.address} for this contact")
            continue
        pace.wait()
        try:
            answer = channel.send(message, lambda: recorder.flush(committing=row["id"]))
            recorder.add("sent", row, answer)
            recent[row["contact_id"]] = recent.get(row["contact_id"], 0) + 1
        except SendError as error:
            final = error.permanent or row["attempts"] >= timing.MAX_ATTEMPTS
            recorder.add("failed" if final else "retry", row, error.answer,
                         None if final else clock.in_seconds(timing.retry_delay(row["attempts"])))
    recorder.flush()
    return len(rows)
