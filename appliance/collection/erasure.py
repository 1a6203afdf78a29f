"""A respondent's request: remove their contact details, or anonymise the whole response.

Scores stay (metrics keep counting); what is removed is audit-logged, and
"response.erased" tells downstream domains (text analysis) to drop what they derived.
"""
import json

from ..core import audit, clock, events
from ..core.db import checkpoint, transaction
from ..surveys import definition
from . import responses_query

MODES = ("contact", "anonymise")
TEXT_TYPES = ("text", "contact")
KEEP_HIDDEN = ("unit", "channel")


def erase(db, response, mode):
    """mode contact: drop contact fields; anonymise: also free text, other-texts, hidden ids, IP."""
    if mode not in MODES:
        raise ValueError(mode)
    answers, hidden = json.loads(response["answers"]), json.loads(response["hidden"])
    removed = ["contact"] if response["contact_enc"] else []
    if mode == "anonymise":
        doc = responses_query.document_of(db, response)
        texts = {q["key"] for _p, q in definition.questions(doc) if q["type"] in TEXT_TYPES}
        dropped = [k for k in answers if k in texts or k.endswith(".other")]
        removed += dropped + [f"hidden.{k}" for k in hidden if k not in KEEP_HIDDEN]
        answers = {k: v for k, v in answers.items() if k not in dropped}
        hidden = {k: v for k, v in hidden.items() if k in KEEP_HIDDEN}
    with transaction(db):
        db.execute("UPDATE responses SET answers = ?, hidden = ?, contact_enc = '', erased_at = ?, "
                   "ip_hash = CASE WHEN ? THEN '' ELSE ip_hash END WHERE id = ?",
                   (json.dumps(answers, ensure_ascii=False), json.dumps(hidden, ensure_ascii=False),
                    clock.now_iso(), mode == "anonymise", response["id"]))
        audit.record(db, "response.erase", "response", response["id"], response["unit_id"],
                     after={"mode": mode, "removed": removed})
        events.publish(db, "response.erased", {"response_id": response["id"], "mode": mode})
    checkpoint(db, "TRUNCATE")   # secure_delete zeroed the old row; now empty the WAL of it
    return removed
