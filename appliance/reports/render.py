"""One report for one node, period, scope and language: figures from the metrics and
text services, assembled, typeset to PDF. Used by the job runner and `cem report render`."""
import zoneinfo
from datetime import date

from .. import pdf
from ..core import clock, settings
from ..org.scope import Scope
from . import assemble, figures

TEMPLATES = {"executive": "executive.html", "unit": "unit.html", "survey": "survey.html"}


def meta(db, unit, date_from, date_to, language, recipient=""):
    tz_name = settings.get(db, "org.timezone") or "Asia/Shanghai"
    local = clock.utcnow().astimezone(zoneinfo.ZoneInfo(tz_name))
    return {"org_name": settings.get(db, "org.name"), "logo": settings.get(db, "reports.logo"),
            "node": unit, "date_from": date_from, "date_to": date_to, "language": language,
            "timezone": tz_name, "generated": f"{local:%Y-%m-%d %H:%M} ({tz_name})",
            "recipient": recipient}


def build(db, kind, unit, date_from, date_to, language="zh_CN", scope=None, recipient="",
          survey_id=None, progress=None):
    """(PDF bytes, the printed context). progress(percent) is told how far it got."""
    if isinstance(date_from, str):
        date_from, date_to = date.fromisoformat(date_from), date.fromisoformat(date_to)
    step = progress or (lambda _percent: None)
    scope = scope or Scope([unit["path"]])
    step(10)
    raw = figures.gather(db, unit, date_from, date_to, scope, survey_id, language)
    step(40)
    report = assemble.context(kind, raw, meta(db, unit, date_from, date_to, language, recipient))
    if kind == "survey":
        from . import survey_figures, survey_sections
        report["survey"] = survey_sections.section(
            survey_figures.gather(db, unit, date_from, date_to, survey_id, scope), language,
            pdf.gettext_for(language))
    step(70)
    document = pdf.render_pdf(TEMPLATES[kind], {"report": report}, language)
    step(95)
    return document, report
