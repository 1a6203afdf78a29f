"""Who sees which survey.

Decision: a survey belongs to its owner unit. A user sees it when the owner unit is
inside their "view" scope (its subtree) OR is an ancestor of a unit they hold a role on
(a group-wide survey applies to every store, so the store manager sees it, read-only).
Designing, publishing, closing and settings need "manage_surveys" with the owner unit
inside that scope. Outside visibility a survey answers 404; visible but not writable, 403.
"""
from flask import abort, g

from ..core.db import get_db, query_all
from ..core.security import has_capability
from ..org import lookups
from ..org.scope import Scope
from . import service


def visible_sql(user, column="s.unit_id"):
    scope = Scope.for_user(user, "view")
    where, params = scope.sql(column)
    ancestors = sorted({int(part) for path in scope.root_paths
                        for part in path.strip("/").split("/") if part})
    if ancestors:
        where = f"({where} OR {column} IN ({', '.join('?' * len(ancestors))}))"
        params = params + ancestors
    return where, params


def _is_ancestor_of_scope(unit_id, scope):
    return any(f"/{unit_id}/" in path for path in scope.root_paths)


def can_see(db, user, unit_id, capability="view"):
    scope = Scope.for_user(user, capability)
    unit = lookups.units_by_id(db, [unit_id]).get(unit_id)
    return unit is not None and (scope.contains_path(unit["path"])
                                 or _is_ancestor_of_scope(unit["id"], scope))


def can_manage(db, user, unit_id):
    if not has_capability(user, "manage_surveys"):
        return False
    return lookups.unit_in_scope(db, Scope.for_user(user, "manage_surveys"), unit_id)


def get_survey_for_user(survey_id, capability="view", write=False):
    """The survey, or 404 outside the user's visibility for the capability; 403 when visible
    but write (manage_surveys) is refused."""
    db = get_db()
    survey = service.get_survey(db, survey_id)
    if survey is None or not can_see(db, g.get("user"), survey["unit_id"], capability):
        abort(404)
    survey["writable"] = can_manage(db, g.user, survey["unit_id"])
    if write and not survey["writable"]:
        abort(403)
    return survey


def get_draft_for_user(survey_id):
    """The draft as the designer and the draft API show it: one rule for both, the right to
    design it (manage_surveys over the owner unit). Others see published versions only."""
    return get_survey_for_user(survey_id, write=True)


def list_surveys_for_user(db, user, status=""):
    where, params = visible_sql(user)
    manage, manage_params = Scope.for_user(user, "manage_surveys").sql("s.unit_id")
    sql = ("SELECT s.id, s.name, s.status, s.unit_id, s.published_version, s.draft_changed, "
           "s.draft_valid, s.opens_at, s.closes_at, s.updated_at, s.template, "
           f"({manage}) AS writable FROM surveys s WHERE {where}")
    params = manage_params + params
    if status in service.STATUSES:
        sql += " AND s.status = ?"
        params = params + [status]
    rows = query_all(db, sql + " ORDER BY s.updated_at DESC, s.id DESC", params)
    return lookups.with_unit_fields(db, rows)
