"""Survey pages: list, new, overview with version history, designer, preview, settings."""
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.security import require
from ..org import units as units_service
from ..org.scope import current_scope
from . import definition, service, settings_form, starter_designs
from . import preview as preview_model
from .access import get_draft_for_user, get_survey_for_user, list_surveys_for_user
from .language import ui_language

bp = Blueprint("surveys", __name__, url_prefix="/surveys")
STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Collecting"), "closed": _l("Closed")}


@bp.app_context_processor
def _labels():
    return {"survey_status_labels": STATUS_LABELS, "ui_language": ui_language}


@bp.get("")
@require("view")
def index():
    status = request.args.get("status", "")
    rows = list_surveys_for_user(get_db(), g.user, status)
    return render_template("surveys/index.html", surveys=rows, status=status,
                           response_counts=_response_counts([r["id"] for r in rows]))


def _response_counts(survey_ids):
    """Response counts from the domain that provides them (collection, a layer above)."""
    counter = current_app.extensions["registry"].provider("survey.response_counts")
    return counter(get_db(), survey_ids) if counter and survey_ids else {}


@bp.route("/new", methods=["GET", "POST"])
@require("manage_surveys")
def new():
    owners = units_service.list_units(get_db(), current_scope("manage_surveys"))
    errors = {}
    if request.method == "POST":
        unit = next((u for u in owners if str(u["id"]) == request.form.get("unit_id")), None)
        try:
            if unit is None:
                raise ValidationError({"unit_id": _("Choose the owner unit.")})
            survey = service.create(get_db(), unit, request.form.get("name", ""),
                                    request.form.get("template", ""))
            return redirect(url_for("surveys.design", survey_id=survey["id"]))
        except ValidationError as exc:
            errors = exc.errors
    return render_template("surveys/new.html", owners=owners, errors=errors, form=request.form,
                           templates=starter_designs.TEMPLATES), 400 if errors else 200


@bp.get("/<int:survey_id>")
@require("view")
def overview(survey_id):
    survey = get_survey_for_user(survey_id)
    return render_template("surveys/overview.html", survey=survey,
                           versions=service.list_versions(get_db(), survey_id),
                           problems=service.problems_of(survey["document"]),
                           accepting=service.accepting_responses(survey),
                           unit=units_service.get_unit(get_db(), survey["unit_id"]))


@bp.get("/<int:survey_id>/design")
@require("view")
def design(survey_id):
    survey = get_draft_for_user(survey_id)
    return render_template("surveys/design.html", survey=survey)


@bp.get("/<int:survey_id>/preview")
@require("view")
def preview(survey_id):
    """The draft (or ?version=N) as a respondent would see it; framed by the designer."""
    survey = get_survey_for_user(survey_id)
    document, version = survey["document"], request.args.get("version", type=int)
    if version:
        found = [v for v in service.list_versions(get_db(), survey_id) if v["version"] == version]
        if not found:
            abort(404)
        document = service.get_version(get_db(), found[0]["id"])["document"]
    lang = request.args.get("lang") if request.args.get("lang") in definition.LANGUAGES \
        else ui_language()
    response = render_template("surveys/preview.html", survey=survey, lang=lang,
                               title=preview_model.text(document.get("title"), lang),
                               intro=preview_model.text(document.get("intro"), lang),
                               thank_you=preview_model.text(document.get("thank_you"), lang),
                               pages=preview_model.pages_view(document, lang), version=version)
    return response, 200, {"Content-Security-Policy": _FRAMEABLE_CSP, "X-Frame-Options": "SAMEORIGIN"}


_FRAMEABLE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                  "font-src 'self'; connect-src 'self'; frame-ancestors 'self'; "
                  "form-action 'none'; base-uri 'none'; object-src 'none'")


@bp.route("/<int:survey_id>/settings", methods=["GET", "POST"])
@require("manage_surveys")
def settings(survey_id):
    survey = get_survey_for_user(survey_id, write=True)
    errors = {}
    if request.method == "POST":
        try:
            values = settings_form.read(request.form, get_db())
            service.update_settings(get_db(), survey, values)
            flash(_("Settings saved."), "success")
            return redirect(url_for("surveys.overview", survey_id=survey_id))
        except ValidationError as exc:
            errors = exc.errors
    zone = settings_form.org_zone(get_db())
    local = {k: settings_form.to_local(survey[k], zone) for k in ("opens_at", "closes_at")}
    return render_template("surveys/settings.html", survey=survey, errors=errors,
                           form=request.form, local=local, zone=str(zone)), \
        400 if errors else 200


@bp.post("/<int:survey_id>/<any(close, reopen):action>")
@require("manage_surveys")
def change_status(survey_id, action):
    survey = get_survey_for_user(survey_id, write=True)
    try:
        service.set_status(get_db(), survey, "closed" if action == "close" else "published")
        flash(_("The survey is closed.") if action == "close" else _("The survey is open again."),
              "success")
    except ValidationError:
        flash(_("This survey cannot change to that status."), "error")
    return redirect(url_for("surveys.overview", survey_id=survey_id))


@bp.post("/<int:survey_id>/duplicate")
@require("manage_surveys")
def duplicate(survey_id):
    survey = get_survey_for_user(survey_id, write=True)
    copy = service.duplicate(get_db(), survey, _("%(name)s (copy)", name=survey["name"])[:200])
    flash(_("Survey duplicated."), "success")
    return redirect(url_for("surveys.design", survey_id=copy["id"]))
