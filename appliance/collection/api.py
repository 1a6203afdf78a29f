"""POST /api/v1/responses: a complete response in one JSON call (integrations, kiosks, benchmark).

Needs an integration API token with submit_responses (Authorization: Bearer ...,
appliance/integrations/tokens.py); the link token in the body names the survey link,
whose unit must lie inside the token's part of the organisation.

Body: {"token": link token, "answers": {...}, "hidden": {...}, "language": "zh_CN",
       "version_id": optional, "idempotency_key": optional (a retry returns the first response)}
Answers {"ok": true, "response_id": n} with 201, or the error envelope with a 4xx.

The hottest call of the appliance, so a direct endpoint (core/direct.py, declared in this
domain's DOMAIN), served without Flask's request machinery: submit() is given a Werkzeug
request and the token's principal, and returns (status, body).
"""
import sqlite3

from ..core import json_input
from ..core.db import get_db
from ..core.errors import ApiError
from ..org import units as units_service
from ..org.scope import Scope
from . import answers as answer_rules
from . import admission, intake, limits
from .respondent_texts import word

STATUS = {"missing": 404, "closed": 410, "full": 410, "answered": 409, "busy": 429}
MESSAGES = {"missing": "No survey link has this token.", "closed": "The survey is closed.",
            "full": "The survey has reached its quota.",
            "answered": "This invitation has already been used.",
            "busy": "Too many submissions; slow down and retry later."}


def fail(status, message, errors=None):
    """Refuse the call: the error boundary (core.errors) renders the envelope."""
    raise ApiError(status, message, [{"field": k, "code": v, "message": word(v, "en")}
                                     for k, v in (errors or {}).items()])


def submit(request, principal):
    payload = _read_body(request)
    db = get_db()
    key = payload["idempotency_key"]
    try:
        visit = admission.open_visit(db, payload["token"], {**payload["hidden"],
                                                           "lang": payload["language"]},
                                     channel="api")
        if not _in_token_scope(db, visit, principal):
            raise admission.Refused("missing")
        if key and intake.response_by_idempotency_key(db, visit.link["id"], key):
            return _duplicate(db, visit, key)
        if not limits.allow_api_post(db, request.remote_addr, visit.link["id"]):
            raise admission.Refused("busy")
        version_problem = _version_problem(db, visit, payload["version_id"])
        if version_problem:
            return fail(*version_problem)
        admission.check_unused(visit)
        clean, errors = answer_rules.check_answers(visit.doc, payload["answers"], visit.hidden)
        if errors:
            return fail(400, "Some answers do not fit the survey.", errors)
        response_id = intake.complete(db, visit, clean, ip=request.remote_addr, source="api",
                                      idempotency_key=key)
    except sqlite3.IntegrityError:   # the same idempotency key committed meanwhile
        if not key or not intake.response_by_idempotency_key(db, visit.link["id"], key):
            raise
        return _duplicate(db, visit, key)
    except admission.Refused as refused:
        return fail(STATUS[refused.reason], MESSAGES[refused.reason])
    return 201, f'{{"ok":true,"response_id":{int(response_id)}}}\n'


def _in_token_scope(db, visit, principal):
    """The unit the response goes to lies in the token's subtree (the link's unit, read
    with the link, or the survey's for a public link)."""
    if visit.unit_id == visit.link["unit_id"] and visit.link.get("unit_path"):
        path = visit.link["unit_path"]
    else:
        unit = units_service.get_unit(db, visit.unit_id)
        path = unit["path"] if unit else None
    return path is not None and Scope.for_user(principal, "submit_responses").contains_path(path)


def _duplicate(db, visit, key):
    """A retry with a key already used on this link: the first response's id."""
    earlier = intake.response_by_idempotency_key(db, visit.link["id"], key)
    return 200, {"ok": True, "response_id": earlier["id"], "duplicate": True}


def _read_body(request):
    """The body's fields, or a 400 envelope naming each field that does not fit."""
    body = json_input.Body(json_input.read(request))
    fields = {"token": body.text("token", max_length=64),
              "answers": body.mapping("answers"),
              "hidden": body.mapping("hidden", required=False, texts=True),
              "language": body.text("language", required=False, max_length=10),
              "idempotency_key": body.text("idempotency_key", required=False, max_length=100),
              "version_id": body.integer("version_id", required=False)}
    body.check()
    return fields


def _version_problem(db, visit, version_id):
    if version_id is None or version_id == visit.version_id:
        return None
    if admission.version_document(db, version_id) is None:
        return 404, f"version_id: version {version_id} does not exist."
    return 409, f"version_id: version {version_id} is not the survey's published version."
