"""Surveys domain: the zero-code designer, templates, drafts and frozen published versions."""
from flask_babel import lazy_gettext as _l

from ..core.registry import Domain, Nav

DOMAIN = Domain(
    "surveys",
    tables=["surveys", "survey_versions"],
    events=["survey.published"],
    blueprints=["views:bp", "api:bp"],
    nav=[Nav(_l("Surveys"), "surveys.index", "view", order=10)],
    audit_labels={
        "survey.create": _l("created survey"), "survey.draft_save": _l("edited survey draft"),
        "survey.publish": _l("published survey"), "survey.close": _l("closed survey"),
        "survey.reopen": _l("reopened survey"), "survey.settings": _l("changed survey settings"),
    },
    audit_coalesce={"survey.draft_save": 30},   # autosave: one row per editing session
)
