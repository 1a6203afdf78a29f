"""Keeping store scores honest: per-device limits and suspicious bursts held for review.

- A device (the `tj_d` cookie of the respondent pages, stored hashed in responses.device)
  completes at most `collection.device_per_day` responses per link in 24 hours, and a
  survey may allow a device one response per unit link every `device_days` days.
- A client (salted address hash) sending more than `collection.burst_responses`
  responses on one link within `collection.burst_minutes` minutes: each of its responses
  with an extreme score (the top or bottom of an NPS/CSAT/CES scale) is held
  (responses.held = 1), and so are the earlier extreme ones of the burst. Held responses
  stay out of every score until an analyst accepts them (accept()).

Other domains exclude held responses with counted_sql() and never read the column
themselves, so the rule can change in one place.
"""
import hashlib
import json
import time
from datetime import timedelta

from flask import current_app

from ..core import audit, clock, events, settings
from ..core.db import query_all, transaction
from . import answers as answer_rules
from . import admission

DEFAULTS = {
    "collection.device_per_day": 3,    # completed responses per device and link in 24 h (0 = off)
    "collection.burst_responses": 5,   # responses per client and link before extremes are held
    "collection.burst_minutes": 10,
}
BURST_REASON = "burst"


def counted_sql(alias="r"):
    """The WHERE fragment that keeps held responses out of scores: `{alias}.held = 0`."""
    return f"{alias}.held = 0"


SETTINGS_SECONDS = 30
_settings = {}   # database path -> (monotonic time read, {name: value})


def setting(db, name):
    """The integrity thresholds, read once per SETTINGS_SECONDS and database by each process
    (as the rate limits are): every submission asks, and a change may take half a minute."""
    path = getattr(db, "path", None)
    read_at, values = _settings.get(path, (None, None))
    if read_at is None or time.monotonic() - read_at > SETTINGS_SECONDS:
        values = {key: settings.get(db, key) for key in DEFAULTS}
        values = {key: DEFAULTS[key] if value is None else int(value)
                  for key, value in values.items()}
        _settings[path] = (time.monotonic(), values)
    return values[name]


def device_hash(device_cookie):
    if not device_cookie or len(device_cookie) > 64:
        return None
    salt = current_app.config["SECRET_KEY"]
    return hashlib.sha256(f"device|{salt}|{device_cookie}".encode()).hexdigest()[:24]


def check_device(db, visit, device):
    """Raise admission.Refused("repeat") when this device may not start another response here."""
    if not device:
        return
    days = visit.survey.get("device_days")
    if days and visit.link["kind"] == "unit" and _completed(db, visit, device, days * 86400):
        raise admission.Refused("repeat", visit.survey, visit.language)
    per_day = setting(db, "collection.device_per_day")
    if per_day and _completed(db, visit, device, 86400, per_day) >= per_day:
        raise admission.Refused("repeat", visit.survey, visit.language)


def _completed(db, visit, device, seconds, limit=1):
    since = clock.iso(clock.utcnow() - timedelta(seconds=seconds))
    return db.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM responses WHERE device = ? AND survey_id = ? "
        "AND link_id = ? AND submitted_at >= ? LIMIT ?)",
        (device, visit.survey["id"], visit.link["id"], since, int(limit))).fetchone()[0]


def extreme(doc, answers):
    """Does a metric answer sit at the top or bottom of its scale?"""
    for page in doc["pages"]:
        for question in page["questions"]:
            if question.get("metric") in ("nps", "csat", "ces") and question["key"] in answers:
                scale = list(answer_rules.scale_values(question))
                if scale and answers[question["key"]] in (scale[0], scale[-1]):
                    return True
    return False


def burst_ids(db, visit, client, answers):
    """None when the response is ordinary; else the ids (possibly none) of the earlier
    extreme responses of the burst to hold with it. Read before the write transaction."""
    if not client or not extreme(visit.doc, answers):
        return None
    limit = setting(db, "collection.burst_responses")
    since = clock.iso(clock.utcnow() - timedelta(minutes=setting(db, "collection.burst_minutes")))
    rows = query_all(db, "SELECT id, held, version_id, answers FROM responses "
                         "WHERE link_id = ? AND ip_hash = ? AND submitted_at >= ? "
                         "ORDER BY submitted_at DESC LIMIT ?",
                     (visit.link["id"], client, since, limit + 1))
    if not limit or len(rows) < limit:
        return None
    if any(row["held"] for row in rows):
        return []   # the burst was caught already; this one joins it
    return [row["id"] for row in rows
            if extreme(admission.version_document(db, row["version_id"]), json.loads(row["answers"]))]


def hold(db, ids):
    """Inside the submission's transaction: hold the burst's earlier responses too."""
    for response_id in ids:
        db.execute("UPDATE responses SET held = 1, held_reason = ? WHERE id = ? AND held = 0",
                   (BURST_REASON, response_id))


def accept(db, response, actor=None):
    """An analyst accepts a held response: it counts from now on. Audited."""
    with transaction(db):
        changed = db.execute("UPDATE responses SET held = 0 WHERE id = ? AND held = 1",
                             (response["id"],)).rowcount
        if changed:
            audit.record(db, "response.accept_held", "response", response["id"],
                         response["unit_id"], before={"held": 1, "reason": response["held_reason"]},
                         after={"held": 0}, actor=actor)
            # counted from now on: the summaries (idempotent) take it on this event
            events.publish(db, "response.accepted", {"response_id": response["id"]})
    return bool(changed)
