"""The designer's JSON API: load and autosave the draft, publish. Answers the JSON envelope."""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from ..core.db import get_db
from ..core.errors import ApiError, ValidationError
from ..core.security import require
from . import definition, draft_input, service
from .access import get_draft_for_user, get_survey_for_user

bp = Blueprint("surveys_api", __name__, url_prefix="/api/v1/surveys")


def _state(survey, problems):
    return {"ok": True, "valid": not problems, "problems": problems,
            "status": survey["status"], "published_version": survey["published_version"]}


@bp.get("/<int:survey_id>/draft")
@require("view")
def draft(survey_id):
    survey = get_draft_for_user(survey_id)
    return jsonify({**_state(survey, service.problems_of(survey["document"])),
                    "document": survey["document"], "writable": survey["writable"]})


@bp.route("/<int:survey_id>/draft", methods=["PUT", "POST"])
@require("manage_surveys")
def save_draft(survey_id):
    survey = get_survey_for_user(survey_id, write=True)
    try:
        document = draft_input.parse(request.get_data(cache=False) if
                                     (request.content_length or 0) <= draft_input.MAX_BYTES
                                     else b"", request.content_length)
    except draft_input.DraftRejected as exc:
        raise ApiError(exc.status, str(exc), problems=[]) from None
    problems = service.save_draft(get_db(), survey, document)
    survey = service.get_survey(get_db(), survey_id)
    return jsonify({**_state(survey, problems), "draft_changed": bool(survey["draft_changed"])})


@bp.post("/<int:survey_id>/publish")
@require("manage_surveys")
def publish(survey_id):
    survey = get_survey_for_user(survey_id, write=True)
    problems = service.problems_of(survey["document"])
    if problems:
        raise ApiError(400, _("The survey cannot be published yet."), problems=problems)
    try:
        version = service.publish(get_db(), survey)
    except ValidationError as exc:
        raise ApiError(400, exc.message or str(exc),
                       problems=[str(v) for v in exc.errors.values()]) from None
    return jsonify({"ok": True, "version": version["version"], "version_id": version["id"],
                    "problems": []})
