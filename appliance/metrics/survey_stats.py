"""A survey page's figures: complete responses and main metrics (from the summaries),
and the completion rate (complete / started, partials counted through collection.feed)."""
from flask import g

from ..collection import feed
from ..core import localtime
from ..org.scope import Scope
from . import filters, service, tree


def for_survey(db, survey):
    scope = Scope.for_user(g.get("user"), "view")
    unit = filters._home_unit(db, scope)
    if unit is None or not survey.get("published_version"):
        return None
    start = str(survey["created_at"])[:10]
    end = localtime.today(db).isoformat()
    body = service.summary(db, unit, start, end, survey_id=survey["id"], with_indicators=False)
    partial = feed.partial_count(db, survey["id"], tree.subtree_ids(db, unit))
    started = body["responses"] + partial
    return {**body, "unit": tree.public(unit), "partial": partial,
            "completion": body["responses"] / started if started else None}
