"""Staff pages over responses: list with filters, one response, exports, erasure on request."""
import json

from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request,
                   stream_with_context, url_for)
from flask_babel import gettext as _

from ..core import audit
from ..core.db import get_db
from ..core.i18n import current_language
from ..core.security import require
from ..org import units as units_service
from ..org.scope import current_scope
from ..surveys import access as survey_access
from ..surveys import definition
from . import erasure, export
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
                           filters=filters, surveys=surveys,
                           units=units_service.list_units(db, current_scope("view_responses")),
                           query=request.args.to_dict(),
                           personal=g.user and _may_export_personal())


def _excerpt(answers_json):
    texts = [v for v in json.loads(answers_json).values() if isinstance(v, str) and len(v) > 12]
    return texts[0][:80] if texts else ""


def _may_export_personal():
    return not current_scope("export_personal").is_empty


@bp.route("/<int:response_id>")
@require("view_responses")
def detail(response_id):
    db = get_db()
    response = get_response_for_user(response_id)
    doc = rq.document_of(db, response)
    answers = json.loads(response["answers"])
    personal = rq.may_see_personal(g.user, response)
    contact = rq.contact_of(response) if personal else {}
    hidden = json.loads(response["hidden"])
    seen_in = response["language"] or doc.get("default_language", "zh_CN")
    staff_language = current_language()

    def piped(texts, language=seen_in):
        """Texts as this respondent saw them: {{q1}} filled with their own answer."""
        return definition.pipe(definition.text_for(texts, language), answers, hidden, doc, language)

    shown = []
    for page_key, q in definition.questions(doc):
        value = contact.get(q["key"]) if q["type"] == "contact" else answers.get(q["key"])
        if q["type"] == "contact" and not personal:
            value = _("(personal data: visible to roles that may export personal data)") \
                if response["contact_enc"] else None
        shown.append({"key": q["key"], "type": q["type"], "page": page_key,
                      "text": piped(q["text"]), "text_staff": piped(q["text"], staff_language),
                      "value": value,
                      "display": _display(q, value, answers, piped, seen_in)})
    return render_template("collection/response.html", response=response, questions=shown,
                           hidden=hidden, personal=personal,
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


@bp.route("/export.<any(csv, xlsx):fmt>")
@require("export")
def export_responses(fmt):
    db = get_db()
    personal = request.args.get("personal") == "1"
    scope = current_scope("export_personal" if personal else "export")
    if personal and scope.is_empty:
        abort(403)
    filters = rq.read_filters(request.args)
    rows = list(rq.iter_responses(db, scope, filters, export.MAX_ROWS))
    docs = [rq.document_of(db, r) for r in {r["version_id"]: r for r in rows}.values()]
    audit.record_export(db, "export.personal" if personal else "export.responses", "response",
                        after={"rows": len(rows), "format": fmt,
                               "filters": {k: v for k, v in filters.items() if v}})
    table = export.rows(db, rows, export.columns_for(docs),
                        export.contact_columns(docs) if personal else [])
    name = f"responses.{fmt}"
    headers = {"Content-Disposition": f"attachment; filename={name}"}
    if fmt == "csv":
        return Response(stream_with_context(export.to_csv(table)), mimetype="text/csv; charset=utf-8", headers=headers)
    return Response(export.to_xlsx(table), headers=headers, mimetype=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))


@bp.route("/<int:response_id>/erase", methods=["POST"])
@require("export_personal")
def erase(response_id):
    response = get_response_for_user(response_id, write=True)
    mode = request.form.get("mode")
    if mode not in erasure.MODES:
        abort(400)
    erasure.erase(get_db(), response, mode)
    flash(_("The respondent's personal data was removed.") if mode == "contact"
          else _("The response was anonymised; its scores are kept."), "success")
    return redirect(url_for("responses.detail", response_id=response_id))
