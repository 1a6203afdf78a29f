"""Reading tickets, always inside a Scope: the queue (mine, my unit, escalated to me,
overdue first), one ticket, and the API's list."""
import re

from ..core import clock
from ..core.db import query_all, query_one
from ..org import lookups
from ..org.scope import Scope
from .tickets import ACTIVE

PAGE_SIZE = 50
LARGE_SCOPE = 200   # units; above this the queue is read in deadline order
VIEWS = ("all", "mine", "unit", "escalated", "overdue")
STATUSES = ("active", "open", "acknowledged", "in_progress", "resolved", "closed", "any")
SELECT = ("SELECT t.id, t.unit_id, t.response_id, t.rule_id, t.title, t.summary, t.status, "
          "t.priority, t.assignee_id, t.root_cause, t.escalation_level, t.escalated_unit_id, "
          "t.ack_due_at, t.resolve_due_at, t.due_at, t.opened_at, t.acknowledged_at, "
          "t.resolved_at, t.closed_at, t.recovered, t.followup_sent_at, t.reopen_count, "
          "r.name AS rule_name FROM tickets t LEFT JOIN alert_rules r ON r.id = t.rule_id")


def _with_names(db, rows):
    """The rows with their unit's code, name and path and their assignee's names (org's
    lookups: a page of rows costs two small queries, not a join on org's tables)."""
    lookups.with_unit_fields(db, rows)
    names = lookups.user_names(db, (row["assignee_id"] for row in rows))
    for row in rows:
        person = names.get(row["assignee_id"]) or {}
        row.update(assignee=person.get("username"), assignee_name=person.get("display_name"))
    return rows


def read_filters(args):
    status = args.get("status", "active")
    return {"view": args.get("view") if args.get("view") in VIEWS else "all",
            "status": status if status in STATUSES else None,
            "priority": args.get("priority", "") if args.get("priority") in
            ("urgent", "high", "normal", "low") else "",
            "unit": args.get("unit", "").strip()[:40], "q": args.get("q", "").strip()[:100]}


def scope_sql(db, scope, column="t.unit_id"):
    """scope.sql(column), except that a scope holding the top of the tree restricts nothing
    (so the top admin's queue walks the deadline index instead of testing 100,000 rows),
    and a scope of very many units tests membership without steering the plan
    (SQLite's unary + keeps it on the deadline index; PostgreSQL reads it as the number)."""
    root = lookups.root_path(db)
    if root and root in scope.root_paths:
        return "1", []
    where, params = scope.sql(column)
    if scope.root_paths and lookups.count_under(db, scope.root_paths) > LARGE_SCOPE:
        where, params = scope.sql("+" + column)
    return where, params


def _where(db, scope, filters, user):
    where, params = scope_sql(db, scope)
    clauses, params = [where], list(params)
    status = filters.get("status") or "active"
    if status == "active":
        clauses.append("t.due_at IS NOT NULL")   # every unresolved ticket has a deadline
    elif status != "any":
        clauses.append("t.status = ?")
        params.append(status)
    view = filters.get("view", "all")
    if view == "mine":
        clauses.append("t.assignee_id = ?")
        params.append(user["id"])
    elif view == "unit":
        clauses.append("t.unit_id IN (" + ", ".join(
            str(int(m["unit_id"])) for m in user["memberships"]) + ")")
    elif view == "escalated":
        where, more = Scope(m["unit_path"] for m in user["memberships"]).sql("t.escalated_unit_id")
        clauses.append(where)
        params += more
    elif view == "overdue":
        clauses.append("t.due_at < ?")
        params.append(clock.now_iso())
    if filters.get("priority"):
        clauses.append("t.priority = ?")
        params.append(filters["priority"])
    if filters.get("unit"):
        where, more = lookups.code_subtree_sql(db, filters["unit"], "t.unit_id")
        clauses.append(where)
        params += more
    if filters.get("q"):
        like = "%" + re.sub(r"([%_\\])", r"\\\1", filters["q"]) + "%"
        clauses.append("(t.title LIKE ? ESCAPE '\\' OR t.summary LIKE ? ESCAPE '\\' "
                       "OR CAST(t.id AS TEXT) = ?)")
        params += [like, like, filters["q"].lstrip("#")]
    return " AND ".join(clauses), params


def _order(filters):
    status = filters.get("status") or "active"
    return "t.due_at, t.id" if status == "active" else "t.id DESC"


def list_tickets(db, scope, filters, user, page=1, page_size=PAGE_SIZE):
    """(rows, more?) for the queue: overdue first (the earliest deadline first)."""
    where, params = _where(db, scope, filters, user)
    rows = query_all(db, f"{SELECT} WHERE {where} ORDER BY {_order(filters)} LIMIT ? OFFSET ?",
                     params + [page_size + 1, (max(page, 1) - 1) * page_size])
    return _with_names(db, rows[:page_size]), len(rows) > page_size


def counts(db, scope, user):
    """Overdue tickets and the user's own unresolved ones (the queue's tabs), each counted
    on its own index."""
    where, params = scope_sql(db, scope)
    count = "SELECT COUNT(*) FROM tickets t WHERE t.due_at IS NOT NULL AND {} AND " + where
    return {"overdue": db.execute(count.format("t.due_at < ?"),
                                  [clock.now_iso(), *params]).fetchone()[0],
            "mine": db.execute(count.format("t.assignee_id = ?"),
                               [user["id"], *params]).fetchone()[0]}


def get_ticket(db, scope, ticket_id):
    where, params = scope.sql("t.unit_id")
    row = query_one(db, f"{SELECT} WHERE t.id = ? AND {where}", [ticket_id, *params])
    return _with_names(db, [row])[0] if row else None


def api_rows(db, scope, unit_code, status, limit=500, before=None):
    """GET /api/v1/tickets: the PRODUCT.md shape, newest first (page on with before=id)."""
    filters = {"status": status or "any", "unit": unit_code}
    where, params = _where(db, scope, filters, {"id": 0, "memberships": []})
    if before:
        where += " AND t.id < ?"
        params.append(before)
    rows = lookups.with_unit_fields(db, query_all(
        db, f"{SELECT} WHERE {where} ORDER BY t.id DESC LIMIT ?", params + [limit]))
    return [{"id": r["id"], "unit": r["unit_code"], "status": r["status"],
             "priority": r["priority"], "response_id": r["response_id"], "rule": r["rule_name"],
             "opened_at": r["opened_at"], "due_at": r["due_at"],
             "escalation_level": r["escalation_level"]} for r in rows]


def is_active(ticket):
    return ticket["status"] in ACTIVE
