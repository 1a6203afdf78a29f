"""Intake: store a page (partial response) or a whole submission, in one short transaction.

A completed response is committed together with events.publish("response.accepted"),
so the work after intake (text analysis, alerts, webhooks) exists exactly when the
response does. Contact answers are encrypted into contact_enc, never stored in answers.
"""
import hashlib
import json

from flask import current_app

from ..core import clock, crypto, events
from ..core.db import make_durable, query_one, transaction
from . import admission, consent, integrity

METRIC_COLUMNS = ("nps", "csat", "ces")


class Rejected(Exception):
    """Answers that do not fit the version: errors maps a key to a wording key."""

    def __init__(self, errors):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def keyring():
    return crypto.keyring(current_app.config["DATA_DIR"])


def ip_hash(ip):
    salt = current_app.config["SECRET_KEY"]
    return hashlib.sha256(f"{salt}|{ip}".encode()).hexdigest()[:16]


def split_contact(doc, answers):
    """(answers without personal data, contact answers) - contact goes to contact_enc."""
    contact_keys = {q["key"] for page in doc["pages"] for q in page["questions"]
                    if q["type"] == "contact"}
    plain = {k: v for k, v in answers.items() if k not in contact_keys}
    contact = {k: v for k, v in answers.items() if k in contact_keys}
    return plain, contact


def metric_values(doc, answers):
    """The first nps / csat / ces answer, copied into columns for fast dashboards."""
    values = dict.fromkeys(METRIC_COLUMNS)
    for page in doc["pages"]:
        for question in page["questions"]:
            metric = question.get("metric")
            if metric in values and values[metric] is None and question["key"] in answers:
                values[metric] = answers[question["key"]]
    return values


def _row_values(visit, answers):
    plain, contact = split_contact(visit.doc, answers)
    sealed = keyring().encrypt(json.dumps(contact, ensure_ascii=False)) if contact else ""
    return json.dumps(plain, ensure_ascii=False), sealed, metric_values(visit.doc, answers)


def _insert(db, visit, plain, sealed, metrics, **columns):
    row = {"survey_id": visit.survey["id"], "version_id": visit.version_id,
           "unit_id": visit.unit_id, "link_id": visit.link["id"], "channel": visit.channel,
           "language": visit.language, "hidden": json.dumps(visit.hidden, ensure_ascii=False),
           "answers": plain, "contact_enc": sealed, **metrics, **columns}
    return db.execute(f"INSERT INTO responses ({', '.join(row)}) "
                      f"VALUES ({', '.join('?' * len(row))})", list(row.values())).lastrowid


def save_partial(db, visit, response, answers, next_page, resume_token, ip="", device=None):
    """Insert or update a partial response at next_page. Returns the response id."""
    plain, sealed, metrics = _row_values(visit, answers)
    with transaction(db):
        if response is None:
            response_id = _insert(db, visit, plain, sealed, metrics, status="partial",
                                  resume_token=resume_token, current_page=next_page,
                                  started_at=clock.now_iso(), ip_hash=ip_hash(ip), device=device)
            response = {"id": response_id}
        else:
            db.execute("UPDATE responses SET answers = ?, contact_enc = ?, current_page = ?, nps = ?, "
                       "csat = ?, ces = ? WHERE id = ? AND status = 'partial'",
                       (plain, sealed, next_page, metrics["nps"], metrics["csat"],
                        metrics["ces"], response["id"]))
    _durable(db)
    return response["id"]


def complete(db, visit, answers, response=None, resume_token=None, ip="", source="web",
             idempotency_key=None, device=None):
    """Commit a finished response with its response.accepted event. Returns the response id.

    Raises admission.Refused when the quota filled or the invitation was used meanwhile.
    A response in a suspicious burst is stored held (integrity.burst_ids).
    """
    plain, sealed, metrics = _row_values(visit, answers)
    now, client = clock.now_iso(), ip_hash(ip)
    burst = integrity.burst_ids(db, visit, client, answers)
    flags = {"held": int(burst is not None),
             "held_reason": integrity.BURST_REASON if burst is not None else "",
             "consent": consent.record(db, visit, answers, now)}
    with transaction(db):
        admission.check_quota(db, visit)
        _claim_link(db, visit)
        if response is None:
            response_id = _insert(db, visit, plain, sealed, metrics, status="complete",
                                  resume_token=resume_token, idempotency_key=idempotency_key,
                                  source=source, started_at=now, submitted_at=now,
                                  ip_hash=client, device=device, **flags)
        else:
            response_id = response["id"]
            changed = db.execute(
                "UPDATE responses SET answers = ?, contact_enc = ?, status = 'complete', "
                "current_page = NULL, nps = ?, csat = ?, ces = ?, submitted_at = ?, held = ?, "
                "held_reason = ?, consent = ?, device = COALESCE(device, ?) "
                "WHERE id = ? AND status = 'partial'",
                (plain, sealed, metrics["nps"], metrics["csat"], metrics["ces"], now,
                 flags["held"], flags["held_reason"], flags["consent"], device,
                 response_id)).rowcount
            if not changed:   # the same final page sent twice at once: the first one counts
                response_id = None
        if response_id is not None:
            integrity.hold(db, burst or [])
            events.publish(db, "response.accepted", {"response_id": response_id})
    _durable(db)
    if response_id is None:
        return response["id"]
    return response_id


def _durable(db):
    """Acknowledge only what a power cut cannot take back (config durable_intake)."""
    if current_app.config.get("DURABLE_INTAKE", True):
        make_durable(db)


def _claim_link(db, visit):
    from .links import mark_used
    if not mark_used(db, visit.link):
        raise admission.Refused("answered", visit.survey, visit.language)


def response_by_token(db, survey_id, resume_token):
    if not resume_token or len(resume_token) > 64:
        return None
    return query_one(db, "SELECT * FROM responses WHERE resume_token = ? AND survey_id = ?",
                     (resume_token, survey_id))


def response_by_idempotency_key(db, link_id, key):
    """The response sent earlier through this link with this key (keys are per link)."""
    return query_one(db, "SELECT id, survey_id FROM responses "
                         "WHERE link_id = ? AND idempotency_key = ?", (link_id, key))


