"""Survey service: create, design (drafts), publish frozen versions, close, settings, duplicate.

Callable without a request: every function takes the connection and an optional actor
(the audit log takes g.user when there is a request). Each change writes its audit row
in the same transaction. The collection domain reads surveys only through
get_survey(), published_version(), get_version() and accepting_responses().
"""
import json

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ..core import audit, clock, events
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError
from ..core.forms import CONTROL_CHARS
from ..org import lookups
from . import definition, starter_designs

STATUSES = ("draft", "published", "closed")
STATUS_WORDS = {"draft": _l("draft"), "published": _l("published"), "closed": _l("closed")}
SETTINGS_FIELDS = ("opens_at", "closes_at", "quota_total", "quota_per_unit", "close_message",
                   "device_days", "contact_purpose")


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _survey(row):
    if row is None:
        return None
    row["document"] = json.loads(row.pop("draft"))
    row["close_message"] = json.loads(row["close_message"] or "{}")
    row["contact_purpose"] = json.loads(row["contact_purpose"] or "{}")
    return row


def _version(row):
    if row is not None:
        row["document"] = json.loads(row["document"])
    return row


def _summary(survey):
    return {k: survey.get(k) for k in ("name", "status", "unit_id", "published_version",
                                       *SETTINGS_FIELDS)}


def get_survey(db, survey_id):
    """The survey row: id, unit_id (owner), name, status, document (the draft), published_version,
    opens_at, closes_at (ISO UTC or None), quota_total, quota_per_unit, close_message {lang: text}."""
    return _survey(query_one(db, "SELECT * FROM surveys WHERE id = ?", (survey_id,)))


def collecting_state(db, survey_id):
    """What intake needs on every submission, without the draft document: the survey row
    (status, owner unit, dates, quotas, close_message) plus live_version_id, the id of
    the latest published version (None before the first publication)."""
    row = query_one(db, "SELECT id, unit_id, name, status, published_version, opens_at, "
                        "closes_at, quota_total, quota_per_unit, close_message, device_days, "
                        "contact_purpose, (SELECT v.id FROM survey_versions v WHERE v.survey_id = s.id "
                        " ORDER BY v.version DESC LIMIT 1) AS live_version_id "
                        "FROM surveys s WHERE id = ?", (survey_id,))
    if row is not None:
        row["close_message"] = json.loads(row["close_message"] or "{}")
        row["contact_purpose"] = json.loads(row["contact_purpose"] or "{}")
    return row


def published_version(db, survey_id):
    """The latest published version {id, survey_id, version, document, published_at} or None."""
    return _version(query_one(db, "SELECT * FROM survey_versions WHERE survey_id = ? "
                                  "ORDER BY version DESC LIMIT 1", (survey_id,)))


def find_by_name(db, name):
    """The first survey with this name (the demo finds its own survey again), or None."""
    return query_one(db, "SELECT * FROM surveys WHERE name = ? ORDER BY id LIMIT 1", (name,))


def get_version(db, version_id):
    """A frozen version by its id (what a response references), or None."""
    return _version(query_one(db, "SELECT * FROM survey_versions WHERE id = ?", (version_id,)))


def list_versions(db, survey_id):
    rows = query_all(db, "SELECT id, version, published_at, published_by FROM survey_versions "
                         "WHERE survey_id = ? ORDER BY version DESC", (survey_id,))
    names = lookups.display_names(db, (row["published_by"] for row in rows))
    return [{**row, "published_by": names.get(row["published_by"])} for row in rows]


def accepting_responses(survey, now_iso=None):
    """(True, "") or (False, reason) from status and dates; quotas are counted by collection."""
    now_iso = now_iso or clock.now_iso()
    if survey["status"] != "published":
        return False, "closed" if survey["status"] == "closed" else "not_published"
    if survey["opens_at"] and now_iso < survey["opens_at"]:
        return False, "not_open_yet"
    if survey["closes_at"] and now_iso >= survey["closes_at"]:
        return False, "closed"
    return True, ""


def _actor_id(actor):
    from flask import g, has_request_context
    actor = actor or (g.get("user") if has_request_context() else None)
    return actor["id"] if actor else None


def create(db, unit, name, template="", actor=None, document=None):
    """A new draft survey owned by unit, blank or from a template key."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": _l("A name is required, at most 200 characters.")})
    if CONTROL_CHARS.search(name):
        raise ValidationError({"name": _l("Contains control characters.")})
    if template and template not in starter_designs.TEMPLATES:
        raise ValidationError({"template": _l("There is no template %(name)s.", name=template)})
    if document is None:
        document = starter_designs.build(template) if template else definition.new_document(name, name)
    now = clock.now_iso()
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO surveys (unit_id, name, draft, draft_valid, template, created_by, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (unit["id"], name, _dumps(document), not definition.validate(document), template,
             _actor_id(actor), now, now))
        survey = get_survey(db, cursor.lastrowid)
        audit.record(db, "survey.create", "survey", survey["id"], unit["id"],
                     after={**_summary(survey), "template": template}, actor=actor)
    return survey


def in_words(problem):
    """A definition problem in the reader's language (English outside a request)."""
    if not isinstance(problem, definition.Problem):
        return str(problem)
    params = {k: in_words(v) for k, v in problem.params.items()}
    return gettext(problem.message, **params) if params else gettext(problem.message)


