"""Reading responses, always inside a Scope (the org subtree the user may see)."""
import json
import re

from ..core.db import query_all, query_one
from ..org import lookups
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
        "status": "partial" if args.get("status") == "partial" else "complete",
    }


def where_clause(db, scope, filters):
    where, params = scope.sql("r.unit_id")
    clauses = [where, "r.status = ?"]
    params = list(params) + [filters["status"]]
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
          "r.submitted_at, r.erased_at FROM responses r")


def list_responses(db, scope, filters, page=1):
    where, params = where_clause(db, scope, filters)
    order = "r.submitted_at DESC, r.id DESC" if filters["status"] == "complete" else "r.id DESC"
    rows = query_all(db, f"{SELECT} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                     params + [PAGE_SIZE + 1, (max(page, 1) - 1) * PAGE_SIZE])
    return lookups.with_unit_fields(db, rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE


def iter_responses(db, scope, filters, limit):
    where, params = where_clause(db, scope, filters)
    cursor = db.execute(f"{SELECT} WHERE {where} ORDER BY r.id LIMIT ?", params + [limit])
    while rows := [dict(row) for row in cursor.fetchmany(1000)]:
        yield from lookups.with_unit_fields(db, rows)


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
    rows = query_all(db, "SELECT id, survey_id, version_id, unit_id, channel, answers, status, "
                         f"submitted_at, erased_at FROM responses WHERE id IN "
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


def may_see_personal(user, response):
    return Scope.for_user(user, "export_personal").contains_path(response["unit_path"])


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
