"""Staff pages for a survey's links: public link, per-unit links with QR codes, QR posters (PDF)."""
from flask import Response, Blueprint, abort, render_template

from ..core import settings
from ..core.db import get_db
from ..core.i18n import current_language
from ..core.security import require
from ..org import lookups
from ..org import units as units_service
from ..org.scope import current_scope, require_in_scope
from ..surveys import access as survey_access
from ..surveys import definition
from . import admission, links, posters

bp = Blueprint("collect_links", __name__, url_prefix="/collection")
MAX_POSTERS = 2000


def _published_survey(survey_id):
    survey = survey_access.get_survey_for_user(survey_id)
    _version_id, doc = admission.published(get_db(), survey_id)
    if doc is None:
        abort(404)
    return survey, doc


def _units_answering(survey, scope, under=None):
    """Units of the survey's owner subtree inside the user's scope (optionally under one unit)."""
    owner = units_service.get_unit(get_db(), survey["unit_id"])
    return lookups.active_subtree(get_db(), scope,
                                  [owner["path"]] + ([under["path"]] if under else []))


@bp.route("/surveys/<int:survey_id>/links")
@require("view")
def survey_links(survey_id):
    db = get_db()
    survey, doc = _published_survey(survey_id)
    public = links.shared_link(db, survey_id)
    units = _units_answering(survey, current_scope("view"))
    rows = [{"unit": u, "url": links.link_url(db, link, channel="qr")}
            for u, link in links.unit_links(db, survey_id, units)]
    return render_template("collection/links.html", survey=survey,
                           title=definition.text_for(doc["title"], current_language()),
                           public_url=links.link_url(db, public),
                           public_qr=posters.qr_svg(links.link_url(db, public)), rows=rows,
                           base_url=settings.base_url(db),
                           base_url_stored=bool(settings.get(db, "org.base_url")))


@bp.route("/surveys/<int:survey_id>/posters/<int:unit_id>.pdf")
@require("view")
def poster(survey_id, unit_id):
    """One A4 page per store: the unit itself if it is a store, else every store under it."""
    db = get_db()
    survey, doc = _published_survey(survey_id)
    unit = units_service.get_unit(db, unit_id)
    require_in_scope(unit["path"] if unit else None)
    stores = [u for u in _units_answering(survey, current_scope("view"), unit) if not u["children"]]
    if not stores or len(stores) > MAX_POSTERS:
        abort(404)
    pages = []
    for store, link in links.unit_links(db, survey_id, stores):
        url = links.link_url(db, link, channel="qr")
        pages.append({"unit": store, "url": url, "qr": posters.qr_svg(url)})
    html = render_template("collection/poster.html", pages=pages,
                           title_zh=definition.text_for(doc["title"], "zh_CN"),
                           title_en=definition.text_for(doc["title"], "en", "en"))
    return Response(posters.pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=qr-posters-{unit['code']}.pdf"})