def problems_of(document):
    """What blocks publishing this document, in the reader's language."""
    return [in_words(p) for p in definition.validate(document)]


def save_draft(db, survey, document, actor=None):
    """Store the work in progress (even when incomplete); return the problems that block publishing."""
    problems = problems_of(document)
    if document == survey["document"]:
        return problems
    with transaction(db):
        db.execute("UPDATE surveys SET draft = ?, draft_valid = ?, draft_changed = 1, "
                   "updated_at = ? WHERE id = ?",
                   (_dumps(document), not problems, clock.now_iso(), survey["id"]))
        audit.record(db, "survey.draft_save", "survey", survey["id"], survey["unit_id"],
                     after={"questions": _count_questions(document), "problems": len(problems)},
                     actor=actor)
    survey["document"] = document
    return problems


def _count_questions(document):
    pages = document.get("pages") if isinstance(document, dict) else None
    return sum(len(p.get("questions", [])) for p in pages if isinstance(p, dict)) \
        if isinstance(pages, list) else 0


def publish(db, survey, actor=None):
    """Freeze the draft as the next version; responses from now on answer it."""
    problems = problems_of(survey["document"])
    if problems:
        raise ValidationError({"document": "; ".join(problems[:5])},
                              _l("The survey cannot be published yet."))
    with transaction(db):
        current = get_survey(db, survey["id"])
        if current["published_version"] and not current["draft_changed"]:
            raise ValidationError({"document": _l("Nothing changed since the last version.")})
        number = (current["published_version"] or 0) + 1
        now = clock.now_iso()
        cursor = db.execute("INSERT INTO survey_versions (survey_id, version, document, "
                            "published_at, published_by) VALUES (?, ?, ?, ?, ?)",
                            (survey["id"], number, _dumps(current["document"]), now,
                             _actor_id(actor)))
        db.execute("UPDATE surveys SET status = 'published', published_version = ?, "
                   "draft_changed = 0, updated_at = ? WHERE id = ?", (number, now, survey["id"]))
        audit.record(db, "survey.publish", "survey", survey["id"], survey["unit_id"],
                     before={"status": current["status"], "version": current["published_version"]},
                     after={"status": "published", "version": number}, actor=actor)
        events.publish(db, "survey.published", {"survey_id": survey["id"], "version": number,
                                                "version_id": cursor.lastrowid})
    return get_version(db, cursor.lastrowid)


def set_status(db, survey, status, actor=None):
    """Close a published survey, or reopen a closed one."""
    allowed = {"closed": ("published",), "published": ("closed",)}
    if survey["status"] not in allowed.get(status, ()):
        raise ValidationError({"status": _l("A %(current)s survey cannot become %(wanted)s.",
                                             current=STATUS_WORDS.get(survey["status"], survey["status"]),
                                             wanted=STATUS_WORDS.get(status, status))})
    with transaction(db):
        db.execute("UPDATE surveys SET status = ?, updated_at = ? WHERE id = ?",
                   (status, clock.now_iso(), survey["id"]))
        audit.record(db, "survey.close" if status == "closed" else "survey.reopen", "survey",
                     survey["id"], survey["unit_id"], before={"status": survey["status"]},
                     after={"status": status}, actor=actor)
    survey["status"] = status
    return survey


def update_settings(db, survey, values, actor=None):
    """values: name, opens_at, closes_at, quota_total, quota_per_unit, close_message, and
    optionally device_days and contact_purpose {lang: text} (checked by the form)."""
    before = _summary(survey)
    with transaction(db):
        db.execute("UPDATE surveys SET name = ?, opens_at = ?, closes_at = ?, quota_total = ?, "
                   "quota_per_unit = ?, close_message = ?, device_days = ?, contact_purpose = ?, "
                   "updated_at = ? WHERE id = ?",
                   (values["name"], values["opens_at"], values["closes_at"],
                    values["quota_total"], values["quota_per_unit"],
                    _dumps(values["close_message"]),
                    values.get("device_days", survey.get("device_days")),
                    _dumps(values.get("contact_purpose", survey.get("contact_purpose") or {})),
                    clock.now_iso(), survey["id"]))
        after = get_survey(db, survey["id"])
        audit.record(db, "survey.settings", "survey", survey["id"], survey["unit_id"],
                     before=before, after=_summary(after), actor=actor)
    return after


def duplicate(db, survey, name=None, actor=None):
    """A new draft with a copy of the survey's current design, owned by the same unit."""
    copy_name = name or f"{survey['name']} (copy)"[:200]
    unit = {"id": survey["unit_id"]}
    return create(db, unit, copy_name, actor=actor, document=survey["document"])
