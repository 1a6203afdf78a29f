"""Staff pages over responses: list with filters, one response, exports, erasure on request."""
import json

from flask import (Blueprint, abort, current_app, flash, g, make_response, redirect,
                   render_template, request, send_file, url_for)
from flask_babel import gettext as _

from ..core.db import get_db
from ..core.i18n import current_language
from ..core.security import require
from ..org import units as units_service
from ..org.scope import current_scope
from ..surveys import access as survey_access
from ..surveys import definition
from ..surveys import service as survey_service
from . import erasure, exports, integrity, personal
from . import responses_query as rq

bp = Blueprint("responses", __name__, url_prefix="/responses")


def get_response_for_user(response_id, capability="view_responses", write=False):
    """The response, or 404 outside the user's scope for the capability (write: erase)."""
    capability = "export_personal" if write else capability
    response = rq.get_response(get_db(), current_scope(capability), response_id)
    if response is None:
        abort(404)
    return response


@bp.route("/")
@require("view_responses")
def index():
    db = get_db()
    filters = rq.read_filters(request.args)
    page = max(request.args.get("page", 1, type=int), 1)
    rows, more = rq.list_responses(db, current_scope("view_responses"), filters, page)
    surveys = survey_access.list_surveys_for_user(db, g.user)
    names = {s["id"]: s["name"] for s in surveys}
    for row in rows:
        row["survey_name"] = names.get(row["survey_id"], f"#{row['survey_id']}")
        row["excerpt"] = _excerpt(row["answers"])
    return render_template("collection/responses.html", rows=rows, more=more, page=page,
                           filters=filters, surveys=surveys, may_review=_may_review(),
                           held=rq.held_count(db, current_scope("view_responses")),
                           units=units_service.list_units(db, current_scope("view_responses")),
                           query={k: v for k, v in request.args.items() if k in filters},
                           personal=g.user and _may_export_personal(),
                           exports=exports.list_exports(db, g.user["id"]))


def _excerpt(answers_json):
    texts = [v for v in json.loads(answers_json).values() if isinstance(v, str) and len(v) > 12]
    return texts[0][:80] if texts else ""


def _may_export_personal():
    return not current_scope("export_personal").is_empty


def _may_review():
    return not current_scope("review_responses").is_empty


@bp.post("/<int:response_id>/accept")
@require("review_responses")
def accept_held(response_id):
    """An analyst accepts a response held from a suspicious burst: it counts from now on."""
    response = get_response_for_user(response_id, "review_responses")
    if integrity.accept(get_db(), response):
        flash(_("Response #%(id)s accepted: it now counts in the scores.", id=response_id),
              "success")
    if request.form.get("back") == "list":
        return redirect(url_for("responses.index", status="held"))
    return redirect(url_for("responses.detail", response_id=response_id))


@bp.route("/<int:response_id>")
@require("view_responses")
def detail(response_id):
    return _detail_page(get_response_for_user(response_id))


@bp.post("/<int:response_id>/reveal")
@require("reveal_contact")
def reveal_contact(response_id):
    """A unit manager shows the contact details of their own unit's response (audited)."""
    response = get_response_for_user(response_id, "reveal_contact")
    page = make_response(_detail_page(response, personal.reveal(get_db(), response)))
    page.headers["Cache-Control"] = "no-store"
    return page


