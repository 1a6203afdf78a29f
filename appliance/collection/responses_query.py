"""Reading responses, always inside a Scope (the org subtree the user may see)."""
import json
import re

from flask_babel import gettext as _

from ..core.db import query_all, query_one
from ..org import lookups
from ..core.errors import ValidationError
from ..org.scope import Scope
from . import admission, intake

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
METRICS = ("nps", "csat", "ces")
PAGE_SIZE = 50


def read_filters(args):
    """The list/export filters from a query string, each checked and bounded."""
    def number(name):
        try:
            return float(args.get(name, ""))
        except ValueError:
            return None
    return {
        "survey_id": args.get("survey_id", type=int),
        "unit_id": args.get("unit_id", type=int),
        "date_from": args.get("date_from", "") if DATE.match(args.get("date_from", "")) else "",
        "date_to": args.get("date_to", "") if DATE.match(args.get("date_to", "")) else "",
        "metric": args.get("metric") if args.get("metric") in METRICS else "nps",
        "score_min": number("score_min"), "score_max": number("score_max"),
        "q": args.get("q", "").strip()[:100],
        "status": args.get("status") if args.get("status") in ("partial", "held") else "complete",
    }


def strict_filters(args):
    """The filters of an export: as read_filters, but a malformed value is refused (400)
    rather than dropped, so `survey_id=abc` never widens an export to every survey."""
    problems = {}
    for name in ("survey_id", "unit_id"):
        if args.get(name, "") and not args[name].isdigit():
            problems[name] = _("Choose a survey or unit from the list.")
    for name in ("date_from", "date_to"):
        if args.get(name, "") and not DATE.match(args[name]):
            problems[name] = _("Dates are written YYYY-MM-DD.")
    for name in ("score_min", "score_max"):
        try:
            float(args.get(name) or 0)
        except ValueError:
            problems[name] = _("Scores are numbers.")
    if args.get("metric", "") and args["metric"] not in METRICS:
        problems["metric"] = _("Choose NPS, CSAT or CES.")
    if problems:
        raise ValidationError(problems, _("These export filters are not valid."))
    return read_filters(args)


def where_clause(db, scope, filters):
    where, params = scope.sql("r.unit_id")
    clauses = [where, "r.status = ?"]
    params = list(params) + ["partial" if filters["status"] == "partial" else "complete"]
    if filters["status"] == "held":
        clauses.append("r.held = 1")
    if filters["survey_id"]:
        clauses.append("r.survey_id = ?")
        params.append(filters["survey_id"])
    if filters["unit_id"]:
        fragment, unit_params = lookups.subtree_sql(db, filters["unit_id"], "r.unit_id")
        clauses.append(fragment)
        params.extend(unit_params)
    if filters["date_from"]:
        clauses.append("r.submitted_at >= ?")
        params.append(filters["date_from"])
    if filters["date_to"]:
        clauses.append("r.submitted_at < date(?, '+1 day')")
        params.append(filters["date_to"])
    for bound, op in (("score_min", ">="), ("score_max", "<=")):
        if filters[bound] is not None:
            clauses.append(f"r.{filters['metric']} {op} ?")
            params.append(filters[bound])
    if filters["q"]:
        clauses.append("r.answers LIKE ? ESCAPE '\\'")
        params.append("%" + re.sub(r"([%_\\])", r"\\\1", filters["q"]) + "%")
    return " AND ".join(clauses), params


SELECT = ("SELECT r.id, r.survey_id, r.version_id, r.unit_id, r.channel, r.language, r.hidden, "
          "r.answers, r.contact_enc, r.status, r.nps, r.csat, r.ces, r.source, r.started_at, "
          "r.submitted_at, r.erased_at, r.held, r.held_reason, r.consent FROM responses r")


def list_responses(db, scope, filters, page=1):
    where, params = where_clause(db, scope, filters)
    order = "r.id DESC" if filters["status"] == "partial" else "r.submitted_at DESC, r.id DESC"
    rows = query_all(db, f"{SELECT} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                     params + [PAGE_SIZE + 1, (max(page, 1) - 1) * PAGE_SIZE])
    return lookups.with_unit_fields(db, rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE


def iter_responses(db, scope, filters, limit):
    where, params = where_clause(db, scope, filters)
    cursor = db.execute(f"{SELECT} WHERE {where} ORDER BY r.id LIMIT ?", params + [limit])
    while rows := [dict(row) for row in cursor.fetchmany(1000)]:
        yield from lookups.with_unit_fields(db, rows)


def held_count(db, scope):
    """How many responses inside the scope wait for an analyst (responses_held index)."""
    where, params = scope.sql("r.unit_id")
    return db.execute(f"SELECT COUNT(*) FROM responses r WHERE r.held = 1 AND {where}",
                      params).fetchone()[0]


def survey_ids(db, scope, filters):
    """The surveys the matching responses answered, in order."""
    where, params = where_clause(db, scope, filters)
    return [row[0] for row in db.execute(
        f"SELECT DISTINCT r.survey_id FROM responses r WHERE {where} ORDER BY r.survey_id",
        params)]


def get_response(db, scope, response_id):
    """The response if its unit is inside the scope, else None (the view answers 404)."""
    where, params = scope.sql("r.unit_id")
    row = query_one(db, f"{SELECT} WHERE r.id = ? AND {where}", [response_id, *params])
    return lookups.with_unit_fields(db, [row])[0] if row else None


def responses_by_ids(db, ids):
    """{id: response} for jobs that work for the whole appliance (no user scope), one query."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    rows = query_all(db, "SELECT id, survey_id, version_id, unit_id, link_id, channel, answers, "
                         "status, nps, csat, ces, submitted_at, erased_at FROM responses WHERE id IN "
                         f"({','.join('?' * len(ids))})", ids)
    return {row["id"]: row for row in rows}


def complete_in_range(db, from_id, to_id, since=None, limit=1000):
    """Complete responses with from_id <= id <= to_id (at most limit, by id): for jobs that
    work through every response (text analysis, summaries), no user scope."""
    sql = ("SELECT id, survey_id, version_id, unit_id, channel, answers, status, submitted_at, "
           "erased_at FROM responses WHERE id BETWEEN ? AND ? AND status = 'complete'")
    params = [from_id, to_id]
    if since:
        sql += " AND submitted_at >= ?"
        params.append(since)
    return query_all(db, sql + " ORDER BY id LIMIT ?", params + [limit])


def may_review(user, response):
    return Scope.for_user(user, "review_responses").contains_path(response["unit_path"])


def contact_of(response):
    if not response["contact_enc"]:
        return {}
    return json.loads(intake.keyring().decrypt(response["contact_enc"]))


def document_of(db, response):
    return admission.version_document(db, response["version_id"])


def response_counts(db, survey_ids):
    """Complete responses per survey (provided to the surveys list as "survey.response_counts";
    the survey list already shows only surveys in the user's scope)."""
    if not survey_ids:
        return {}
    marks = ", ".join("?" * len(survey_ids))
    rows = query_all(db, f"SELECT survey_id, COUNT(*) AS n FROM responses WHERE survey_id IN "
                         f"({marks}) AND status = 'complete' GROUP BY survey_id", list(survey_ids))
    return {row["survey_id"]: row["n"] for row in rows}
