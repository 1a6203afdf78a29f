"""Who may answer what: link > survey > published version, status, dates and quotas.

Versions are frozen, so their documents are cached per process by id; the survey row
(status, dates, quotas) is read on every request so closing a survey takes effect at once.
"""
from dataclasses import dataclass, field

from ..org import lookups
from ..surveys import service as surveys
from . import answers as answer_rules
from . import links

_DOCUMENTS = {}   # (database path, version id) -> document; a version never changes


class Refused(Exception):
    """The survey cannot be answered through this link: missing, closed, full or answered."""

    def __init__(self, reason, survey=None, language=None):
        super().__init__(reason)
        self.reason, self.survey, self.language = reason, survey, language


@dataclass
class Visit:
    link: dict
    survey: dict
    version_id: int
    doc: dict
    unit_id: int
    language: str
    hidden: dict = field(default_factory=dict)
    channel: str = "web"


def version_document(db, version_id):
    key = (getattr(db, "path", None), version_id)
    doc = _DOCUMENTS.get(key)
    if doc is None:
        version = surveys.get_version(db, version_id)
        if version is None:
            return None
        doc = _DOCUMENTS[key] = version["document"]
    return doc


def published(db, survey_id):
    """(version id, document) of the live version, reading the document once per process."""
    state = surveys.collecting_state(db, survey_id)
    version_id = state["live_version_id"] if state else None
    return (version_id, version_document(db, version_id)) if version_id else (None, None)


def open_visit(db, token, query, preferred=(), channel="web"):
    """A Visit for a link token and the link's query string, or raise Refused."""
    link = links.get_link(db, token)
    if link is None:
        raise Refused("missing")
    survey = surveys.collecting_state(db, link["survey_id"])
    version_id = survey["live_version_id"] if survey else None
    doc = version_document(db, version_id) if version_id else None
    if survey is None or doc is None:
        raise Refused("closed", survey)
    language = choose_language(doc, query.get("lang"), preferred)
    accepting, _reason = surveys.accepting_responses(survey)
    if not accepting:
        raise Refused("closed", survey, language)
    hidden = answer_rules.check_hidden(doc, query)
    unit_id = link["unit_id"] or _unit_from_hidden(db, survey, hidden) or survey["unit_id"]
    if link["unit_id"] and "unit" in doc.get("hidden_fields", []):
        hidden["unit"] = link["unit_code"] or ""
    return Visit(link, survey, version_id, doc, unit_id, language, hidden,
                 hidden.get("channel", channel)[:40])


def choose_language(doc, asked, preferred):
    if asked in doc["languages"]:
        return asked
    for tag in preferred:
        tag = tag.replace("-", "_").lower()
        for language in doc["languages"]:
            if tag == language.lower() or tag.split("_")[0] == language.split("_")[0].lower():
                return language
    return doc["default_language"]


def _unit_from_hidden(db, survey, hidden):
    """A public link may name the store (?unit=EAST-01): only a unit under the survey's owner."""
    code = hidden.get("unit")
    if not code:
        return None
    unit = lookups.unit_in_subtree(db, survey["unit_id"], code)
    return unit["id"] if unit else None


def check_quota(db, visit):
    """Raise Refused("full") when the survey's total or per-unit quota is reached."""
    survey = visit.survey
    if survey["quota_total"] and _count(db, survey["quota_total"], "survey_id = ?",
                                        (survey["id"],)) >= survey["quota_total"]:
        raise Refused("full", survey, visit.language)
    if survey["quota_per_unit"] and _count(
            db, survey["quota_per_unit"], "survey_id = ? AND unit_id = ?",
            (survey["id"], visit.unit_id)) >= survey["quota_per_unit"]:
        raise Refused("full", survey, visit.language)


def _count(db, limit, where, params):
    sql = (f"SELECT COUNT(*) FROM (SELECT 1 FROM responses WHERE {where} "
           f"AND submitted_at IS NOT NULL LIMIT {int(limit)})")
    return db.execute(sql, params).fetchone()[0]


def check_unused(visit):
    if visit.link["single_use"] and visit.link["used_at"]:
        raise Refused("answered", visit.survey, visit.language)