def _detail_page(response, revealed=None):
    db = get_db()
    doc = rq.document_of(db, response)
    answers = json.loads(response["answers"])
    sees = personal.may_see(g.user, response) or revealed is not None
    contact = revealed if revealed is not None else (rq.contact_of(response) if sees else {})
    hidden = json.loads(response["hidden"])
    seen_in = response["language"] or doc.get("default_language", "zh_CN")
    staff_language = current_language()

    def piped(texts, language=seen_in):
        """Texts as this respondent saw them: {{q1}} filled with their own answer."""
        return definition.pipe(definition.text_for(texts, language), answers, hidden, doc, language)

    shown = []
    for page_key, q in definition.questions(doc):
        value = contact.get(q["key"]) if q["type"] == "contact" else answers.get(q["key"])
        if q["type"] == "contact" and not sees:
            value = None
        shown.append({"key": q["key"], "type": q["type"], "page": page_key,
                      "text": piped(q["text"]), "text_staff": piped(q["text"], staff_language),
                      "value": value, "display": _display(q, value, answers, piped, seen_in),
                      "hidden_contact": q["type"] == "contact" and not sees
                      and bool(response["contact_enc"])})
    version = survey_service.get_version(db, response["version_id"])
    return render_template("collection/response.html", response=response, questions=shown,
                           version=version["version"] if version else None,
                           hidden=hidden, personal=personal.may_see(g.user, response),
                           may_reveal=not sees and personal.may_reveal(g.user, response),
                           consent=json.loads(response["consent"] or "{}"),
                           may_review=rq.may_review(g.user, response),
                           title=definition.text_for(doc["title"], staff_language))


def _display(question, value, answers, label, language):
    if value is None or value == "":
        return ""
    if question["type"] == "matrix" and isinstance(value, dict):
        rows = {r["key"]: label(r["text"]) for r in question.get("rows", [])}
        return "; ".join(f"{rows.get(k, k)}: {v}" for k, v in value.items())
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    text = definition.display_answer(question, value, language, label=label)
    other = answers.get(f"{question['key']}.other")
    return f"{text}: {other}" if other else text


@bp.post("/exports")
@require("export")
def request_export():
    """Queue an export of what the page shows (filters in the query string); the job
    runner builds it and the exports list offers the download."""
    fmt, _sep, personal = (request.form.get("format") or "").partition("_")
    if fmt not in ("csv", "xlsx") or personal not in ("", "personal"):
        abort(400)
    personal = personal == "personal"
    scope = current_scope("export_personal" if personal else "export")
    if scope.is_empty:
        abort(403)
    filters = rq.strict_filters(request.args)
    exports.request_export(get_db(), g.user, fmt, personal, filters, scope,
                           current_app.config["DATA_DIR"])
    flash(_("The export is being prepared: it appears under Exports when it is ready."), "success")
    return redirect(url_for("responses.index", **request.args.to_dict()))


@bp.get("/exports")
@require("export")
def export_list():
    """The user's recent exports (the responses page refreshes this part while one runs)."""
    return render_template("collection/_exports.html",
                           exports=exports.list_exports(get_db(), g.user["id"]))


@bp.get("/exports/<int:export_id>/download")
@require("export")
def download_export(export_id):
    row = exports.get_export(get_db(), g.user["id"], export_id)
    if row is None or row["status"] != "ready":
        abort(404)
    if row["personal"] and not _may_export_personal():
        abort(403)
    mimetype = {"csv": "text/csv", "xlsx": XLSX}[row["format"]]
    if row["file_name"].endswith(".zip"):
        mimetype = "application/zip"
    response = send_file(exports.file_path(current_app.config["DATA_DIR"], row),
                         mimetype=mimetype, as_attachment=True,
                         download_name=exports.download_name(row), conditional=False)
    response.headers["Cache-Control"] = "no-store"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/<int:response_id>/erase", methods=["POST"])
@require("export_personal")
def erase(response_id):
    response = get_response_for_user(response_id, write=True)
    mode = request.form.get("mode")
    if mode not in erasure.MODES:
        abort(400)
    if request.form.get("confirm") != "yes":   # the first click asks; nothing is removed yet
        return render_template("collection/erase_confirm.html", response=response, mode=mode)
    erasure.erase(get_db(), response, mode)
    flash(_("The respondent's personal data was removed.") if mode == "contact"
          else _("The response was anonymised; its scores are kept."), "success")
    return redirect(url_for("responses.detail", response_id=response_id))
